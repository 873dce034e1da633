"""Dossier codes in both official formats: parse, format, round trip, refusal."""

from __future__ import annotations

from datetime import date

import pytest

from sohoa.domain.dossier_code import DossierCode, format_dossier_code, parse_dossier_code
from sohoa.errors import InvalidDossierCodeError


def test_parse_the_legacy_example_from_circular_01_2018() -> None:
    code = parse_dossier_code("000.00.14.H56-200203-0118")
    assert code == DossierCode("000.00.14.H56", date(2020, 2, 3), 118, "legacy", "")


def test_parse_the_central_format_of_circular_04_2025() -> None:
    code = parse_dossier_code("M01.123.45-250315-AB0012")
    assert code == DossierCode("M01.123.45", date(2025, 3, 15), 12, "central", "AB")


@pytest.mark.parametrize(
    ("text", "agency", "sequence"),
    [
        ("  000.00.14.h56-200203-0118\n", "000.00.14.H56", 118),  # from OCR / QR: blanks, case
        ("H56.22-241231-12345", "H56.22", 12345),  # more than four digits
        ("000.00.14.H56-240229-0001", "000.00.14.H56", 1),  # leap day
    ],
)
def test_parse_tolerates_blanks_case_and_long_sequences(
    text: str, agency: str, sequence: int
) -> None:
    code = parse_dossier_code(text)
    assert (code.agency, code.sequence, code.kind) == (agency, sequence, "legacy")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "000.00.14.H56-201340-0118",  # month 13
        "000.00.14.H56-230229-0118",  # 2023 has no 29 February
        "000.00.14.H56-200203-118",  # sequence under four digits
        "000.00.14.H56-200203-0000",  # sequence starts at 1
        "000.00.14.H56-20020-0118",  # five-digit date
        "000..14.H56-200203-0118",  # empty agency group
        "000.00.14.H56--200203-0118",
        "000.00.14.H56-200203-0118-1",
        "M01.12.45-250315-AB0012",  # central: second group must have three digits
        "M1.123.45-250315-AB0012",  # central: first group must have two digits
        "M01.123.45-250315-A0012",  # one letter only
        "M01.123.45-250315-AB012",  # three digits only
        "X01.123.45-250315-AB0012",  # letters in the sequence but no 'M' service code
        "000.00.14.H56-２00203-0118",  # full-width digit
    ],
)
def test_invalid_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidDossierCodeError):
        parse_dossier_code(text)


def test_format_pads_the_sequence_to_four_digits() -> None:
    assert format_dossier_code("000.00.14.H56", date(2020, 2, 3), 118) == (
        "000.00.14.H56-200203-0118"
    )
    assert format_dossier_code("000.00.14.H56", date(2020, 2, 3), 12345) == (
        "000.00.14.H56-200203-12345"
    )
    assert format_dossier_code("M01.123.45", date(2025, 3, 15), 12, prefix="AB") == (
        "M01.123.45-250315-AB0012"
    )


@pytest.mark.parametrize(
    ("agency", "day", "sequence", "prefix"),
    [
        ("000.00.14.H56", date(2020, 2, 3), 1, ""),
        ("000.00.14.H56", date(2099, 12, 31), 9999, ""),
        ("H56.22", date(2025, 1, 1), 10_000, ""),
        ("M01.123.45", date(2025, 3, 15), 12, "AB"),
        ("M99.000.00", date(2030, 6, 30), 4321, "ZZ"),
    ],
)
def test_round_trip(agency: str, day: date, sequence: int, prefix: str) -> None:
    text = format_dossier_code(agency, day, sequence, prefix)
    parsed = parse_dossier_code(text)
    assert (parsed.agency, parsed.day, parsed.sequence, parsed.prefix) == (
        agency,
        day,
        sequence,
        prefix,
    )
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("agency", "sequence", "prefix"),
    [
        ("000.00.14-H56", 1, ""),  # a hyphen would split the code
        ("000.00.14.h56", 1, ""),  # lower case would not round-trip
        ("", 1, ""),
        ("000.00.14.H56", 0, ""),
        ("000.00.14.H56", 1, "AB"),  # letters only exist in the central format
    ],
)
def test_format_refuses_codes_that_would_not_parse_back(
    agency: str, sequence: int, prefix: str
) -> None:
    with pytest.raises(InvalidDossierCodeError):
        format_dossier_code(agency, date(2025, 1, 2), sequence, prefix)
