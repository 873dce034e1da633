"""Frozen settings objects, passed explicitly to everything below the entry points.

Only entry points (CLI, API app, worker start-up) call :func:`Settings.from_env`; library
code receives the object it needs and never reads the environment itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sohoa.errors import ConfigurationError


@dataclass(frozen=True)
class LoadLimits:
    """Bounds that protect a worker from hostile or accidental giant input."""

    max_pixels: int = 120_000_000
    """Largest decoded page, in pixels (A3 at 600 dpi is ~70 Mpx)."""

    max_pages: int = 500
    """Most pages accepted from one file."""

    max_file_bytes: int = 1_000_000_000
    """Largest input file, in bytes."""

    default_dpi: float = 300.0
    """Resolution assumed when a file records none."""


@dataclass(frozen=True)
class OcrSettings:
    """How Tesseract is run."""

    languages: str = "vie"
    """Tesseract language models. ``vie`` alone reads the Latin letters of English words too;
    measured on the benchmark corpus, ``vie+eng`` costs ~25% more time (Tesseract retries
    every word outside the Vietnamese dictionary with English) for no accuracy gain
    (CER 0.10% vs 0.08%). Set ``vie+eng`` for dossiers with much English text."""

    tesseract_cmd: str = "tesseract"
    """Program to run."""

    glyph_px: float = 18.0
    """Median glyph height (pixels) OCR reads at: pages with bigger print are shrunk to it
    before Tesseract runs (faster, and no less accurate — measured on the benchmark corpus:
    12.5 pt text at 300 dpi reads 27% faster and with lower CER at 200 dpi). Small print
    (8 pt and below at 300 dpi) is read at full resolution."""

    min_dpi: float = 200.0
    """OCR never reads a page below this resolution."""

    timeout_s: float = 180.0
    """A page taking longer than this is a failed page, not a hung worker."""


@dataclass(frozen=True)
class SigningSettings:
    """Who signs, and how. With neither PKCS#12 nor PKCS#11 set, a development signer is made."""

    pkcs12_path: Path | None = None
    """PKCS#12 file with the digitizer's key and certificate."""

    pkcs12_password: str | None = None
    """Password of the PKCS#12 file."""

    pkcs11_module: Path | None = None
    """PKCS#11 library of the USB token (e.g. the vendor's .so, or SoftHSM2's)."""

    pkcs11_token_label: str | None = None
    """Label of the token to use."""

    pkcs11_pin: str | None = None
    """User PIN of the token."""

    pkcs11_key_label: str | None = None
    """Label of the key and certificate on the token (the first one if unset)."""

    dev_ca_dir: Path = Path("sohoa-data/dev-ca")
    """Where the development CA and signer live (created on first use)."""

    dev_signer_allowed: bool = True
    """False in production: documents signed by a throwaway test CA would be worthless."""

    tsa_url: str | None = None
    """RFC 3161 time-stamping authority; when set, signatures are PAdES B-T."""

    stamp_font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    """TrueType font embedded in the visible signature (must cover Vietnamese)."""

    trust_roots: tuple[Path, ...] = ()
    """Extra CA certificates trusted by ``sohoa verify`` (the dev CA is always added)."""


@dataclass(frozen=True)
class StorageSettings:
    """Where raw scans, signed documents and the catalog live."""

    object_root: Path = Path("sohoa-data/objects")
    """Root of the local-directory object store (the embedded default)."""

    database_url: str = "sqlite:///sohoa-data/catalog.sqlite3"
    """SQLAlchemy URL of the catalog (``postgresql+psycopg://...`` at scale)."""

    s3_endpoint: str | None = None
    """``host:port`` of an S3 server (MinIO, SeaweedFS, any S3); None: the local directory."""

    s3_access_key: str | None = None
    s3_secret_key: str | None = None

    s3_bucket: str = "sohoa"
    """Bucket holding every dossier's objects (created with object lock when missing)."""

    s3_secure: bool = False
    """HTTPS to the S3 server."""

    s3_region: str | None = None

    retention_days: int | None = None
    """Object-lock retention for a ``put(..., retain=True)`` (tests, tools); signed
    documents are locked for their period from ``retention.yaml`` (``SOHOA_RETENTION``),
    which is the only retention an operator sets."""

    retry_seconds: float = 20.0
    """How long one store call keeps retrying an unreachable server (with backoff) before
    giving up with StorageUnavailable; the queue then retries the whole step later."""


