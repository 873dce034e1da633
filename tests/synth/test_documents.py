"""Synthetic documents and dossiers: every type renders, the truth matches the pages.

No OCR here: pages are rendered at low resolution and checked through their ground-truth
text, their QR codes (decoded for real) and the real checklist verdict on the true documents.
"""

from __future__ import annotations

import numpy as np
import pytest

from sohoa.domain.doctypes import COVER, DOC_TYPES, KHAC, SEPARATOR
from sohoa.domain.procedures import Requirement, load_catalog
from sohoa.domain.verdict import ItemStatus
from sohoa.pipeline.classify.qr import decode_qr, parse_cccd, parse_sheet
from sohoa.pipeline.classify.text import fold
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.pipeline.classify.verdict import checklist_verdict
from sohoa_dev.synth import HEADER, Scan, character_error_rate, make_page
from sohoa_dev.synth.documents import DOCUMENT_TYPES, render_document, scanned
from sohoa_dev.synth.dossiers import VARIANTS, make_dossier, plan_dossier
from sohoa_dev.synth.khac import KINDS
from sohoa_dev.synth.templates import TEMPLATES
from tests.support import require_program

DPI = 60
CATALOG = load_catalog()


def test_the_package_keeps_the_single_page_generator() -> None:
    page = make_page(3, Scan(dpi=72), size_in=(4.1, 5.8))
    assert page.text.startswith(HEADER[0])
    assert character_error_rate(page.text, page.text) == 0.0


def test_every_document_type_has_a_generator() -> None:
    real = {t.code for t in DOC_TYPES if t.is_document}
    assert set(DOCUMENT_TYPES) == real
    assert KHAC in DOCUMENT_TYPES and COVER not in DOCUMENT_TYPES


@pytest.mark.parametrize("code", DOCUMENT_TYPES)
def test_every_type_renders_a_consistent_document(code: str) -> None:
    pages = render_document(code, seed=11, dpi=DPI)
    assert pages and all(p.doc_type == code for p in pages)
    assert [p.page_in_doc for p in pages] == list(range(1, len(pages) + 1))
    assert {p.pages_in_doc for p in pages} == {len(pages)}
    assert [p.is_title_page for p in pages] == [True] + [False] * (len(pages) - 1)
    for page in pages:
        assert len(page.text.splitlines()) >= 3
        assert sorted(page.image.size) == pytest.approx(sorted((8.27 * DPI, 11.69 * DPI)),
                                                        abs=2)
        assert page.dpi == DPI


def test_same_seed_same_document_other_seed_other_data() -> None:
    first = render_document("to_khai_khai_sinh", 5, DPI)[0]
    again = render_document("to_khai_khai_sinh", 5, DPI)[0]
    other = render_document("to_khai_khai_sinh", 6, DPI)[0]
    assert first.text == again.text
    assert np.array_equal(np.asarray(first.image), np.asarray(again.image))
    assert first.text != other.text


def test_titles_vary_between_seeds_for_types_with_several_wordings() -> None:
    titles = {fold(render_document("van_ban_uy_quyen", seed, DPI, pages=1)[0].title)
              for seed in range(16)}
    assert {"giay uy quyen", "van ban uy quyen", "hop dong uy quyen"} <= titles
    for code, template in TEMPLATES.items():
        if len({fold(t) for t in template.titles}) > 1:
            seen = {fold(render_document(code, seed, DPI, pages=1)[0].title)
                    for seed in range(10)}
            assert len(seen) >= 2, code


def test_the_title_is_printed_on_the_first_page_only() -> None:
    for code, pages_wanted in (("dieu_le_cong_ty", 4), ("hop_dong_chuyen_nhuong", 3),
                               ("giay_to_quyen_su_dung_dat", 3)):
        pages = render_document(code, 2, DPI, pages=pages_wanted)
        assert len(pages) == pages_wanted
        first_line_of_title = fold(pages[0].title).split()[:3]
        assert " ".join(first_line_of_title) in fold(pages[0].text)
        for page in pages[1:]:
            lines = [fold(line) for line in page.text.splitlines()]
            assert not any(line.startswith(" ".join(first_line_of_title)) for line in lines)
            assert fold(HEADER[0]) not in lines


def test_page_count_follows_the_request_and_the_type() -> None:
    assert len(render_document("dieu_le_cong_ty", 1, DPI)) in range(3, 7)
    assert len(render_document("ban_ve_thiet_ke", 1, DPI, pages=3)) == 3
    assert len(render_document("to_khai_khai_sinh", 1, DPI, pages=2)) == 2
    assert len(render_document("can_cuoc", 1, DPI, pages=3)) == 1  # a card copy is one sheet


def test_issued_documents_carry_a_red_seal() -> None:
    page = render_document("giay_chung_sinh", 4, DPI)[0]
    pixels = np.asarray(page.image.convert("RGB")).astype(int)
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    assert red.sum() > 50


