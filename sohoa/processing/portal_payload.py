"""A dossier in the national sync format (:class:`~sohoa.domain.portal.PortalDossier`).

Built when a message is posted, never when the change is made: the document links in it
are short-lived (the S3 store's presigned URLs, or links the app signs), so a message
delivered after an outage of hours must carry links made just now. The processing history
is the dossier's status records in the outbox (who, when, which status), the one account
of every change the portal is told about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sohoa.domain.calendar import appointment, load_calendar
from sohoa.domain.papers import PaperKind, ReuseDecision
from sohoa.domain.portal import (
    EventKind,
    HistoryStep,
    PersonalId,
    PortalDossier,
    PortalEvent,
    ResultPaper,
    SubmittedFile,
    SyncMessage,
    portal_time,
)
from sohoa.domain.procedures import Procedure
from sohoa.domain.results import ResultRecord
from sohoa.errors import SohoaError
from sohoa.processing.context import WorkContext
from sohoa.processing.owner import dossier_owner
from sohoa.processing.portal import Renderer, event_only
from sohoa.storage.outbox import PortalOutbox
from sohoa.storage.papers import owner_of, reuses
from sohoa.storage.records import DocumentRecord, DossierRecord, DossierStatus
from sohoa.storage.results import results

LocalLink = Callable[[str, DocumentRecord], str | None]
"""A link to a document for stores that cannot presign (None: no link)."""

STATUS_TEXT = {
    DossierStatus.MOI_DANG_KY: "Mới đăng ký", DossierStatus.DUOC_TIEP_NHAN: "Tiếp nhận hồ sơ",
    DossierStatus.KHONG_DUOC_TIEP_NHAN: "Không tiếp nhận hồ sơ",
    DossierStatus.DANG_XU_LY: "Chuyển xử lý", DossierStatus.YEU_CAU_BO_SUNG: "Yêu cầu bổ sung",
    DossierStatus.YEU_CAU_NGHIA_VU_TAI_CHINH: "Yêu cầu thực hiện nghĩa vụ tài chính",
    DossierStatus.CONG_DAN_XIN_RUT: "Công dân xin rút hồ sơ",
    DossierStatus.DUNG_XU_LY: "Dừng xử lý", DossierStatus.DA_XU_LY_XONG: "Đã xử lý xong",
    DossierStatus.DA_TRA_KET_QUA: "Đã trả kết quả",
}


def dossier_renderer(ctx: WorkContext, link_seconds: int, local_link: LocalLink) -> Renderer:
    """Render each event with the dossier as it is now."""

    def render(event: PortalEvent) -> SyncMessage:
        message = event_only(event)
        return message.model_copy(update={"HoSo": national_dossier(
            ctx, event.dossier_code, document_links(ctx, link_seconds, local_link))})

    return render


def document_links(ctx: WorkContext, seconds: int, local_link: LocalLink) -> LocalLink:
    """Presigned URLs from an S3 store, else ``local_link``'s."""
    presign = getattr(ctx.objects, "presigned_url", None)

    def link(code: str, doc: DocumentRecord) -> str | None:
        if presign is not None:
            return presign(doc.key, timedelta(seconds=seconds), version_id=doc.version_id)
        return local_link(code, doc)

    return link


