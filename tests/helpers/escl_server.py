"""A tiny eSCL (AirScan) network scanner on 127.0.0.1, for testing the bridge through SANE.

It implements the part of the protocol that sane-airscan uses, and nothing more:

- ``GET  /eSCL/ScannerCapabilities`` — a platen and an ADF (simplex and duplex), each with
  discrete resolutions 150/300 dpi, colour modes ``RGB24``/``Grayscale8``, document formats
  ``image/jpeg`` and ``application/pdf``; maximum size A4 in 1/300 inch.
- ``GET  /eSCL/ScannerStatus`` — ``pwg:State`` Idle, ``scan:AdfState`` Loaded/Empty/Jam.
- ``POST /eSCL/ScanJobs`` — parses ``scan:ScanSettings`` (region, input source, colour mode,
  resolution, duplex) and answers ``201 Created`` with a ``Location``; with the feeder empty
  it answers ``409 Conflict``, as real scanners do.
- ``GET  {job}/NextDocument`` — one JPEG per call: one page from the platen, then 404; from
  the feeder one page per sheet (two in duplex: front, back) until the feeder is empty, then
  404. ``jam_after`` makes the feeder jam (HTTP 500, AdfState Jam) after that many images;
  ``hang_after`` makes it stop answering (a hung scanner, for timeouts).
- ``DELETE {job}`` — forgets the job.

Sources it is based on: the Mopria eSCL specification's element names (namespaces ``scan`` =
``http://schemas.hp.com/imaging/escl/2011/05/03``, ``pwg`` =
``http://www.pwg.org/schemas/2010/12/sm``; region units ``escl:ThreeHundredthsOfInches``) and
sane-airscan's ``airscan-escl.c`` (github.com/alexpevzner/sane-airscan), which fixes what the
client really reads: ``scan:PlatenInputCaps`` / ``scan:AdfSimplexInputCaps`` /
``scan:AdfDuplexInputCaps`` with ``MinWidth``..``MaxHeight`` and ``SettingProfiles``
(``ColorModes``, ``DocumentFormats`` incl. ``scan:DocumentFormatExt``,
``SupportedResolutions/DiscreteResolutions`` with equal X and Y); ``201`` plus ``Location``
(made absolute against the base URI, host forced to ``localhost``) for ``ScanJobs``;
``NextDocument`` appended to the job location; after a failed ``NextDocument`` it reads
``ScannerStatus`` and maps ``ScannerAdfEmpty`` to "no more documents" (the normal end of an
ADF batch), ``ScannerAdfJam`` to "jammed"; HTTP 503 would make it retry for 30 s, so this
server never sends 503.

Every page is a synthetic Vietnamese form from :mod:`sohoa_dev.synth` rendered at the requested
resolution and region, so a test can compare what SANE delivered with :attr:`EsclScanner.served`.
Colour pages carry a red band so a test can tell RGB from grey output.
"""

from __future__ import annotations

import io
import itertools
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from PIL import Image, ImageDraw

from sohoa_dev.synth import Scan, make_page

SCAN_NS = "http://schemas.hp.com/imaging/escl/2011/05/03"
PWG_NS = "http://www.pwg.org/schemas/2010/12/sm"
NS = {"scan": SCAN_NS, "pwg": PWG_NS}
RESOLUTIONS = (150, 300)
A4_300THS = (2480, 3508)
"""A4 in the protocol's unit, 1/300 inch."""


@dataclass(frozen=True)
class JobSettings:
    """What a client asked for in one ``POST /eSCL/ScanJobs``."""

    source: str  # "Platen" | "Feeder"
    color_mode: str  # "RGB24" | "Grayscale8" | ...
    resolution: int
    width_300ths: int
    height_300ths: int
    duplex: bool
    document_format: str


@dataclass(frozen=True)
class ServedPage:
    """One image the scanner sent, kept so a test can compare it with what SANE delivered."""

    job: int
    index: int
    """0-based position in the whole session (order of delivery)."""
    side: str  # "front" | "back"
    settings: JobSettings
    image: Image.Image