def test_id_card_copy_carries_a_readable_cccd_qr() -> None:
    for seed in range(3):
        page = render_document("can_cuoc", seed, 200)[0]
        (payload,) = page.qr_payloads
        record = parse_cccd(payload)
        assert record is not None
        assert record.full_name.upper() in page.text
        assert decode_qr(np.asarray(page.image), 200) == (payload,)
        assert page.title in {"CĂN CƯỚC", "CĂN CƯỚC CÔNG DÂN"}


def test_driving_licence_copy_has_no_qr_and_says_what_it_is() -> None:
    page = render_document("giay_phep_lai_xe", 3, DPI)[0]
    assert page.qr_payloads == ()
    assert "GIẤY PHÉP LÁI XE" in page.text


@pytest.mark.parametrize("kind", sorted(set(KINDS)))
def test_every_kind_of_non_administrative_paper(kind: str) -> None:
    (page,) = render_document(KHAC, 1, DPI, kind=kind)
    assert page.kind == kind and page.doc_type == KHAC
    if kind in {"news", "letter", "novel", "receipt"}:
        assert HEADER[0] not in page.text
    if kind == "news":
        assert len(page.text.split()) > 150


def test_scanned_page_turns_and_keeps_its_resolution() -> None:
    page = render_document("to_khai_thue", 1, DPI)[0]
    out = scanned(page, Scan(skew=2.0, turn=90, blur=0.4, noise=5, jpeg_quality=70,
                             dark_border=8), seed=1)
    assert out.image.width > page.image.height  # sideways, grown by the skew and border
    assert out.dpi == DPI and out.scan is not None and out.scan.turn == 90
    assert out.text == page.text


def _spans(dossier) -> list[DocumentSpan]:
    return [DocumentSpan(d.doc_type, d.pages, 1.0) for d in dossier.documents]


@pytest.mark.parametrize("code", sorted(CATALOG.procedures))
def test_plans_give_the_statuses_the_verdict_would(code: str) -> None:
    procedure = CATALOG.get(code)
    for seed in range(6):
        for variant in VARIANTS:
            plan = plan_dossier(procedure, seed, variant)
            spans = []
            for doc in plan.documents:
                spans.append(DocumentSpan(doc.doc_type, (len(spans),), 1.0))
            verdict = checklist_verdict(procedure, spans)
            assert {i.item_id: i.status for i in verdict.items} == plan.statuses
            missing = [k for k, s in plan.statuses.items() if s is ItemStatus.MISSING]
            extra = [d for d in plan.documents if d.item_id is None]
            if variant == "missing":
                assert 1 <= len(missing) <= 2 and set(missing) == set(plan.dropped)
                assert all(procedure.item(k).requirement is Requirement.REQUIRED
                           for k in missing)
            else:
                assert not missing
            if variant == "extra":
                assert 1 <= len(extra) <= 2
                assert len(verdict.extra_documents) == len(extra)
            else:
                assert not extra and not verdict.extra_documents


def test_a_rendered_dossier_agrees_with_its_truth() -> None:
    procedure = CATALOG.get("1.013225")  # two drawing sets, a multi-page certificate
    dossier = make_dossier(procedure, 4, "extra", dpi=DPI, scan=False)
    covered = [i for d in dossier.documents for i in d.pages]
    assert covered == list(range(len(dossier.pages)))
    for doc in dossier.documents:
        pages = [dossier.pages[i] for i in doc.pages]
        assert {p.doc_type for p in pages} == {doc.doc_type}
        assert [p.page_in_doc for p in pages] == list(range(1, len(pages) + 1))
        assert pages[0].is_title_page
    assert [d.doc_type for d in dossier.documents].count("ban_ve_thiet_ke") == 2
    verdict = checklist_verdict(procedure, _spans(dossier))
    assert {i.item_id: i.status for i in verdict.items} == dossier.statuses
    assert dossier.complete and verdict.complete


def test_missing_dossier_is_incomplete_and_scanned_pages_are_degraded() -> None:
    procedure = CATALOG.get("3.000347")
    dossier = make_dossier(procedure, 1, "missing", dpi=DPI)
    assert not dossier.complete
    assert all(p.scan is not None for p in dossier.pages)
    verdict = checklist_verdict(procedure, _spans(dossier))
    assert not verdict.complete
    assert {i.item_id for i in verdict.missing} == set(dossier.dropped)


def test_cover_and_separator_sheets_lead_their_items() -> None:
    require_program("pdftoppm")  # the printed sheets are rasterised by poppler
    procedure = CATALOG.get("1.001612")
    dossier = make_dossier(procedure, 2, "extra", dpi=100, scan=False, sheets=True)
    types = dossier.page_types
    assert types[0] == COVER and dossier.sheet_pages[0] == 0
    for index in dossier.sheet_pages[1:]:
        assert types[index] == SEPARATOR
        info = parse_sheet(dossier.pages[index].qr_payloads[0])
        following = next(d for d in dossier.documents if d.pages[0] == index + 1)
        assert info is not None and following.item_id == info.item_id
    first_separator = dossier.sheet_pages[1]
    extras = [d for d in dossier.documents if d.item_id is None]
    assert extras and all(d.pages[-1] < first_separator for d in extras)
