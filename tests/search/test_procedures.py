"""The counter's procedure picker over the shipped national catalog: by code, by any part of
the name with or without diacritics, the procedures this counter uses most first."""

from __future__ import annotations

from functools import cache

from sohoa.domain.catalog.directory import ProcedureEntry
from sohoa.domain.catalog.shipped import load_directory
from sohoa.search.procedures import ProcedureIndex, index_for


@cache
def entries() -> tuple[ProcedureEntry, ...]:
    return tuple(load_directory().entries())


def codes(found: list[ProcedureEntry]) -> list[str]:
    return [entry.code for entry in found]


def test_every_procedure_is_listed_once_curated_first() -> None:
    listed = entries()
    assert len(listed) == len({e.code for e in listed}) == 2643  # 2,642 + 2.000488
    assert [e.curated for e in listed[:8]] == [True] * 8
    assert not any(e.curated for e in listed[8:])


def test_by_any_part_of_the_name_with_or_without_diacritics() -> None:
    index = ProcedureIndex(entries())
    with_marks = codes(index.search("chặt hạ cây xanh"))
    assert with_marks == codes(index.search("chat ha cay xanh")) == ["1.002693"]
    assert codes(index.search("CHAT HA"))[:1] == ["1.002693"]
    assert codes(index.search("dịch chuyển cây"))[:1] == ["1.002693"]  # the middle of a name
    birth = codes(index.search("khai sinh", limit=100))
    assert birth[0] == "1.001193"  # curated, and its name is the query itself
    assert "1.000110" in birth  # "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"
    assert index.search("xyzzy khong co") == []


def test_by_code_or_its_start() -> None:
    index = ProcedureIndex(entries())
    assert codes(index.search("2.000568")) == ["2.000568"]
    assert codes(index.search(" 1.00269 ")) == [e.code for e in entries()
                                               if e.code.startswith("1.00269")]
    assert all(code.startswith("2.0005") for code in codes(index.search("2.0005")))


def test_most_used_at_this_counter_first() -> None:
    usage = {"1.000110": 40, "1.000689": 3}
    index = ProcedureIndex(entries(), usage)
    found = codes(index.search("khai sinh", limit=5))
    assert found[:3] == ["1.000110", "1.000689", "1.001193"]
    default = codes(index.search("", limit=10))
    assert default[:2] == ["1.000110", "1.000689"]
    assert set(default[2:]) == {e.code for e in entries() if e.curated}
    plain = ProcedureIndex(entries())
    assert codes(plain.search("khai sinh", limit=5, usage=usage))[:2] == ["1.000110", "1.000689"]


def test_the_index_is_built_once_per_catalog() -> None:
    directory = load_directory()
    assert index_for(directory) is index_for(directory)
    assert index_for(load_directory()) is not index_for(directory)
