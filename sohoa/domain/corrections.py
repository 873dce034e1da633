"""The clerk's corrections to a batch of scans, by page position *as scanned* (0-based).

A clerk at the counter sets a page's type, starts a new document at a page (split), joins a
page to the document before it, removes a page (a blank sheet, a paper that belongs
elsewhere: its raw scan is kept) or changes the pages' order. Corrections name pages by
their position in the batch as scanned, so they stay meaningful whatever order is shown and
when more pages are appended to a held batch; :meth:`Corrections.arranged` translates them
to positions in the page stream the classifier sees.

Stored as JSON on the batch (``batches.overrides``) in the form it has always had:
``{"types": {"3": "giay_chung_sinh"}, "split_before": [1], "join": [4], "removed": [2],
"order": [2, 0, 1]}``, empty entries left out.

Every way of changing them lives here: from the command line (:meth:`from_command_line`),
merged with earlier ones (:meth:`merged`), one counter button at a time
(:meth:`with_action`), and a page scanned again in place (:meth:`replacing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from sohoa.domain.doctypes import BY_CODE, is_item_type
from sohoa.errors import OverrideError

Action = Literal["type", "remove", "restore", "up", "down", "split", "join"]
ACTIONS: tuple[str, ...] = ("type", "remove", "restore", "up", "down", "split", "join")
"""What the counter screen's buttons do to one page."""

_MARKS = {"remove": "removed", "split": "split_before", "join": "join"}
_OPPOSITE = {"split_before": "join", "join": "split_before"}


