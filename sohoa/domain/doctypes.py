"""Document types with their stable codes (docs/domain.md). The codes never change: they are
stored in catalogs, checklists and trained models."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    """Vietnamese name as a clerk says it."""

    is_document: bool = True
    """False for the project's own cover and separator sheets (never stored as documents)."""


DOC_TYPES: tuple[DocType, ...] = (
    DocType("can_cuoc", "Thẻ căn cước / Căn cước công dân"),
    DocType("to_khai_khai_sinh", "Tờ khai đăng ký khai sinh"),
    DocType("giay_chung_sinh", "Giấy chứng sinh"),
    DocType("van_ban_cam_doan_viec_sinh",
            "Văn bản của người làm chứng / giấy cam đoan về việc sinh"),
    DocType("giay_de_nghi_dk_ho_kinh_doanh", "Giấy đề nghị đăng ký hộ kinh doanh"),
    DocType("bien_ban_hop_thanh_vien_ho", "Biên bản họp thành viên hộ gia đình"),
    DocType("van_ban_uy_quyen", "Văn bản ủy quyền / Giấy ủy quyền"),
    DocType("giay_de_nghi_dk_doanh_nghiep", "Giấy đề nghị đăng ký doanh nghiệp"),
    DocType("dieu_le_cong_ty", "Điều lệ công ty"),
    DocType("giay_chung_nhan_dk_doanh_nghiep", "Giấy chứng nhận đăng ký doanh nghiệp"),
    DocType("to_khai_ly_lich_tu_phap", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"),
    DocType("don_de_nghi_cap_gpxd", "Đơn đề nghị cấp giấy phép xây dựng"),
    DocType("giay_to_quyen_su_dung_dat", "Giấy chứng nhận quyền sử dụng đất"),
    DocType("ban_ve_thiet_ke", "Bản vẽ thiết kế"),
    DocType("cam_ket_an_toan_cong_trinh", "Bản cam kết bảo đảm an toàn công trình liền kề"),
    DocType("don_dang_ky_bien_dong", "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất"),
    DocType("hop_dong_chuyen_nhuong", "Hợp đồng / văn bản chuyển quyền sử dụng đất"),
    DocType("to_khai_thue", "Tờ khai thuế thu nhập cá nhân / lệ phí trước bạ"),
    DocType("don_de_nghi_doi_gplx", "Đơn đề nghị đổi giấy phép lái xe"),
    DocType("giay_kham_suc_khoe", "Giấy khám sức khỏe của người lái xe"),
    DocType("giay_phep_lai_xe", "Giấy phép lái xe"),
    DocType("don_de_nghi_cap_gcn_attp",
            "Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    DocType("thuyet_minh_co_so_vat_chat",
            "Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ"),
    DocType("bia_ho_so", "Bìa hồ sơ (phiếu của sohoa)", is_document=False),
    DocType("to_phan_cach", "Tờ phân cách (phiếu của sohoa)", is_document=False),
    DocType("khac", "Giấy tờ khác"),
)

BY_CODE: dict[str, DocType] = {t.code: t for t in DOC_TYPES}
KHAC = "khac"
COVER = "bia_ho_so"
SEPARATOR = "to_phan_cach"


def doc_type(code: str) -> DocType:
    """The type for a code; KeyError names the unknown code."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown document type code {code!r}") from None


def type_name(code: str) -> str:
    """The type's Vietnamese name, or the code itself when it is not one of ours."""
    return BY_CODE[code].name if code in BY_CODE else code


ITEM_TYPE = re.compile(r"^\d\.\d{6}/[a-z][a-z0-9_]*$")
"""A checklist item's own document type: "<procedure code>/<item id>", e.g.
"1.002693/don_de_nghi_cap_giay_phep". Every item of every imported procedure has one, so a
page can be matched to an item no hand-written rule knows; the code is stable as long as the
procedure code and the item id are (the item id is derived from the document's name)."""


def item_type(procedure_code: str, item_id: str) -> str:
    """The stable document type code of one checklist item."""
    return f"{procedure_code}/{item_id}"


def is_item_type(code: str) -> bool:
    return bool(ITEM_TYPE.match(code))
