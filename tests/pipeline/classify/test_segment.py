"""Segmentation of a classified page stream into documents."""

from __future__ import annotations

from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import DocumentSpan, PageClass, SheetInfo


def page(index: int, doc_type: str, continuation: bool = False, confidence: float = 1.0,
         number: tuple[int, int] | None = None, sheet: SheetInfo | None = None) -> PageClass:
    source = "qr" if sheet else "continuation" if continuation else "rule"
    return PageClass(index, doc_type, confidence, source, continuation, number, sheet,
                     reason=f"lý do {index}")


def spans(pages: list[PageClass]) -> list[tuple[str, tuple[int, ...], str | None]]:
    return [(s.doc_type, s.pages, s.item_id) for s in segment(pages)]


COVER = SheetInfo("cover", "1.001193", "000.00.14.H56-200203-0118")


def separator(item: str) -> SheetInfo:
    return SheetInfo("separator", "1.001193", "000.00.14.H56-200203-0118", item)


def test_titles_start_documents_and_continuations_join() -> None:
    result = segment([page(0, "to_khai_khai_sinh"), page(1, "to_khai_khai_sinh", True, 0.7),
                      page(2, "giay_chung_sinh", confidence=0.95), page(3, "khac", confidence=0.5),
                      page(4, "khac", True, 0.5)])
    assert result == [
        DocumentSpan("to_khai_khai_sinh", (0, 1), 0.7, None,
                     "Tờ khai đăng ký khai sinh, trang 1–2: lý do 0"),
        DocumentSpan("giay_chung_sinh", (2,), 0.95, None, "Giấy chứng sinh, trang 3: lý do 2"),
        DocumentSpan("khac", (3, 4), 0.5, None, "Giấy tờ khác, trang 4–5: lý do 3"),
    ]


def test_separators_force_the_item_and_sheets_are_not_documents() -> None:
    pages = [page(0, "bia_ho_so", sheet=COVER),
             page(1, "to_phan_cach", sheet=separator("to_khai")),
             page(2, "to_khai_khai_sinh"), page(3, "to_khai_khai_sinh", True),
             page(4, "to_phan_cach", sheet=separator("giay_chung_sinh")),
             page(5, "khac", confidence=0.5), page(6, "giay_chung_sinh"),
             page(7, "bia_ho_so", sheet=COVER), page(8, "can_cuoc")]
    assert spans(pages) == [("to_khai_khai_sinh", (2, 3), "to_khai"),
                            ("khac", (5,), "giay_chung_sinh"),
                            ("giay_chung_sinh", (6,), "giay_chung_sinh"),
                            ("can_cuoc", (8,), None)]
    assert segment(pages)[1].reason.endswith("; thành phần giay_chung_sinh (tờ phân cách)")


def test_a_separator_splits_even_a_continuation() -> None:
    pages = [page(0, "dieu_le_cong_ty"), page(1, "to_phan_cach", sheet=separator("dieu_le")),
             page(2, "dieu_le_cong_ty", True)]
    assert spans(pages) == [("dieu_le_cong_ty", (0,), None), ("dieu_le_cong_ty", (2,), "dieu_le")]


def test_two_consecutive_id_cards_are_two_documents() -> None:
    pages = [page(0, "can_cuoc"), page(1, "can_cuoc"), page(2, "can_cuoc", True)]
    assert spans(pages) == [("can_cuoc", (0,), None), ("can_cuoc", (1, 2), None)]


def test_page_numbering() -> None:
    pages = [page(0, "hop_dong_chuyen_nhuong", number=(1, 3)),
             page(1, "hop_dong_chuyen_nhuong", number=(2, 3)),  # title repeated on page 2
             page(2, "hop_dong_chuyen_nhuong", True, number=(3, 3)),
             page(3, "hop_dong_chuyen_nhuong", True),  # continuation after 3/3: a new one
             page(4, "to_khai_thue", True, number=(1, 2)),  # "1/2" always starts
             page(5, "to_khai_thue", True, number=(2, 2))]
    assert spans(pages) == [("hop_dong_chuyen_nhuong", (0, 1, 2), None),
                            ("hop_dong_chuyen_nhuong", (3,), None),
                            ("to_khai_thue", (4, 5), None)]


def test_numbering_of_another_type_does_not_join() -> None:
    pages = [page(0, "to_khai_thue", number=(1, 2)),
             page(1, "don_dang_ky_bien_dong", number=(2, 2))]
    assert spans(pages) == [("to_khai_thue", (0,), None), ("don_dang_ky_bien_dong", (1,), None)]


def test_edge_cases() -> None:
    assert segment([]) == []
    assert segment([page(0, "bia_ho_so", sheet=COVER)]) == []
    # a continuation page first in the stream (e.g. after a cover) still makes a document
    assert spans([page(0, "bia_ho_so", sheet=COVER), page(1, "khac", True)]) == [
        ("khac", (1,), None)]


def test_a_separator_read_from_its_title_splits_but_names_no_item() -> None:
    pages = [page(0, "to_phan_cach", sheet=separator("to_khai")), page(1, "to_khai_khai_sinh"),
             PageClass(2, "to_phan_cach", 0.9, "rule"), page(3, "to_khai_khai_sinh", True)]
    assert spans(pages) == [("to_khai_khai_sinh", (1,), "to_khai"),
                            ("to_khai_khai_sinh", (3,), None)]
