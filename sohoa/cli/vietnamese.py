"""argparse's own words in Vietnamese: its headings, its help line and its error messages.

argparse looks its messages up through the module-level names ``_`` and ``ngettext`` (GNU
gettext, which has no Vietnamese catalogue for it); :func:`install` points them at this
table, so ``sohoa --help`` and every usage error read in Vietnamese. Messages not in the
table stay as argparse wrote them.
"""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "not allowed with argument %s": "không dùng cùng %s",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ, cần %(type)s: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r không có trong danh sách (chọn một trong %(choices)s)",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
PLURALS = {("expected %s argument", "expected %s arguments"): "cần %s giá trị"}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return PLURALS.get((singular, plural), singular if count == 1 else plural)


def install() -> None:
    """Make argparse speak Vietnamese in this process (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]


def typed(convert, name: str):  # noqa: ANN001, ANN201 - a type= converter
    """``convert`` under a Vietnamese name: argparse shows ``__name__`` when a value is
    refused ("cần số nguyên")."""
    def converted(text: str):  # noqa: ANN202
        return convert(text)

    converted.__name__ = name
    return converted
