"""The agency REST API's request and response models (they are its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True)


class DossierItem(BaseModel):
    model_config = _FROZEN

    code: str = Field(description="mã hồ sơ, e.g. 000.00.14.H56-261121-0001")
    procedure_code: str
    procedure_name: str | None = Field(default=None, description="tên thủ tục (the code "
                                       "again when no catalog knows it)")
    status: int = Field(ge=1, le=10, description="national portal status code (1-10)")
    received_at: datetime
    receiving_agency: str
    routed_to: list[str]


class DossierList(BaseModel):
    model_config = _FROZEN

    total: int
    limit: int
    offset: int
    dossiers: list[DossierItem]


class DocumentItem(BaseModel):
    model_config = _FROZEN

    ordinal: int
    title: str
    doc_type: str
    checklist_item: str | None
    page_count: int
    sha256: str
    signed_at: datetime | None
    signer: str | None
    retain_until: datetime | None = None
    download: str = Field(description="path of the document stream (GET)")
    file_name: str = Field(default="", description="name to save it under: "
                           "<dossier code>-<NN>-<document type>.pdf")


class DossierDetail(DossierItem):
    procedure_name: str  # type: ignore[assignment]  # always known for one dossier
    complete: bool | None
    verdict_summary: str | None
    documents: list[DocumentItem]


class SignatureItem(BaseModel):
    model_config = _FROZEN

    signer_name: str
    signing_time: str | None
    intact: bool
    trusted: bool
    valid: bool
    has_timestamp: bool
    modified_after_signing: bool
    problem: str | None


class Verification(BaseModel):
    model_config = _FROZEN

    dossier_code: str
    ordinal: int
    sha256: str = Field(description="SHA-256 of the bytes checked (matches the catalog)")
    valid: bool = Field(description="every signature intact, trusted and unmodified")
    signatures: list[SignatureItem]


class DocumentLink(BaseModel):
    model_config = _FROZEN

    url: str
    expires_at: datetime
    sha256: str


class StatusChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: int = Field(ge=1, le=10, description="new national portal status code")
    note: str = Field(default="", max_length=500)


class StatusChanged(BaseModel):
    model_config = _FROZEN

    code: str
    old_status: int
    status: int


class HandoverRequest(BaseModel):
    """The citizen collects the result (trả kết quả)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recipient: str = Field(min_length=1, max_length=256, description="who received it")
    recipient_id: str = Field(default="", max_length=32,
                              description="their identification number, when shown")
