"""Results (kết quả giải quyết): what the deciding agency issues, and its hand-over.

A result is added to a dossier once the agency has decided (national status 4 đang xử lý →
9 đã xử lý xong); it is handed to the citizen at the return counter (9 → 10 đã trả kết
quả), and who received it, from whom and when is recorded. Its code comes from the
procedure's results in the national catalog (``KQ.Gxx.nnnnnn``).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

RESULT_DOC_TYPE = "ket_qua"
"""Document type of a result among a dossier's documents."""
RESULT_CODE = r"^KQ\.G\d{2}\.\d{6}$"


class ResultMetadata(BaseModel):
    """What the officer (or the clerk) says about a result."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    code: str | None = Field(default=None, pattern=RESULT_CODE)
    """Mã kết quả from the catalog; None when the catalog lists none for the procedure."""
    name: str = Field(min_length=1, max_length=512)
    """Tên giấy tờ kết quả, e.g. "Giấy khai sinh"."""
    number: str = Field(min_length=1, max_length=128)
    """Số / ký hiệu, e.g. "123/2026/GKS"."""
    issued_on: date
    issuing_agency: str = Field(min_length=1, max_length=256)
    signer: str = Field(min_length=1, max_length=256)
    """Người ký (the official who signed the decision)."""
    valid_until: date | None = None
    """None: valid permanently (vĩnh viễn)."""


class ResultRecord(BaseModel):
    """A result as recorded in the catalog."""

    model_config = ConfigDict(frozen=True)

    dossier_code: str
    ordinal: int
    """Its document's ordinal among the dossier's documents."""
    metadata: ResultMetadata
    kept_as_received: bool
    """True: the PDF came signed and is stored byte for byte (its signature stays valid);
    False: it came unsigned (a scanned paper result) and was signed by the digitizer."""
    sha256: str
    added_by: str
    added_at: datetime


class Handover(BaseModel):
    """The result handed to the citizen (trả kết quả)."""

    model_config = ConfigDict(frozen=True)

    dossier_code: str
    recipient: str
    """Who received it (the citizen, or the person they authorised)."""
    recipient_id: str = ""
    """Their identification number, when shown."""
    handed_by: str
    handed_at: datetime
    receipt_number: str
    """Số phiếu: ``<dossier code>/TKQ`` (one hand-over per dossier)."""