@dataclass
class EsclScanner:
    """The simulated device: paper in the feeder and everything served so far."""

    sheets: int = 3
    """Sheets in the feeder (each gives one image, or two in duplex)."""
    jam_after: int | None = None
    """Jam once this many feeder images have been served in the session."""
    hang_after: int | None = None
    """Stop answering (until the server stops) once this many images have been served: a
    scanner that hangs mid-batch."""
    model: str = "Sohoa eSCL Test Scanner"
    jobs: dict[int, dict] = field(default_factory=dict)
    job_settings: list[JobSettings] = field(default_factory=list)
    served: list[ServedPage] = field(default_factory=list)
    jammed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def adf_state(self) -> str:
        if self.jammed:
            return "ScannerAdfJam"
        return "ScannerAdfLoaded" if self.sheets > 0 else "ScannerAdfEmpty"

    def create_job(self, settings: JobSettings) -> int | None:
        """A new job id, or None when the feeder is empty (or jammed) for a feeder job."""
        with self.lock:
            if settings.source == "Feeder" and (self.sheets == 0 or self.jammed):
                return None
            job = next(self._ids)
            self.jobs[job] = {"settings": settings, "pending": [], "done": False}
            self.job_settings.append(settings)
            return job

    def next_document(self, job: int) -> tuple[int, bytes | None]:
        """(HTTP status, JPEG bytes) for the job's next image."""
        if self.hang_after is not None and len(self.served) >= self.hang_after:
            self.released.wait(60)
            return 500, None
        with self.lock:
            state = self.jobs.get(job)
            if state is None:
                return 404, None
            settings: JobSettings = state["settings"]
            if settings.source == "Platen":
                if state["done"]:
                    return 404, None
                state["done"] = True
                return 200, self._serve(job, settings, "front")
            return self._next_from_feeder(job, state, settings)

    def _next_from_feeder(self, job: int, state: dict, settings: JobSettings
                          ) -> tuple[int, bytes | None]:
        if self.jammed:
            return 500, None
        feeder_served = sum(1 for p in self.served if p.settings.source == "Feeder")
        if self.jam_after is not None and feeder_served >= self.jam_after:
            self.jammed = True
            return 500, None
        if not state["pending"]:
            if self.sheets == 0:
                return 404, None
            self.sheets -= 1
            state["pending"] = ["front", "back"] if settings.duplex else ["front"]
        return 200, self._serve(job, settings, state["pending"].pop(0))

    def _serve(self, job: int, settings: JobSettings, side: str) -> bytes:
        index = len(self.served)
        image = render(index, settings)
        self.served.append(ServedPage(job, index, side, settings, image))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=92, dpi=(settings.resolution, settings.resolution))
        return buf.getvalue()