class Corrections(BaseModel):
    """What the clerk said about the pages of one batch (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    types: dict[int, str] = {}
    """Document type code for a page."""
    split_before: tuple[int, ...] = ()
    """A new document starts at these pages."""
    join: tuple[int, ...] = ()
    """These pages belong to the document before them."""
    removed: tuple[int, ...] = ()
    """Pages left out of the dossier (their raw scans are kept)."""
    order: tuple[int, ...] | None = None
    """The pages in the clerk's order; None: as scanned."""

    # --- JSON as stored -------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: Mapping | None) -> Corrections:
        """The stored form back; anything else is refused with the clerk's message."""
        try:
            return cls.model_validate(dict(data or {}))
        except ValidationError as exc:
            unknown = sorted(str(e["loc"][0]) for e in exc.errors()
                             if e["type"] == "extra_forbidden")
            if unknown:
                raise OverrideError(f"Không hiểu chỉnh sửa: {', '.join(unknown)}") from None
            raise OverrideError(f"Chỉnh sửa không hợp lệ: {exc.errors()[0]['msg']}") from None

    def to_json(self) -> dict | None:
        """The stored form (None when there is nothing to say)."""
        data: dict = {}
        if self.types:
            data["types"] = {str(k): v for k, v in sorted(self.types.items())}
        for key in ("split_before", "join", "removed"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        if self.order:
            data["order"] = list(self.order)
        return data or None

    @property
    def empty(self) -> bool:
        return self.to_json() is None

    # --- making and combining them --------------------------------------------------------

    @classmethod
    def from_command_line(cls, types: Sequence[str] = (), splits: Sequence[int] = (),
                          joins: Sequence[int] = (), removed: Sequence[int] = (),
                          order: str | None = None) -> Corrections:
        """``--type N=LOẠI``, ``--split N``, ``--join N``, ``--remove N``, ``--order 3,1,2``:
        1-based page numbers as the clerk reads them, 0-based positions here."""
        parsed = {}
        for item in types:
            page, _, code = item.partition("=")
            if not page.strip().isdigit() or not code.strip():
                raise OverrideError(f"--type cần dạng N=LOẠI (ví dụ 3=giay_chung_sinh, xem "
                                    f"sohoa types), không phải '{item}'")
            parsed[int(page) - 1] = code.strip()
        arranged = None
        if order:
            numbers = [n.strip() for n in order.split(",") if n.strip()]
            if not all(n.isdigit() for n in numbers):
                raise OverrideError(f"--order cần các số trang cách nhau bởi dấu phẩy (ví dụ "
                                    f"3,1,2), không phải '{order}'")
            arranged = tuple(int(n) - 1 for n in numbers)
        return cls(types=parsed, split_before=_positions(splits), join=_positions(joins),
                   removed=_positions(removed), order=arranged)

    def merged(self, changes: Corrections) -> Corrections:
        """Earlier corrections stay and new ones are added; a new order replaces the old."""
        return Corrections(
            types={**self.types, **changes.types},
            split_before=_union(self.split_before, changes.split_before),
            join=_union(self.join, changes.join),
            removed=_union(self.removed, changes.removed),
            order=changes.order if changes.order else self.order)

    def without(self, key: str, position: int) -> Corrections:
        """These corrections with ``position`` taken out of ``split_before``, ``join`` or
        ``removed``."""
        kept = tuple(i for i in getattr(self, key) if i != position)
        return self.model_copy(update={key: kept})

    def with_action(self, action: str, count: int, position: int,
                    doc_type: str | None = None) -> Corrections:
        """One counter button pressed for page ``position`` of a batch of ``count`` pages.
        A split undoes a join of the same page and the other way round."""
        if action == "type":
            if doc_type not in BY_CODE and not is_item_type(doc_type):
                raise OverrideError(f"Không có loại giấy tờ {doc_type!r}")
            return self.merged(Corrections(types={position: doc_type}))
        if action in ("up", "down"):
            return self.merged(Corrections(order=self.moved(count, position, action)))
        if action == "restore":
            return self.without("removed", position)
        if action in _MARKS:
            key = _MARKS[action]
            base = self.without(_OPPOSITE[key], position) if key in _OPPOSITE else self
            return base.merged(Corrections(**{key: (position,)}))
        raise OverrideError(f"Không hiểu thao tác {action!r}")

    def moved(self, count: int, position: int, direction: str) -> tuple[int, ...]:
        """The order with ``position`` one place earlier ("up") or later among the pages
        kept (removed pages go last)."""
        order = list(self.order or range(count))
        kept = [i for i in order if i not in self.removed]
        at = kept.index(position) if position in kept else -1
        other = at - 1 if direction == "up" else at + 1
        if at < 0 or not 0 <= other < len(kept):
            return tuple(order)
        kept[at], kept[other] = kept[other], kept[at]
        return tuple(kept + [i for i in order if i in self.removed])

    def replacing(self, before: int, after: int, replaced: int) -> Corrections:
        """Once pages ``before..after-1`` (as scanned) take the place of page ``replaced``:
        they stand where it stood, it is removed, and what the clerk said of it (its type, a
        split before it, a join to the page before) now applies to the first new page."""
        new = list(range(before, after))
        order = list(self.order or range(before))
        at = order.index(replaced) + 1
        types = dict(self.types)
        if replaced in types:
            types[new[0]] = types[replaced]
        marks = {key: _union(getattr(self, key), (new[0],))
                 if replaced in getattr(self, key) else getattr(self, key)
                 for key in ("split_before", "join")}
        return Corrections(types=types, **marks, removed=_union(self.removed, (replaced,)),
                           order=tuple(order[:at] + new + order[at:]))

    # --- reading them ---------------------------------------------------------------------

    def page_order(self, count: int) -> list[int]:
        """Positions (as scanned) in the clerk's order; pages scanned after the order was set
        (appended to the held batch) follow at the end."""
        order = list(self.order or ())
        if len(set(order)) != len(order) or not set(order) <= set(range(count)):
            raise OverrideError("Thứ tự trang phải liệt kê mỗi trang của lô đúng một lần")
        listed = set(order)
        return order + [i for i in range(count) if i not in listed]

    def arranged(self, count: int) -> tuple[list[int], Corrections]:
        """Positions (as scanned) of the pages to analyse, in the clerk's order, and the
        type, split and join corrections translated to positions in that arranged stream."""
        order = self.page_order(count)
        named = {*self.types, *self.split_before, *self.join, *self.removed}
        if unknown := sorted(named - set(order)):
            raise OverrideError(f"Không có trang {unknown[-1] + 1} trong lô (lô có {count} "
                                "trang, đánh số từ 1)")
        chosen = [i for i in order if i not in self.removed]
        position = {scan: n for n, scan in enumerate(chosen)}

        def moved(indexes: Iterable[int]) -> tuple[int, ...]:
            return tuple(position[i] for i in indexes if i in position)

        types = {position[k]: v for k, v in self.types.items() if k in position}
        return chosen, Corrections(types=types, split_before=moved(self.split_before),
                                   join=moved(self.join))


NO_CORRECTIONS = Corrections()


def _positions(numbers: Iterable[int]) -> tuple[int, ...]:
    return tuple(n - 1 for n in numbers)


def _union(a: Iterable[int], b: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(a) | set(b)))
