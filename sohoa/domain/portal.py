"""What sohoa tells the National Public Service Portal (Cổng Dịch vụ công quốc gia).

Two shapes live here. :class:`PortalEvent` is one change of one dossier as the catalog's
outbox keeps it (a status change or a new document), numbered per dossier so the portal can
apply changes in order and drop a copy it already has. :class:`SyncMessage` is what is
posted for it: the event and the dossier in the national sync format (:class:`PortalDossier`, the
field names provincial one-stop systems send — docs/domain.md §8). The real portal's
endpoint and authentication are configuration; this format follows public provincial
implementations and has not been tested against the real portal.

Dates are ``yyyyMMddHHmmss`` in Vietnam time (:func:`portal_time`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sohoa.clock import VIETNAM

PORTAL_TIME = "%Y%m%d%H%M%S"


def portal_time(moment: datetime | None) -> str | None:
    """``yyyyMMddHHmmss`` in Vietnam time (the portal's date form); None stays None."""
    if moment is None:
        return None
    return moment.astimezone(VIETNAM).strftime(PORTAL_TIME)


class EventKind(StrEnum):
    """What changed in a dossier."""

    STATUS = "status"
    """The dossier moved to another national status code (1–10)."""
    DOCUMENT = "document"
    """A digitized document (a submitted component or a result) was recorded."""


class PortalEvent(BaseModel):
    """One change of one dossier, written to the outbox in the transaction that made it."""

    model_config = ConfigDict(frozen=True)

    dossier_code: str
    sequence: int = Field(ge=1)
    """1, 2, 3 … per dossier, in the order the changes were committed."""
    kind: EventKind
    status: int = Field(ge=1, le=10)
    """The dossier's status once the change is made."""
    at: datetime
    by: str = ""
    """Who made the change, when the caller said (an agency officer, a clerk)."""
    document_ordinal: int | None = None
    document_title: str | None = None


class OutboxState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"
    """Rejected by the portal too often: waits for an operator (``sohoa portal retry``);
    the dossier's later records wait behind it, so the portal never sees them out of order."""


# --- the national sync format -----------------------------------------------------------


class PersonalId(BaseModel):
    LoaiDinhDanh: int
    """1: 12-digit personal identification number; 2: 9-digit old identity card."""
    SoDinhDanh: str


class SubmittedFile(BaseModel):
    """A submitted component as digitized."""

    TepDinhKemId: str
    TenTepDinhKem: str
    MaThanhPhanHoSo: str | None = None
    DuongDanTaiTepTin: str | None = None
    """A short-lived signed link to the signed PDF."""
    DuocSoHoa: int = 1
    DuocTaiSuDung: int = 0
    """0 no; 1 reused; 2 reused, replaced by an earlier result (MaKetQuaThayThe)."""
    DuocLayTuKhoDMQG: int = 0
    MaKetQuaThayThe: str | None = None


class ResultPaper(BaseModel):
    """A result (kết quả giải quyết) the deciding agency issued."""

    TenGiayTo: str
    MaThanhPhanHoSo: str | None = None
    GiayToId: str
    DuongDanTepTinKetQua: str | None = None
    MaGiayToKetQua: str | None = None


class HistoryStep(BaseModel):
    """One step of the processing history."""

    MaHoSo: str
    NguoiXuLy: str
    ChucDanh: str = ""
    ThoiDiemXuLy: str
    PhongBanXuLy: str = ""
    NoiDungXuLy: str
    TrangThai: int
    NgayBatDau: str | None = None
    NgayKetThucTheoQuyDinh: str | None = None


class PortalDossier(BaseModel):
    """A dossier in the national sync format."""

    MaHoSo: str
    MaTTHC: str
    TenTTHC: str
    MaLinhVuc: str = ""
    TenLinhVuc: str = ""
    KenhThucHien: int = 1
    """1 trực tiếp (at the counter), 2 trực tuyến, 3 bưu chính."""
    ChuHoSo: str = ""
    LoaiDoiTuong: int = 1
    """1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức."""
    SoGiayToChuHoSo: str = ""
    DinhDanhCHS: list[PersonalId] = []
    NgayTiepNhan: str
    NgayHenTra: str | None = None
    TrangThaiHoSo: int
    NgayTra: str | None = None
    HoSoCoThanhPhanSoHoa: int = 0
    TaiLieuNop: list[SubmittedFile] = []
    DanhSachGiayToKetQua: list[ResultPaper] = []
    QuaTrinhXuLy: list[HistoryStep] = []


class SyncMessage(BaseModel):
    """What one outbox record is posted as: the change, then the dossier as it is now."""

    MaHoSo: str
    SoThuTu: int
    """The event's sequence number for this dossier: the portal applies them in order and
    answers a number it already has as received (a re-send after a crash is harmless)."""
    LoaiThayDoi: EventKind
    TrangThaiHoSo: int
    ThoiDiem: str
    HoSo: PortalDossier | None = None


class PortalAnswer(BaseModel):
    """The portal's reply body: ``{error_code, message}``; 0 means accepted."""

    error_code: int | str = 0
    message: str = ""

    @property
    def accepted(self) -> bool:
        return str(self.error_code).strip() in ("0", "")