def render(index: int, settings: JobSettings) -> Image.Image:
    """A synthetic page of the requested size, resolution and colour; ``index`` seeds it."""
    size_in = (settings.width_300ths / 300, settings.height_300ths / 300)
    page = make_page(seed=1000 + index, scan=Scan(dpi=settings.resolution), size_in=size_in,
                     sentences=4, title=f"TRANG SỐ {index + 1}")
    image = page.image.convert("L")
    # A solid block whose width grows with the index: the page order is visible at a glance.
    draw = ImageDraw.Draw(image)
    w, h = image.size
    draw.rectangle((0, h - h // 10, w // 10 * (1 + index % 9), h - 1), fill=0)
    if settings.color_mode == "RGB24":
        image = image.convert("RGB")
        ImageDraw.Draw(image).rectangle((0, 0, w - 1, h // 20), fill=(220, 20, 30))
    return image


def capabilities_xml(model: str) -> bytes:
    """``scan:ScannerCapabilities`` for a platen and a duplex ADF."""
    caps = (
        "<scan:MinWidth>16</scan:MinWidth>"
        f"<scan:MaxWidth>{A4_300THS[0]}</scan:MaxWidth>"
        "<scan:MinHeight>16</scan:MinHeight>"
        f"<scan:MaxHeight>{A4_300THS[1]}</scan:MaxHeight>"
        "<scan:MaxScanRegions>1</scan:MaxScanRegions>"
        "<scan:SettingProfiles><scan:SettingProfile>"
        "<scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode>"
        "<scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes>"
        "<scan:DocumentFormats>"
        "<pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>"
        "<pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>"
        "<scan:DocumentFormatExt>image/jpeg</scan:DocumentFormatExt>"
        "<scan:DocumentFormatExt>application/pdf</scan:DocumentFormatExt>"
        "</scan:DocumentFormats>"
        "<scan:SupportedResolutions><scan:DiscreteResolutions>"
        + "".join(f"<scan:DiscreteResolution><scan:XResolution>{r}</scan:XResolution>"
                  f"<scan:YResolution>{r}</scan:YResolution></scan:DiscreteResolution>"
                  for r in RESOLUTIONS)
        + "</scan:DiscreteResolutions></scan:SupportedResolutions>"
        "</scan:SettingProfile></scan:SettingProfiles>"
        "<scan:SupportedIntents><scan:Intent>Document</scan:Intent></scan:SupportedIntents>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<scan:ScannerCapabilities xmlns:scan="{SCAN_NS}" xmlns:pwg="{PWG_NS}">'
        "<pwg:Version>2.63</pwg:Version>"
        f"<pwg:MakeAndModel>{model}</pwg:MakeAndModel>"
        "<pwg:SerialNumber>SOHOA-0001</pwg:SerialNumber>"
        "<scan:UUID>4509a320-00a0-008f-00b6-002507510eca</scan:UUID>"
        f"<scan:Platen><scan:PlatenInputCaps>{caps}</scan:PlatenInputCaps></scan:Platen>"
        f"<scan:Adf><scan:AdfSimplexInputCaps>{caps}</scan:AdfSimplexInputCaps>"
        f"<scan:AdfDuplexInputCaps>{caps}</scan:AdfDuplexInputCaps>"
        "<scan:FeederCapacity>50</scan:FeederCapacity>"
        "<scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>"
        "<scan:AdfOption>Duplex</scan:AdfOption></scan:AdfOptions></scan:Adf>"
        "</scan:ScannerCapabilities>"
    ).encode()


def status_xml(adf_state: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<scan:ScannerStatus xmlns:scan="{SCAN_NS}" xmlns:pwg="{PWG_NS}">'
        "<pwg:Version>2.63</pwg:Version><pwg:State>Idle</pwg:State>"
        f"<scan:AdfState>{adf_state}</scan:AdfState>"
        "</scan:ScannerStatus>"
    ).encode()


def parse_settings(body: bytes) -> JobSettings:
    """The fields of ``scan:ScanSettings`` this scanner honours."""
    root = ET.fromstring(body)

    def text(path: str, default: str = "") -> str:
        node = root.find(path, NS)
        return node.text.strip() if node is not None and node.text else default

    return JobSettings(
        source=text("pwg:InputSource") or text("scan:InputSource", "Platen"),
        color_mode=text("scan:ColorMode", "RGB24"),
        resolution=int(text("scan:XResolution", "300")),
        width_300ths=int(text("pwg:ScanRegions/pwg:ScanRegion/pwg:Width", str(A4_300THS[0]))),
        height_300ths=int(text("pwg:ScanRegions/pwg:ScanRegion/pwg:Height",
                               str(A4_300THS[1]))),
        duplex=text("scan:Duplex", "false").lower() == "true",
        document_format=text("pwg:DocumentFormat") or text("scan:DocumentFormatExt"),
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        self.server.requests.append(f"{self.command} {self.path}")

    def _reply(self, status: int, body: bytes = b"", ctype: str = "text/xml",
               headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        scanner = self.server.scanner
        path = self.path.rstrip("/")
        if path == "/eSCL/ScannerCapabilities":
            self._reply(200, capabilities_xml(scanner.model))
        elif path == "/eSCL/ScannerStatus":
            self._reply(200, status_xml(scanner.adf_state()))
        elif path.startswith("/eSCL/ScanJobs/") and path.endswith("/NextDocument"):
            job = _job_id(path.removesuffix("/NextDocument"))
            status, body = scanner.next_document(job) if job else (404, None)
            if body is None:
                self._reply(status)
            else:
                self._reply(200, body, "image/jpeg")
        else:
            self._reply(404)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/eSCL/ScanJobs":
            self._reply(404)
            return
        try:
            settings = parse_settings(body)
        except (ET.ParseError, ValueError):
            self._reply(400)
            return
        if settings.document_format not in ("image/jpeg", ""):
            self._reply(409)  # this simulator only produces JPEG
            return
        job = self.server.scanner.create_job(settings)
        if job is None:
            self._reply(409)
            return
        location = f"http://127.0.0.1:{self.server.server_port}/eSCL/ScanJobs/{job}"
        self._reply(201, headers={"Location": location})

    def do_DELETE(self) -> None:  # noqa: N802
        job = _job_id(self.path.rstrip("/"))
        with self.server.scanner.lock:
            found = self.server.scanner.jobs.pop(job, None) if job else None
        self._reply(200 if found is not None else 404)


def _job_id(path: str) -> int | None:
    prefix = "/eSCL/ScanJobs/"
    tail = path.removeprefix(prefix)
    return int(tail) if path.startswith(prefix) and tail.isdigit() else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    scanner: EsclScanner
    requests: list[str]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (scanimage killed by a timeout) is not a server error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class EsclServer:
    """Run an :class:`EsclScanner` on a free port of 127.0.0.1 (a context manager)."""

    def __init__(self, scanner: EsclScanner | None = None) -> None:
        self.scanner = scanner or EsclScanner()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.scanner = self.scanner
        self._httpd.requests = []
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True, name="escl-test-server")

    @property
    def url(self) -> str:
        """The eSCL base URL, as written in airscan.conf."""
        return f"http://127.0.0.1:{self._httpd.server_port}/eSCL"

    @property
    def requests(self) -> list[str]:
        """``METHOD path`` of every request answered, in order."""
        return self._httpd.requests

    def start(self) -> EsclServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.scanner.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> EsclServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
