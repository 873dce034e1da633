"""Which of sohoa's common document types a published item names.

A page the rules, a QR or the model recognise as a common type (a CCCD, a land use
certificate) counts for every item that names that type, in any procedure. The type applies
when the item's name — or one of its alternatives — *starts with* the type's wording: "Giấy
phép lái xe" is a driving licence, "Đơn đề nghị đổi giấy phép lái xe" is not.
"""

from __future__ import annotations

from collections.abc import Iterable

from sohoa.domain.catalog.words import fold

COMMON_OPENINGS: tuple[tuple[str, str], ...] = (
    ("the can cuoc", "can_cuoc"),
    ("can cuoc cong dan", "can_cuoc"),
    ("can cuoc", "can_cuoc"),
    ("chung minh nhan dan", "can_cuoc"),
    ("giay to tuy than", "can_cuoc"),
    ("giay to phap ly cua ca nhan", "can_cuoc"),
    ("to khai dang ky khai sinh", "to_khai_khai_sinh"),
    ("giay chung sinh", "giay_chung_sinh"),
    ("giay de nghi dang ky ho kinh doanh", "giay_de_nghi_dk_ho_kinh_doanh"),
    ("bien ban hop thanh vien ho gia dinh", "bien_ban_hop_thanh_vien_ho"),
    ("van ban uy quyen", "van_ban_uy_quyen"),
    ("giay uy quyen", "van_ban_uy_quyen"),
    ("hop dong uy quyen", "van_ban_uy_quyen"),
    ("giay de nghi dang ky doanh nghiep", "giay_de_nghi_dk_doanh_nghiep"),
    ("dieu le cong ty", "dieu_le_cong_ty"),
    ("giay chung nhan dang ky doanh nghiep", "giay_chung_nhan_dk_doanh_nghiep"),
    ("to khai yeu cau cap phieu ly lich tu phap", "to_khai_ly_lich_tu_phap"),
    ("don de nghi cap giay phep xay dung", "don_de_nghi_cap_gpxd"),
    ("giay chung nhan quyen su dung dat", "giay_to_quyen_su_dung_dat"),
    ("ban ve thiet ke", "ban_ve_thiet_ke"),
    ("don dang ky bien dong dat dai", "don_dang_ky_bien_dong"),
    ("hop dong chuyen nhuong quyen su dung dat", "hop_dong_chuyen_nhuong"),
    ("don de nghi doi giay phep lai xe", "don_de_nghi_doi_gplx"),
    ("giay kham suc khoe", "giay_kham_suc_khoe"),
    ("giay phep lai xe", "giay_phep_lai_xe"),
)


def common_types(names: Iterable[str]) -> list[str]:
    """The common type codes the names open with, in the order of the names, once each."""
    found: list[str] = []
    for name in names:
        folded = fold(name).strip()
        for opening, code in COMMON_OPENINGS:
            if folded.startswith(opening) and code not in found:
                found.append(code)
                break
    return found
