"""The learned page model: training, prediction, the file format and its refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sklearn

from sohoa.errors import ModelError
from sohoa.pipeline.classify import learned
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.learned import LearnedModel, load_model, train_model
from sohoa.pipeline.classify.types import PageEvidence
from tests.pipeline.classify.corpus import BODIES, HEADER, body, labelled_pages

TRAINED_AT = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    texts, labels = labelled_pages(range(8))
    return train_model(texts, labels, trained_at=TRAINED_AT)


def test_predicts_held_out_pages(model: LearnedModel) -> None:
    results = [(doc_type, *model.predict(body(doc_type, seed, lines=4)))
               for doc_type in BODIES for seed in range(100, 110)]
    correct = [r for r in results if r[0] == r[1]]
    assert len(correct) / len(results) >= 0.95
    assert sum(p for _, _, p in correct) / len(correct) >= 0.8
    probabilities = model.probabilities(body("giay_chung_sinh", 200))
    assert set(probabilities) == set(BODIES)
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_metadata(model: LearnedModel) -> None:
    info = model.info
    assert info.format_version == learned.FORMAT_VERSION == 1
    assert info.sklearn_version == sklearn.__version__
    assert info.labels == tuple(sorted(BODIES)) == model.labels
    assert info.samples == 2 * 8 * len(BODIES)
    assert info.trained_at == "2025-06-01T08:30:00Z"
    small = [train_model(*labelled_pages(range(n))).version for n in (2, 2, 3)]
    assert small[0] == small[1] != small[2]  # the version is a digest of the training data
    assert len(model.version) == 12 and model.version not in small


def test_save_and_load_round_trip(model: LearnedModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "trang.model")
    loaded = load_model(path)
    assert loaded.info == model.info
    for doc_type in BODIES:
        text = body(doc_type, 300)
        assert loaded.probabilities(text) == model.probabilities(text)
    header = json.loads(path.read_bytes().split(b"\n")[1])
    assert header["labels"] == list(model.labels)
    assert len(header["payload_sha256"]) == 64


def _rewrite_header(path: Path, **changes: object) -> None:
    magic, header, payload = path.read_bytes().split(b"\n", 2)
    fields = json.loads(header) | changes
    path.write_bytes(magic + b"\n" + json.dumps(fields).encode() + b"\n" + payload)


def test_refuses_another_scikit_learn_release(model: LearnedModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "old.model")
    major, minor = sklearn.__version__.split(".")[:2]
    _rewrite_header(path, sklearn_version=f"{major}.{int(minor) + 1}.0")
    with pytest.raises(ModelError, match="scikit-learn") as refused:
        load_model(path)
    assert refused.value.exit_code == 2
    _rewrite_header(path, sklearn_version=f"{major}.{minor}.99")  # a patch release is fine
    assert load_model(path).version == model.version


def test_refuses_another_format_version(model: LearnedModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "future.model")
    _rewrite_header(path, format_version=2)
    with pytest.raises(ModelError, match="định dạng 2"):
        load_model(path)


def test_refuses_damaged_and_foreign_files(model: LearnedModel, tmp_path: Path) -> None:
    path = model.save(tmp_path / "cut.model")
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ModelError, match="hỏng"):
        load_model(path)
    foreign = tmp_path / "foreign.pkl"
    foreign.write_bytes(b"\x80\x05K\x01.")
    with pytest.raises(ModelError, match="không phải tệp mô hình"):
        load_model(foreign)
    with pytest.raises(ModelError, match="Không đọc được"):
        load_model(tmp_path / "missing.model")
    broken = tmp_path / "header.model"
    broken.write_bytes(learned.MAGIC + b"{not json\n")
    with pytest.raises(ModelError, match="thông tin hỏng"):
        load_model(broken)


def test_refuses_bad_training_data() -> None:
    with pytest.raises(ModelError, match="giay_chung_sinhh"):
        train_model(["a", "b"], ["giay_chung_sinh", "giay_chung_sinhh"])
    with pytest.raises(ModelError, match="ít nhất 2"):
        train_model(["a", "b"], ["khac", "khac"])
    with pytest.raises(ModelError, match="Số trang"):
        train_model(["a"], ["khac", "can_cuoc"])


def test_classifier_uses_the_model_when_the_title_is_unreadable(model: LearnedModel) -> None:
    garbled = f"{HEADER}\n~ ;:- .,,\n{body('giay_chung_sinh', 500)}"
    without, with_model = (classify_pages([PageEvidence(0, garbled)], m)[0]
                           for m in (None, model))
    assert without.doc_type == "khac" and without.source == "none"
    assert with_model.doc_type == "giay_chung_sinh" and with_model.source == "model"
    assert with_model.confidence >= 0.6 and model.version in with_model.reason
    titled = f"{HEADER}\nTỜ KHAI ĐĂNG KÝ KHAI SINH\n{body('giay_chung_sinh', 501)}"
    assert classify_pages([PageEvidence(0, titled)], model)[0].source == "rule"


def test_model_continuation_joins_the_page_before(model: LearnedModel) -> None:
    pages = [PageEvidence(0, f"{HEADER}\nĐIỀU LỆ\n{body('dieu_le_cong_ty', 1)}"),
             PageEvidence(1, "Điều 12. " + body("dieu_le_cong_ty", 2))]
    first, second = classify_pages(pages, model)
    assert first.doc_type == second.doc_type == "dieu_le_cong_ty"
    assert second.continuation
