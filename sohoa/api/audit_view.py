"""The audit log as an administrator reads it: Vietnamese names for roles, actions, outcomes
and the details each line carries ("thay thế: —", not "replace: None").

The stored lines keep their stable English codes (``document.read``, ``replace``): they are
data that scripts and ``sohoa audit --json`` filter on. Only the page translates them; a code
this table does not know yet is shown as it is, never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sohoa.clock import VIETNAM
from sohoa.domain.access import ROLE_NAMES, Role
from sohoa.search.index import STATUS_NAMES
from sohoa.storage.audit import NO_ROLE, AuditRecord

NONE = "—"
ACTIONS = {
    "login": "Đăng nhập", "login.failed": "Đăng nhập không thành", "logout": "Đăng xuất",
    "document.read": "Đọc tài liệu", "document.verify": "Kiểm tra chữ ký tài liệu",
    "document.url": "Tạo liên kết tải tài liệu", "dossier.create": "Tạo hồ sơ",
    "dossier.scan": "Thêm bản quét", "dossier.correct": "Sửa trang, loại giấy tờ",
    "dossier.accept": "Tiếp nhận hồ sơ", "dossier.refuse": "Từ chối tiếp nhận hồ sơ",
    "dossier.status": "Chuyển trạng thái hồ sơ", "dossier.route": "Chuyển hồ sơ đến cơ quan",
    "dossier.read": "Xem hồ sơ", "search": "Tra cứu nội dung",
    "access.denied": "Truy cập bị từ chối", "user.create": "Tạo tài khoản",
    "user.disable": "Khóa tài khoản", "user.enable": "Mở khóa tài khoản",
    "user.signout": "Đăng xuất mọi nơi", "user.password": "Đổi mật khẩu",
    "token.issue": "Cấp mã truy cập API", "token.revoke": "Thu hồi mã truy cập API",
    "procedure.correct": "Sửa danh mục thủ tục",
    "procedure.correction_removed": "Bỏ một sửa đổi danh mục thủ tục",
}
OUTCOMES = {"ok": "thành công", "denied": "bị từ chối", "failed": "không thành"}
DETAIL_NAMES = {
    "replace": "thay thế", "via": "qua", "files": "tệp", "ordinal": "tài liệu số",
    "sha256": "SHA-256", "from": "từ", "to": "sang", "note": "ghi chú", "reason": "lý do",
    "error": "lỗi", "procedure": "thủ tục", "batches": "đợt quét", "role": "vai trò",
    "agency_codes": "cơ quan", "token_id": "mã truy cập số", "name": "tên",
    "days": "số ngày", "item": "thành phần", "field": "trường", "value": "giá trị",
    "q": "nội dung tìm", "total": "số kết quả", "everywhere": "mọi nơi", "added": "thêm",
    "seconds": "hiệu lực (giây)", "type": "loại giấy tờ", "agency": "cơ quan tiếp nhận",
    "status": "trạng thái", "offset": "từ kết quả", "valid": "hợp lệ", "page": "trang",
    "pages": "trang", "action": "thao tác", "doc_type": "loại giấy tờ", "missing": "còn thiếu",
}
VALUES = {
    "via": {"upload": "tải lên", "scanner": "máy quét", "link": "liên kết tạm"},
    "reason": {"role": "sai vai trò", "csrf": "thiếu mã CSRF", "throttled": "thử quá nhiều lần",
               "locked": "tài khoản đang khóa", "disabled": "tài khoản đã khóa",
               "expired": "đã hết hạn", "revoked": "đã thu hồi", "session": "phiên hết hạn",
               "password": "sai mật khẩu", "unknown": "không có tài khoản"},
    "role": {role.value: name for role, name in ROLE_NAMES.items()},
}
STATUS_FIELDS = ("from", "to", "status")
SHORT_HASH = 16


@dataclass(frozen=True)
class AuditLine:
    """One line as the page shows it."""

    id: int
    at: str
    actor: str
    role: str
    action: str
    action_code: str
    outcome: str
    outcome_code: str
    dossier_code: str | None
    target: str
    remote_addr: str
    details: tuple[tuple[str, str], ...]


def audit_lines(records: Iterable[AuditRecord]) -> list[AuditLine]:
    return [audit_line(r) for r in records]


def audit_line(record: AuditRecord) -> AuditLine:
    return AuditLine(
        id=record.id, at=_time(record.at), actor=record.actor, role=role_name(record.role),
        action=ACTIONS.get(record.action, record.action), action_code=record.action,
        outcome=OUTCOMES.get(record.outcome, record.outcome), outcome_code=record.outcome,
        dossier_code=record.dossier_code, target=_target(record),
        remote_addr=record.remote_addr or NONE,
        details=tuple((DETAIL_NAMES.get(k, k), detail_value(k, v))
                      for k, v in (record.detail or {}).items()))


def role_name(role: str) -> str:
    if role == NO_ROLE:
        return NONE
    try:
        return ROLE_NAMES[Role(role)]
    except ValueError:
        return role


def detail_value(key: str, value: object) -> str:
    """A detail's value in words: "—" for nothing, có/không, lists joined, known codes
    named (statuses "4 – đang xử lý", roles, reasons)."""
    if value is None or value == "" or value == [] or value == {}:
        return NONE
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int) and key in STATUS_FIELDS and value in STATUS_NAMES:
        return f"{value} – {STATUS_NAMES[value]}"
    if isinstance(value, list | tuple):
        return ", ".join(detail_value(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{DETAIL_NAMES.get(k, k)}: {detail_value(k, v)}"
                         for k, v in value.items())
    if isinstance(value, str) and key in ACTION_FIELDS:
        return ACTIONS.get(value, value)
    if isinstance(value, str) and key == "sha256" and len(value) > SHORT_HASH:
        return value[:SHORT_HASH] + "…"  # enough to tell documents apart; the page stays narrow
    return VALUES.get(key, {}).get(str(value), str(value))


ACTION_FIELDS = ("action",)


def _target(record: AuditRecord) -> str:
    """An object key without the dossier's folder (the dossier has its own column); an
    action named as target (a refusal) by its name."""
    target = record.target or ""
    if not target:
        return NONE
    if target in ACTIONS:
        return ACTIONS[target]
    if record.dossier_code and target.startswith(f"dossiers/{record.dossier_code}/"):
        return target.removeprefix(f"dossiers/{record.dossier_code}/")
    return target


def _time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