@dataclass(frozen=True)
class QueueSettings:
    """How work travels between processes. No broker URL: the embedded default, where the
    same steps run in this process (pages in a process pool) with no server."""

    broker_url: str | None = None
    """``redis://host:6379/0`` or ``amqp://user:pass@host:5672/``; None: embedded."""

    heartbeat_timeout_s: float = 30.0
    """Redis: a worker silent this long is presumed dead and its unacknowledged messages
    are requeued (dramatiq's default of 60 s plus rare maintenance passes can leave a killed
    worker's page waiting for many minutes)."""

    maintenance_chance: int = 500_000
    """Redis: out of a million broker commands, how many also run the requeue maintenance
    (dramatiq's default 1 000 means minutes at low traffic). Measured here, after the
    heartbeat expired: 10 % → median 3 s, worst 22 s; 50 % → median 1.4 s, worst 3.9 s. The
    pass is cheap unless a dead worker is listed."""

    max_retries: int = 6
    """Attempts after the first before a message is dead-lettered; on the embedded default,
    how often a page whose Tesseract crashed or timed out is tried again in place."""

    min_backoff_s: float = 2.0
    max_backoff_s: float = 60.0
    """Retry backoff bounds (exponential with jitter): 2 s, 4 s, ... capped at 60 s, so six
    retries span about two minutes — long enough to ride out a restarting server."""

    page_time_limit_s: float = 600.0
    """A page step running longer than this is interrupted and retried."""

    requeue_after_s: float = 600.0
    """Recovery at start-up re-enqueues unfinished work that was last enqueued longer ago
    than this (work enqueued more recently is presumably still in a queue)."""

    namespace: str = "sohoa"
    """Prefix of the broker's queue names, so several deployments can share one server."""


@dataclass(frozen=True)
class PortalSettings:
    """Delivery to the National Public Service Portal (Cổng Dịch vụ công quốc gia).

    The portal's real endpoint and authentication are configuration: sohoa has been tested
    against a local mock portal only (``sohoa_dev/services/portal_mock.py``)."""

    url: str | None = None
    """Where each outbox record is POSTed as JSON; None: records wait in the outbox."""

    token: str | None = None
    """Sent as ``Authorization: Bearer …`` when set."""

    public_url: str | None = None
    """Address of ``sohoa serve`` as the portal reaches it: document links in messages
    point there when the store cannot presign (the local directory store); None: such
    messages carry no links."""

    timeout_s: float = 10.0
    """One POST may take this long before it counts as failed."""

    lease_s: float = 60.0
    """A sender holds a record this long; a sender killed mid-post loses its hold after
    this and the record is posted again (the portal drops the copy by its number)."""

    max_attempts: int = 8
    """Rejections (HTTP 4xx, or ``error_code`` other than 0) before a record is
    dead-lettered. A portal that is down (refused, timed out, HTTP 5xx) is retried
    without limit: the record is not at fault."""

    min_backoff_s: float = 5.0
    max_backoff_s: float = 600.0
    """Retry backoff bounds (exponential with jitter)."""

    poll_s: float = 5.0
    """How often a sender looks for new records when the outbox is empty."""


_PORTAL_NUMBERS = {
    "timeout_s": ("SOHOA_PORTAL_TIMEOUT_S", float),
    "lease_s": ("SOHOA_PORTAL_LEASE_S", float),
    "max_attempts": ("SOHOA_PORTAL_MAX_ATTEMPTS", int),
    "min_backoff_s": ("SOHOA_PORTAL_MIN_BACKOFF_S", float),
    "max_backoff_s": ("SOHOA_PORTAL_MAX_BACKOFF_S", float),
    "poll_s": ("SOHOA_PORTAL_POLL_S", float),
}


