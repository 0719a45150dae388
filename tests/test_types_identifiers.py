"""Phone numbers, registration marks and postcodes: found in text written
any common way and normalised to one form."""

from __future__ import annotations

import pytest

from lantern.types import phone, postcode, vrm


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("0114 496 0123", "+441144960123"),
        ("0044 7700 900123", "+447700900123"),
    ],
)
def test_uk_numbers_in_any_written_form_are_found_as_e164(written: str, e164: str) -> None:
    text = f"Her number is {written}, she says."
    found = list(phone.find(text))
    assert [(text[s:e], n) for s, e, n in found] == [(written, e164)]


def test_dates_times_and_short_numbers_are_not_phones() -> None:
    assert list(phone.find("Seen on 12/04/2011 at 22:15, flat 12, aged 14, ref 123456.")) == []


def test_a_stored_number_is_shown_in_national_form() -> None:
    assert phone.display("+447700900123") == "07700 900123"


@pytest.mark.parametrize(
    ("written", "mark", "partial"),
    [
        ("YX51 KDA", "YX51KDA", False),
        ("yx51kda", "YX51KDA", False),
        ("P123 ABC", "P123ABC", False),
        ("ABC 123D", "ABC123D", False),
        ("YX5?", "YX5?", True),
        ("YX51 K??", "YX51K??", True),
    ],
)
def test_marks_are_normalised_and_partial_ones_keep_their_unknown_positions(
    written: str, mark: str, partial: bool
) -> None:
    assert vrm.normalise(written) == (mark, partial)


def test_a_partial_mark_matches_the_full_marks_it_could_be() -> None:
    assert not vrm.matches("*4KD", "YX51KDA")
    assert vrm.matches("*KDA", "YX51KDA")
    assert vrm.matches("YX5?KDA", "YX51KDA")
    assert not vrm.matches("YX5?KDA", "YX51KDB")
    assert vrm.partial_from("yx5", at_start=True) == "YX5*"


def test_a_full_mark_is_displayed_with_its_space() -> None:
    assert vrm.display("YX51KDA") == "YX51 KDA"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("EH1 1YZ", "EH1 1YZ"),  # Scottish
        ("CF10 1AA", "CF10 1AA"),  # Welsh
        ("sw1a1aa", "SW1A 1AA"),
        ("s60  1aa", "S60 1AA"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes_are_validated_and_written_in_standard_form(written: str, code: str) -> None:
    assert postcode.normalise(written) == code


@pytest.mark.parametrize("bad", ["QV1 1CI", "S60 1CI", "12345", "EH1", "AB12 3456"])
def test_malformed_postcodes_are_rejected(bad: str) -> None:
    assert postcode.normalise(bad) is None


def test_postcodes_are_found_in_running_text() -> None:
    text = "Found in Edinburgh (EH1 1YZ), later in cf10 1aa."
    assert [c for _, _, c in postcode.find(text)] == ["EH1 1YZ", "CF10 1AA"]
