"""Response model of the archivist search API (``GET /api/v1/search``): its OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from sohoa.clock import VIETNAM

if TYPE_CHECKING:
    from sohoa.search.index import SearchHit, SearchResults

_FROZEN = ConfigDict(frozen=True)


class SnippetFragment(BaseModel):
    model_config = _FROZEN

    text: str = Field(description="plain text (never markup): escape it when showing it")
    match: bool = Field(description="a word of the query (highlight it)")


class SearchHitItem(BaseModel):
    model_config = _FROZEN

    dossier_code: str
    procedure_code: str
    ordinal: int = Field(description="the document within the dossier")
    title: str
    doc_type: str
    page: int = Field(ge=1, description="page number within the document's PDF, from 1")
    received_at: datetime
    status: int = Field(ge=1, le=10, description="national portal status code (1-10)")
    status_name: str
    score: float = Field(description="relevance within its tier (higher is better)")
    exact: bool = Field(description="the page has the words with the diacritics as typed "
                        "(such pages come first)")
    snippet: list[SnippetFragment]
    pdf: str = Field(description="the signed PDF, opened at the page (#page=N)")


class SearchResponse(BaseModel):
    model_config = _FROZEN

    query: str
    total: int = Field(description="number of matching pages (a lower bound when "
                       "total_is_exact is false)")
    total_is_exact: bool
    limit: int
    offset: int
    hits: list[SearchHitItem]


def pdf_url(hit: SearchHit) -> str:
    """The signed document, opened by the browser's PDF viewer at the hit's page."""
    return (f"/api/v1/dossiers/{quote(hit.dossier_code)}/documents/{hit.ordinal}"
            f"#page={hit.page}")


def response_of(results: SearchResults, query: str, limit: int, offset: int) -> SearchResponse:
    """The API's answer (also ``sohoa search --json``)."""
    hits = [SearchHitItem(
        dossier_code=h.dossier_code, procedure_code=h.procedure_code, ordinal=h.ordinal,
        title=h.title, doc_type=h.doc_type, page=h.page,
        received_at=h.received_at.astimezone(VIETNAM),  # the same instant, as people read it
        status=h.status, status_name=h.status_name, score=h.score, exact=h.exact,
        snippet=[SnippetFragment(text=t, match=m) for t, m in h.snippet], pdf=pdf_url(h))
        for h in results.hits]
    return SearchResponse(query=query, total=results.total,
                          total_is_exact=results.total_is_exact, limit=limit, offset=offset,
                          hits=hits)
