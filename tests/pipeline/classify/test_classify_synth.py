"""The classifier on generated documents of every type (sohoa_dev.synth.documents): their printed
text as ground truth, and a few pages read back by Tesseract from degraded scans."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import PageEvidence
from sohoa.pipeline.ocr import recognize_text
from sohoa.settings import OcrSettings
from sohoa_dev.synth import Scan
from sohoa_dev.synth.documents import DOCUMENT_TYPES, SynthDocPage, render_document, scanned
from sohoa_dev.synth.khac import KINDS

DPI = 30  # the printed text is the truth; the image is not looked at


def _streams(seeds: range, per_stream: int = 6) -> list[list[list[SynthDocPage]]]:
    """Every type's documents, shuffled into dossier-like streams of ``per_stream``."""
    docs = [render_document(t, seed, DPI) for t in DOCUMENT_TYPES for seed in seeds]
    docs += [render_document("khac", seed, DPI, kind=k) for k in sorted(set(KINDS))
             for seed in seeds]
    random.Random(0).shuffle(docs)
    return [docs[i:i + per_stream] for i in range(0, len(docs), per_stream)]


def test_printed_text_of_every_type_classifies_and_segments() -> None:
    pages = documents = right_pages = right_documents = 0
    wrong: list[str] = []
    for stream in _streams(range(3)):
        flat = [p for doc in stream for p in doc]
        result = classify_pages([PageEvidence(i, p.text, p.qr_payloads)
                                 for i, p in enumerate(flat)])
        for truth, got in zip(flat, result, strict=True):
            pages += 1
            if got.doc_type == truth.doc_type:
                right_pages += 1
            else:
                wrong.append(f"{truth.doc_type} p{truth.page_in_doc} -> {got.doc_type}: "
                             f"{got.reason}")
        expected, start = set(), 0
        for doc in stream:
            expected.add((doc[0].doc_type, tuple(range(start, start + len(doc)))))
            start += len(doc)
        found = {(s.doc_type, s.pages) for s in segment(result)}
        documents += len(expected)
        right_documents += len(expected & found)
    assert pages >= 100
    assert right_pages / pages >= 0.98, wrong
    assert right_documents / documents >= 0.95


@pytest.mark.ocr
def test_scanned_pages_read_by_tesseract(tesseract_vie: str) -> None:
    settings = OcrSettings(tesseract_cmd=tesseract_vie)
    scan = Scan(blur=0.6, noise=6.0, jpeg_quality=70)
    truth, evidence = [], []
    for doc_type in ("to_khai_khai_sinh", "giay_phep_lai_xe", "giay_chung_nhan_dk_doanh_nghiep",
                     "don_dang_ky_bien_dong"):
        page = scanned(render_document(doc_type, 3, 150)[0], scan, seed=1)
        text = recognize_text(np.asarray(page.image.convert("L")), 150, settings)
        evidence.append(PageEvidence(len(evidence), text, page.qr_payloads))
        truth.append(doc_type)
    result = classify_pages(evidence)
    assert [p.doc_type for p in result] == truth
    assert all(p.source == "rule" and p.confidence >= 0.9 for p in result)