_QUEUE_NUMBERS = {
    "heartbeat_timeout_s": ("SOHOA_HEARTBEAT_TIMEOUT_S", float),
    "maintenance_chance": ("SOHOA_MAINTENANCE_CHANCE", int),
    "max_retries": ("SOHOA_MAX_RETRIES", int),
    "min_backoff_s": ("SOHOA_MIN_BACKOFF_S", float),
    "max_backoff_s": ("SOHOA_MAX_BACKOFF_S", float),
    "page_time_limit_s": ("SOHOA_PAGE_TIME_LIMIT_S", float),
    "requeue_after_s": ("SOHOA_REQUEUE_AFTER_S", float),
}


def _numbers(env: Mapping[str, str], fields: dict[str, tuple[str, type]]) -> dict:
    """The numeric fields whose variables are set (unset ones keep their defaults)."""
    return {name: env_number(env, var, kind) for name, (var, kind) in fields.items()
            if env.get(var)}


def env_number(env: Mapping[str, str], name: str, kind: type = int,
               minimum: float | None = None) -> int | float | None:
    """The number in variable ``name`` (None when unset or empty); anything else is refused
    naming the variable and what it expects, never a traceback."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    what = "số nguyên" if kind is int else "số"
    try:
        value = kind(text)
    except ValueError:
        raise ConfigurationError(f"{name} phải là {what}, không phải {text!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} phải là {what} ≥ {minimum:g}, không phải {text!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything one run of sohoa needs."""

    data_dir: Path = Path("sohoa-data")
    """Home of the embedded default's files."""

    agency_code: str = "000.00.14.H56"
    """Agency identifier that starts this counter's dossier codes."""

    digitizer: str = "Cán bộ số hóa"
    """Name recorded as 'digitized by' when the signer certificate gives none."""

    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Worker processes for page work."""

    catalog_path: Path | None = None
    """Procedure catalog (YAML); None: the one shipped with sohoa."""

    model_path: Path | None = None
    """Trained page classifier (``sohoa train``); None: QR codes and title rules only."""

    retention_path: Path | None = None
    """Retention periods of signed documents (YAML, sohoa.domain.retention); None: the ones
    shipped with sohoa."""

    holidays_path: Path | None = None
    """Public holidays and make-up days (YAML); None: the ones shipped with sohoa."""

    routing_path: Path | None = None
    """Which agencies each procedure's dossiers are routed to (YAML, sohoa.domain.routing);
    None: to the receiving agency itself."""

    agency_name: str = "Bộ phận Tiếp nhận và Trả kết quả"
    """The counter's name as printed on receipts (e.g. "Trung tâm Phục vụ hành chính công
    phường Ba Đình")."""

    parent_agency_name: str = "Ủy ban nhân dân"
    """The agency the counter belongs to (cơ quan chủ quản), printed above its name on the
    receipts as official papers have it (Decree 30/2020 layout); empty: no such line."""

    result_place: str = "Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ"
    """Where the result is returned, printed after "Nhận kết quả tại:" on receipts."""

    limits: LoadLimits = LoadLimits()
    ocr: OcrSettings = OcrSettings()
    signing: SigningSettings = SigningSettings()
    storage: StorageSettings = StorageSettings()
    queue: QueueSettings = QueueSettings()
    portal: PortalSettings = PortalSettings()
    production: bool = False
    """``SOHOA_PROFILE=production``: development conveniences (the test CA, well-known
    default credentials) are refused; see :func:`production_problems`."""
    secret_key: str | None = None
    """``SOHOA_SECRET_KEY``: signs the web app's session cookies; unset outside production,
    one is generated and kept in ``<data_dir>/secret-key``."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ``SOHOA_*`` variables; only entry points call this."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("SOHOA_DATA_DIR", "sohoa-data"))
        if env.get("SOHOA_BROKER_URL") and not data_dir.is_absolute():
            raise ConfigurationError(
                f"SOHOA_DATA_DIR phải là đường dẫn tuyệt đối khi dùng hàng đợi "
                f"(SOHOA_BROKER_URL), không phải {str(data_dir)!r}: mọi tiến trình (sohoa "
                "worker, serve, intake) phải dùng cùng một thư mục (CA thử nghiệm, khóa phiên)")
        if env.get("SOHOA_RETENTION_DAYS"):
            raise ConfigurationError(
                "SOHOA_RETENTION_DAYS không còn dùng: thời hạn lưu trữ (và khóa S3) của tài liệu "
                "đã ký lấy từ retention.yaml (SOHOA_RETENTION); bỏ biến này")

        def path(name: str) -> Path | None:
            value = env.get(name)
            return Path(value) if value else None

        production = env.get("SOHOA_PROFILE", "development").lower() == "production"
        signing = SigningSettings(
            dev_signer_allowed=not production,
            pkcs12_path=path("SOHOA_PKCS12"),
            pkcs12_password=env.get("SOHOA_PKCS12_PASSWORD"),
            pkcs11_module=path("SOHOA_PKCS11_MODULE"),
            pkcs11_token_label=env.get("SOHOA_PKCS11_TOKEN"),
            pkcs11_pin=env.get("SOHOA_PKCS11_PIN"),
            pkcs11_key_label=env.get("SOHOA_PKCS11_KEY"),
            dev_ca_dir=data_dir / "dev-ca",
            tsa_url=env.get("SOHOA_TSA_URL") or None,
            stamp_font=path("SOHOA_STAMP_FONT") or SigningSettings.stamp_font,
            trust_roots=tuple(
                Path(p) for p in env.get("SOHOA_TRUST_ROOTS", "").split(os.pathsep) if p
            ),
        )
        storage = StorageSettings(
            object_root=path("SOHOA_OBJECT_ROOT") or data_dir / "objects",
            database_url=env.get(
                "SOHOA_DATABASE_URL", f"sqlite:///{data_dir / 'catalog.sqlite3'}"
            ),
            s3_endpoint=env.get("SOHOA_S3_ENDPOINT") or None,
            s3_access_key=env.get("SOHOA_S3_ACCESS_KEY") or None,
            s3_secret_key=env.get("SOHOA_S3_SECRET_KEY") or None,
            s3_bucket=env.get("SOHOA_S3_BUCKET") or StorageSettings.s3_bucket,
            s3_secure=env.get("SOHOA_S3_SECURE", "").lower() in ("1", "true", "yes"),
            s3_region=env.get("SOHOA_S3_REGION") or None,
        )
        queue = QueueSettings(
            broker_url=env.get("SOHOA_BROKER_URL") or None,
            namespace=env.get("SOHOA_BROKER_NAMESPACE") or QueueSettings.namespace,
            **_numbers(env, _QUEUE_NUMBERS),
        )
        return cls(
            data_dir=data_dir,
            agency_code=env.get("SOHOA_AGENCY", cls.agency_code),
            digitizer=env.get("SOHOA_DIGITIZER", cls.digitizer),
            jobs=env_number(env, "SOHOA_JOBS", int, minimum=1) or os.cpu_count() or 1,
            catalog_path=path("SOHOA_CATALOG"),
            model_path=path("SOHOA_MODEL"),
            retention_path=path("SOHOA_RETENTION"),
            holidays_path=path("SOHOA_HOLIDAYS"),
            routing_path=path("SOHOA_ROUTING"),
            agency_name=env.get("SOHOA_AGENCY_NAME") or cls.agency_name,
            parent_agency_name=env.get("SOHOA_PARENT_AGENCY_NAME", cls.parent_agency_name),
            result_place=env.get("SOHOA_RESULT_PLACE") or cls.result_place,
            ocr=OcrSettings(languages=env.get("SOHOA_OCR_LANGUAGES", OcrSettings.languages)),
            signing=signing,
            storage=storage,
            queue=queue,
            portal=PortalSettings(url=env.get("SOHOA_PORTAL_URL") or None,
                                  token=env.get("SOHOA_PORTAL_TOKEN") or None,
                                  public_url=env.get("SOHOA_PUBLIC_URL") or None,
                                  **_numbers(env, _PORTAL_NUMBERS)),
            production=production,
            secret_key=env.get("SOHOA_SECRET_KEY") or None,
        )


WELL_KNOWN_SECRETS = frozenset({"", "admin", "password", "secret", "minioadmin", "changeme",
                                "guest", "any", "test"})
"""Credentials that ship as defaults with S3 servers, brokers and examples."""


def production_problems(settings: Settings) -> list[str]:
    """What a production deployment must not run with (empty outside production).

    Long-running entry points (``sohoa serve``, ``sohoa worker``) refuse to start with any,
    rather than fail at the first document or run with a guessable secret.
    """
    if not settings.production:
        return []
    problems = []
    signing = settings.signing
    if signing.pkcs11_module is None and signing.pkcs12_path is None:
        problems.append("chưa cấu hình chữ ký số (SOHOA_PKCS11_MODULE hoặc SOHOA_PKCS12): "
                        "không ký bằng chứng thư thử nghiệm")
    storage = settings.storage
    if storage.s3_endpoint and (storage.s3_secret_key or "").lower() in WELL_KNOWN_SECRETS:
        problems.append("SOHOA_S3_SECRET_KEY trống hoặc là mật khẩu mặc định")
    if storage.s3_endpoint and not storage.s3_secure:
        problems.append("kho S3 phải dùng HTTPS (SOHOA_S3_SECURE=1)")
    broker = settings.queue.broker_url or ""
    if ":guest@" in broker or (broker.startswith("amqp") and "@" not in broker):
        problems.append("hàng đợi RabbitMQ dùng tài khoản guest mặc định")
    if len(settings.secret_key or "") < 32:
        problems.append("SOHOA_SECRET_KEY (khóa ký phiên đăng nhập) chưa đặt hoặc ngắn hơn 32 "
                        "ký tự")
    return problems


def check_production(settings: Settings) -> None:
    """Raise :class:`~sohoa.errors.ConfigurationError` listing every production problem."""
    problems = production_problems(settings)
    if problems:
        raise ConfigurationError("Cấu hình chưa dùng được cho vận hành (SOHOA_PROFILE="
                                 "production): " + "; ".join(problems))


@dataclass(frozen=True)
class EnvSetting:
    """One ``SOHOA_*`` variable, as ``sohoa settings`` explains it."""

    name: str
    default: str
    meaning: str
    """In Vietnamese, for the operator."""


ENVIRONMENT: tuple[tuple[str, tuple[EnvSetting, ...]], ...] = (
    ("Chung", (
        EnvSetting("SOHOA_DATA_DIR", "sohoa-data", "thư mục dữ liệu: danh mục SQLite, kho "
                   "đối tượng (cấu hình nhúng), CA thử nghiệm, khóa phiên; khi dùng hàng đợi "
                   "phải là đường dẫn tuyệt đối, giống nhau ở mọi tiến trình"),
        EnvSetting("SOHOA_PROFILE", "development", "production: từ chối CA thử nghiệm, mật "
                   "khẩu mặc định, S3 không HTTPS, khóa phiên yếu"),
        EnvSetting("SOHOA_AGENCY", "000.00.14.H56", "mã cơ quan đứng đầu mã hồ sơ của quầy"),
        EnvSetting("SOHOA_AGENCY_NAME", "Bộ phận Tiếp nhận và Trả kết quả",
                   "tên quầy in trên giấy tiếp nhận"),
        EnvSetting("SOHOA_PARENT_AGENCY_NAME", "Ủy ban nhân dân",
                   "cơ quan chủ quản in phía trên tên quầy trên giấy tiếp nhận (rỗng: không in)"),
        EnvSetting("SOHOA_RESULT_PLACE", "Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ",
                   "nơi trả kết quả, in sau \"Nhận kết quả tại:\" trên giấy tiếp nhận"),
        EnvSetting("SOHOA_DIGITIZER", "Cán bộ số hóa", "tên người số hóa ghi vào tài liệu khi "
                   "chứng thư ký số không có tên"),
        EnvSetting("SOHOA_JOBS", "số lõi CPU", "số tiến trình xử lý trang (số nguyên ≥ 1)"),
        EnvSetting("SOHOA_OCR_LANGUAGES", "vie", "ngôn ngữ OCR của Tesseract, ví dụ vie+eng"),
    )),
    ("Dữ liệu danh mục (YAML)", (
        EnvSetting("SOHOA_CATALOG", "danh mục kèm theo", "tệp danh mục thủ tục và thành phần "
                   "hồ sơ"),
        EnvSetting("SOHOA_MODEL", "không có", "mô hình phân loại trang đã huấn luyện (sohoa "
                   "train)"),
        EnvSetting("SOHOA_RETENTION", "thời hạn kèm theo", "thời hạn lưu trữ theo thủ tục / "
                   "loại giấy tờ"),
        EnvSetting("SOHOA_HOLIDAYS", "lịch kèm theo", "ngày nghỉ lễ và ngày làm bù (tính ngày "
                   "hẹn trả)"),
        EnvSetting("SOHOA_ROUTING", "cơ quan tiếp nhận", "hồ sơ của thủ tục nào chuyển tới cơ "
                   "quan nào"),
    )),
    ("Chữ ký số", (
        EnvSetting("SOHOA_PKCS12", "không có", "tệp PKCS#12 chứa khóa và chứng thư người số "
                   "hóa"),
        EnvSetting("SOHOA_PKCS12_PASSWORD", "không có", "mật khẩu tệp PKCS#12"),
        EnvSetting("SOHOA_PKCS11_MODULE", "không có", "thư viện PKCS#11 của USB token"),
        EnvSetting("SOHOA_PKCS11_TOKEN", "không có", "nhãn token"),
        EnvSetting("SOHOA_PKCS11_PIN", "không có", "mã PIN người dùng của token"),
        EnvSetting("SOHOA_PKCS11_KEY", "khóa đầu tiên", "nhãn khóa và chứng thư trên token"),
        EnvSetting("SOHOA_TSA_URL", "không có", "máy chủ dấu thời gian RFC 3161 (PAdES B-T)"),
        EnvSetting("SOHOA_STAMP_FONT", str(SigningSettings.stamp_font),
                   "phông TrueType của dấu chữ ký nhìn thấy (phải có chữ Việt)"),
        EnvSetting("SOHOA_TRUST_ROOTS", "không có", "chứng thư CA tin cậy thêm cho sohoa "
                   "verify / scrub, cách nhau bởi ':'"),
    )),
    ("Kho lưu trữ và danh mục", (
        EnvSetting("SOHOA_DATABASE_URL", "sqlite:///<SOHOA_DATA_DIR>/catalog.sqlite3",
                   "danh mục, ví dụ postgresql+psycopg://u:p@host/sohoa"),
        EnvSetting("SOHOA_OBJECT_ROOT", "<SOHOA_DATA_DIR>/objects",
                   "thư mục kho đối tượng khi không dùng S3"),
        EnvSetting("SOHOA_S3_ENDPOINT", "không có (thư mục)", "host:port của máy chủ S3 "
                   "(MinIO, SeaweedFS)"),
        EnvSetting("SOHOA_S3_ACCESS_KEY", "không có", "khóa truy cập S3"),
        EnvSetting("SOHOA_S3_SECRET_KEY", "không có", "khóa bí mật S3"),
        EnvSetting("SOHOA_S3_BUCKET", "sohoa", "bucket chứa mọi hồ sơ (tạo với object lock "
                   "khi chưa có)"),
        EnvSetting("SOHOA_S3_SECURE", "0", "1: HTTPS tới máy chủ S3"),
        EnvSetting("SOHOA_S3_REGION", "không có", "vùng S3 (region)"),
        EnvSetting("SOHOA_RETENTION_DAYS", "không dùng", "đã bỏ: đặt thì bị từ chối; thời "
                   "hạn lưu trữ và khóa S3 của tài liệu đã ký lấy từ SOHOA_RETENTION"),
    )),
    ("Hàng đợi (quy mô lớn; không đặt SOHOA_BROKER_URL: chạy nhúng)", (
        EnvSetting("SOHOA_BROKER_URL", "không có", "redis://host:6379/0 hoặc "
                   "amqp://u:p@host:5672/"),
        EnvSetting("SOHOA_BROKER_NAMESPACE", "sohoa", "tiền tố tên hàng đợi (nhiều hệ thống "
                   "dùng chung một máy chủ)"),
        EnvSetting("SOHOA_HEARTBEAT_TIMEOUT_S", "30", "Redis: máy xử lý im lặng chừng này "
                   "giây bị coi là chết, việc của nó được giao lại"),
        EnvSetting("SOHOA_MAINTENANCE_CHANCE", "500000", "Redis: trên một triệu lệnh, bao "
                   "nhiêu lệnh kèm lượt dọn việc của máy chết"),
        EnvSetting("SOHOA_MAX_RETRIES", "6", "số lần thử lại một bước trước khi bỏ (cả cấu "
                   "hình nhúng: trang mà Tesseract bị dừng đột ngột hay quá giờ)"),
        EnvSetting("SOHOA_MIN_BACKOFF_S", "2", "chờ tối thiểu trước lần thử lại (giây)"),
        EnvSetting("SOHOA_MAX_BACKOFF_S", "60", "chờ tối đa trước lần thử lại (giây)"),
        EnvSetting("SOHOA_PAGE_TIME_LIMIT_S", "600", "một trang chạy quá chừng này giây bị "
                   "dừng và thử lại"),
        EnvSetting("SOHOA_REQUEUE_AFTER_S", "600", "khi khởi động, việc dở dang không tiến "
                   "triển chừng này giây được đưa lại vào hàng đợi"),
    )),
    ("Cổng Dịch vụ công quốc gia (đồng bộ hồ sơ; chưa thử với cổng thật)", (
        EnvSetting("SOHOA_PORTAL_URL", "không có (bản ghi chờ trong hộp thư đi)",
                   "địa chỉ nhận đồng bộ hồ sơ (POST JSON)"),
        EnvSetting("SOHOA_PORTAL_TOKEN", "không có", "mã truy cập gửi kèm (Authorization: "
                   "Bearer)"),
        EnvSetting("SOHOA_PUBLIC_URL", "không có", "địa chỉ sohoa serve mà cổng tải tài liệu "
                   "về (khi kho không tạo được liên kết S3 ký sẵn)"),
        EnvSetting("SOHOA_PORTAL_TIMEOUT_S", "10", "một lần gửi chờ tối đa chừng này giây"),
        EnvSetting("SOHOA_PORTAL_LEASE_S", "60", "bộ gửi giữ một bản ghi chừng này giây; "
                   "bộ gửi bị dừng đột ngột thì hết hạn giữ và bản ghi được gửi lại"),
        EnvSetting("SOHOA_PORTAL_MAX_ATTEMPTS", "8", "số lần cổng từ chối một bản ghi trước "
                   "khi đưa vào hàng lỗi (cổng không trả lời thì thử lại mãi)"),
        EnvSetting("SOHOA_PORTAL_MIN_BACKOFF_S", "5", "chờ tối thiểu trước lần gửi lại (giây)"),
        EnvSetting("SOHOA_PORTAL_MAX_BACKOFF_S", "600", "chờ tối đa trước lần gửi lại (giây)"),
        EnvSetting("SOHOA_PORTAL_POLL_S", "5", "khi không có gì để gửi, bao lâu xem lại một "
                   "lần (giây)"),
    )),
    ("Quầy (sohoa serve)", (
        EnvSetting("SOHOA_SECRET_KEY", "tự tạo trong <SOHOA_DATA_DIR>/secret-key",
                   "khóa ký phiên đăng nhập (bắt buộc, ≥ 32 ký tự khi vận hành)"),
        EnvSetting("SOHOA_SECURE_COOKIES", "1", "0: cho phép phiên đăng nhập qua HTTP (chỉ khi "
                   "phát triển)"),
        EnvSetting("SOHOA_MAX_REQUEST_BYTES", str(2 * 1024**3), "yêu cầu lớn hơn bị từ chối "
                   "(413)"),
        EnvSetting("SOHOA_SCANNER_DEVICE", "không có (chỉ tải tệp lên)", "máy quét SANE của "
                   "quầy, ví dụ airscan:e0:Quay-1"),
        EnvSetting("SOHOA_SANE_CONFIG_DIR", "cấu hình SANE của máy", "thư mục cấu hình SANE"),
        EnvSetting("SOHOA_SCAN_RESOLUTION", "300", "độ phân giải khi quét (dpi)"),
        EnvSetting("SOHOA_SCAN_MODE", "Gray", "chế độ màu: Gray, Color hoặc Lineart"),
        EnvSetting("SOHOA_SCAN_SOURCE", "ADF", "nguồn giấy: ADF, ADF Duplex hoặc Flatbed"),
    )),
    ("Dòng lệnh", (
        EnvSetting("SOHOA_NEW_PASSWORD", "hỏi trên bàn phím", "mật khẩu cho sohoa user add / "
                   "passwd khi không có bàn phím"),
    )),
)
"""Every ``SOHOA_*`` variable sohoa reads, by section (a test keeps it complete)."""
