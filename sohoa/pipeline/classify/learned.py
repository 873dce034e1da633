"""A learned page classifier (scikit-learn), trained from labelled page texts.

Used where the title rules abstain: pages whose title OCR'd badly, or papers with no printed
title. A model is only ever read from a path the operator gives (no default model ships, no
network): an office trains it on its own labelled scans with ``sohoa train``.

File format: a magic line, one JSON line of metadata, then the pickled pipeline. The metadata
is checked before anything is unpickled, so a model from another format or scikit-learn
release is refused with a clear message instead of failing (or mispredicting) inside pickle.
Pickle runs code: load only model files your office produced.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sohoa import __version__
from sohoa.domain.doctypes import BY_CODE
from sohoa.errors import ModelError
from sohoa.pipeline.classify.text import fold

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

FORMAT_VERSION = 1
MAGIC = b"SOHOA-PAGE-MODEL\n"
MAX_HEADER = 1 << 20


@dataclass(frozen=True)
class ModelInfo:
    """What a model file says about itself (stored as JSON ahead of the pickle)."""

    version: str
    """Identity of this trained model: a digest of its training data and format."""

    format_version: int
    sohoa_version: str
    sklearn_version: str
    labels: tuple[str, ...]
    trained_at: str
    """ISO 8601, UTC."""

    samples: int


class LearnedModel:
    """A trained pipeline plus its metadata."""

    def __init__(self, pipeline: Pipeline, info: ModelInfo) -> None:
        self._pipeline = pipeline
        self.info = info

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def labels(self) -> tuple[str, ...]:
        return self.info.labels

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable document type of a page text and its probability."""
        probs = self.probabilities(text)
        label = max(probs, key=probs.__getitem__)
        return label, probs[label]

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per label (they sum to 1)."""
        row = self._pipeline.predict_proba([text])[0]
        return {str(c): float(p) for c, p in zip(self._pipeline.classes_, row, strict=True)}

    def save(self, path: Path) -> Path:
        """Write the model file (metadata first, then the pickle); returns ``path``."""
        payload = pickle.dumps(self._pipeline, protocol=pickle.HIGHEST_PROTOCOL)
        header = asdict(self.info) | {"payload_sha256": hashlib.sha256(payload).hexdigest()}
        path = Path(path)
        path.write_bytes(MAGIC + json.dumps(header, ensure_ascii=False).encode() + b"\n"
                         + payload)
        return path


def train_model(texts: list[str], labels: list[str],
                trained_at: datetime | None = None) -> LearnedModel:
    """Fit character and word n-grams of the folded text → logistic regression."""
    _check_training_data(texts, labels)
    pipeline = _new_pipeline()
    pipeline.fit(texts, labels)
    when = (trained_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    info = ModelInfo(
        version=_data_digest(texts, labels), format_version=FORMAT_VERSION,
        sohoa_version=__version__, sklearn_version=_sklearn_version(),
        labels=tuple(str(c) for c in pipeline.classes_),
        trained_at=when.isoformat().replace("+00:00", "Z"), samples=len(texts))
    return LearnedModel(pipeline, info)


def load_model(path: Path) -> LearnedModel:
    """Read a model file written by :meth:`LearnedModel.save`; refuses anything else."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"Không đọc được tệp mô hình {path}: {exc.strerror or exc}") from exc
    header, payload = _split(data, path)
    info = _check_header(header, path)
    if hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise ModelError(f"Tệp mô hình {path.name} bị hỏng hoặc bị cắt cụt (sai mã băm)")
    try:
        pipeline = pickle.loads(payload)  # noqa: S301 — the office's own model file
    except Exception as exc:  # unpickling can raise nearly anything on a damaged file
        raise ModelError(f"Không nạp được mô hình {path.name}: {exc}") from exc
    from sklearn.pipeline import Pipeline  # loaded with a model only (see _sklearn_version)

    if not isinstance(pipeline, Pipeline):
        raise ModelError(f"Tệp {path.name} không chứa mô hình phân loại trang")
    return LearnedModel(pipeline, info)


def _new_pipeline() -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer  # (see _sklearn_version)
    from sklearn.linear_model import LogisticRegression  # (see _sklearn_version)
    from sklearn.pipeline import FeatureUnion, Pipeline  # (see _sklearn_version)

    chars = TfidfVectorizer(preprocessor=fold, analyzer="char_wb", ngram_range=(2, 4),
                            sublinear_tf=True, max_features=60000, dtype=np.float64)
    words = TfidfVectorizer(preprocessor=fold, ngram_range=(1, 2), sublinear_tf=True,
                            token_pattern=r"(?u)\b\w+\b", max_features=30000,
                            dtype=np.float64)
    return Pipeline([
        ("features", FeatureUnion([("chars", chars), ("words", words)])),
        ("classifier", LogisticRegression(C=20.0, max_iter=2000, random_state=0)),
    ])


def _check_training_data(texts: list[str], labels: list[str]) -> None:
    if len(texts) != len(labels):
        raise ModelError(f"Số trang ({len(texts)}) khác số nhãn ({len(labels)})")
    unknown = sorted({lb for lb in labels if lb not in BY_CODE})
    if unknown:
        raise ModelError(f"Nhãn không phải mã loại giấy tờ: {', '.join(unknown)}")
    if len(set(labels)) < 2:
        raise ModelError("Cần trang mẫu của ít nhất 2 loại giấy tờ để huấn luyện")
    if not any(fold(t) for t in texts):
        raise ModelError("Các trang mẫu không có chữ nào để huấn luyện")


def _data_digest(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    for text, label in sorted(zip(texts, labels, strict=True)):
        digest.update(f"{label}\t{text}\x00".encode())
    return digest.hexdigest()[:12]


def _split(data: bytes, path: Path) -> tuple[dict[str, Any], bytes]:
    if not data.startswith(MAGIC):
        raise ModelError(f"Tệp {path.name} không phải tệp mô hình phân loại của sohoa")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    try:
        header = json.loads(data[len(MAGIC):end]) if end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise ModelError(f"Tệp mô hình {path.name} có phần thông tin hỏng")
    return header, data[end + 1:]


def _check_header(header: dict[str, Any], path: Path) -> ModelInfo:
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"Mô hình {path.name} có định dạng {header.get('format_version')}, "
                         f"phiên bản này đọc định dạng {FORMAT_VERSION}: hãy huấn luyện lại")
    stored, here = str(header.get("sklearn_version", "?")), _sklearn_version()
    if _major_minor(stored) != _major_minor(here):
        raise ModelError(f"Mô hình {path.name} được huấn luyện bằng scikit-learn {stored}, "
                         f"máy này có {here}: hãy huấn luyện lại")
    try:
        return ModelInfo(**{k: header[k] for k in ModelInfo.__dataclass_fields__}
                         | {"labels": tuple(header["labels"])})
    except (KeyError, TypeError) as exc:
        raise ModelError(f"Tệp mô hình {path.name} thiếu thông tin {exc}") from exc


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _sklearn_version() -> str:
    """scikit-learn's version, importing it only now: it takes ~2 s and ~100 MB, which every
    worker and command that classifies without a learned model (the default) is spared."""
    import sklearn  # ~2 s and ~100 MB, only when a model is trained or used

    return sklearn.__version__
