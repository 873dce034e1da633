"""Links to the previous and next page of a list, keeping the filters the reader chose."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request


def neighbour_links(request: Request, param: str, previous: int | None, following: int | None,
                    anchor: str = "") -> dict[str, str | None]:
    """{"prev", "next"}: this page's address with ``param`` set to ``previous`` /
    ``following`` (None: no such page) and every other query parameter kept as it came."""

    def at(value: int | None) -> str | None:
        if value is None:
            return None
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != param]
        return f"{request.url.path}?{urlencode([*kept, (param, str(value))])}{anchor}"

    return {"prev": at(previous), "next": at(following)}