def national_dossier(ctx: WorkContext, code: str, link: LocalLink) -> PortalDossier:
    """The dossier ``code`` in the national sync format, links made by ``link``."""
    record = ctx.catalog.dossier(code)
    procedure = _procedure(ctx, record.procedure_code)
    owner = dossier_owner(ctx, code)
    owner_id = owner.id_number if owner else (owner_of(ctx.catalog, code) or "")
    events = [e for e, _ in PortalOutbox(ctx.catalog).events(code)]
    returned = [e.at for e in events
                if e.kind == EventKind.STATUS and e.status == DossierStatus.DA_TRA_KET_QUA]
    due = _due(ctx, record, procedure)
    issued = {r.ordinal: r for r in results(ctx.catalog, code)}
    return PortalDossier(
        MaHoSo=code, MaTTHC=record.procedure_code,
        TenTTHC=procedure.name if procedure else "",
        TenLinhVuc=procedure.details.field if procedure and procedure.details else "",
        KenhThucHien=1, LoaiDoiTuong=1,
        # no card: the applicant kept with the dossier (typed by the clerk), and the personal
        # id the clerk set as the owner's (`sohoa reuse --owner`), if any
        ChuHoSo=owner.full_name if owner else record.applicant.name,
        SoGiayToChuHoSo=owner_id,
        DinhDanhCHS=[PersonalId(LoaiDinhDanh=1, SoDinhDanh=owner_id)] if owner_id else [],
        NgayTiepNhan=portal_time(record.received_at) or "",
        NgayHenTra=portal_time(due), TrangThaiHoSo=record.status,
        NgayTra=portal_time(returned[-1]) if returned else None,
        HoSoCoThanhPhanSoHoa=1 if record.documents else 0,
        TaiLieuNop=[_submitted(code, d, link) for d in record.documents
                    if d.ordinal not in issued] + _reused(ctx, code, link),
        DanhSachGiayToKetQua=[_result(code, d, issued[d.ordinal], link)
                              for d in record.documents if d.ordinal in issued],
        QuaTrinhXuLy=_history(ctx, code, events, due, record.refusal_reason or ""))


def _procedure(ctx: WorkContext, procedure_code: str) -> Procedure | None:
    try:
        return ctx.procedures().get(procedure_code)
    except SohoaError:  # a dossier of a procedure no longer in the catalog still syncs
        return None


def _due(ctx: WorkContext, record: DossierRecord, procedure: Procedure | None
         ) -> datetime | None:
    if procedure is None:
        return None
    calendar = load_calendar(ctx.settings.holidays_path)
    return appointment(calendar, record.received_at, procedure.processing_days)


def _submitted(code: str, doc: DocumentRecord, link: LocalLink) -> SubmittedFile:
    return SubmittedFile(TepDinhKemId=f"{code}.{doc.ordinal:02d}", TenTepDinhKem=doc.title,
                         MaThanhPhanHoSo=doc.item_id, DuongDanTaiTepTin=link(code, doc),
                         DuocSoHoa=1, DuocTaiSuDung=0, DuocLayTuKhoDMQG=0)


def _reused(ctx: WorkContext, code: str, link: LocalLink) -> list[SubmittedFile]:
    """Papers the clerk chose to reuse: linked from the dossier they were digitized for."""
    found = []
    for item_id, paper, decision in reuses(ctx.catalog, code):
        if decision != ReuseDecision.ACCEPTED:
            continue
        source = next(d for d in ctx.catalog.dossier(paper.dossier_code).documents
                      if d.ordinal == paper.ordinal)
        result = paper.kind == PaperKind.RESULT
        found.append(SubmittedFile(
            TepDinhKemId=paper.code, TenTepDinhKem=paper.title, MaThanhPhanHoSo=item_id,
            DuongDanTaiTepTin=link(paper.dossier_code, source), DuocSoHoa=1,
            DuocTaiSuDung=2 if result else 1, MaKetQuaThayThe=paper.code if result else None))
    return found


def _result(code: str, doc: DocumentRecord, result: ResultRecord,
            link: LocalLink) -> ResultPaper:
    return ResultPaper(TenGiayTo=result.metadata.name, GiayToId=f"{code}.{doc.ordinal:02d}",
                       DuongDanTepTinKetQua=link(code, doc), MaGiayToKetQua=result.metadata.code)


def _history(ctx: WorkContext, code: str, events: list[PortalEvent],
             due: datetime | None, refusal: str = "") -> list[HistoryStep]:
    """The processing history; the refusal (3) says why, as the citizen's slip does."""
    steps = []
    for event in events:
        if event.kind != EventKind.STATUS:
            continue
        status = DossierStatus(event.status)
        steps.append(HistoryStep(
            MaHoSo=code, NguoiXuLy=event.by or ctx.settings.agency_name,
            ThoiDiemXuLy=portal_time(event.at) or "",
            PhongBanXuLy=ctx.settings.agency_name if status <= 2 else "",
            NoiDungXuLy=(f"{STATUS_TEXT[status]}: {refusal}"
                         if status is DossierStatus.KHONG_DUOC_TIEP_NHAN and refusal
                         else STATUS_TEXT[status]), TrangThai=int(status),
            NgayBatDau=portal_time(event.at), NgayKetThucTheoQuyDinh=portal_time(due)))
    return steps
