"""The language check: words that blame a child, in the author's own voice,
flagged with suggested wording; quoted and reported speech left alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from lantern import clock
from lantern.victimfirst import export, stage
from lantern.victimfirst.language import Context, check_text, guide
from tests.recording_support import girl, store_report


def phrases(text: str, context: Context | None = None) -> list[str]:
    return [f.phrase for f in check_text(text, context)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Amy, 14, is putting herself at risk by going out.", "putting herself at risk"),
        ("The 15-year-old engages in risky behaviour.", "risky behaviour"),
        ("Concern that the girl is a child prostitute.", "child prostitute"),
        ("The 15-year-old girl is selling sex in the town centre.", "selling sex"),
        ("Amy (14) is in a consensual relationship with a man aged 30.", "consensual relationship"),
        ("Amy, 14, was collected by her boyfriend, a man aged 32.", "boyfriend"),
        ("The girl, aged 14, is sexually active.", "sexually active"),
        ("The child, 12 years old, had sex with an adult male.", "had sex with"),
        ("The 15 year old girl is very streetwise.", "streetwise"),
        ("Staff describe the girl as promiscuous.", None),  # reported speech of staff
        ("The girl, aged 15, is promiscuous.", "promiscuous"),
        ("A girl aged 15 who has made a lifestyle choice.", "lifestyle choice"),
        ("The 14-year-old girl appears in control of the situation.", "in control"),
        ("Amy, 15, has an older boyfriend who collects her in his car.", "boyfriend"),
        ("The girl, 14, is a known runaway.", "runaway"),
        ("The boy, 15, is a petty criminal.", "petty criminal"),
        ("The girl, 13, has been contacting adults online.", "has been contacting adults online"),
        ("A girl, 14, involved in CSE.", "involved in CSE"),
    ],
)
def test_each_term_in_the_guide_is_flagged_in_the_authors_voice(
    text: str, phrase: str | None
) -> None:
    assert phrases(text) == ([phrase] if phrase else [])


def test_each_flag_carries_the_suggested_wording_and_where_it_is() -> None:
    text = "Amy, aged 14, keeps putting herself at risk."
    (flag,) = check_text(text)
    assert text[flag.start : flag.end] == flag.phrase
    assert flag.suggestion == "the child is at risk of being exploited by adults"


@pytest.mark.parametrize(
    "text",
    [
        'Amy (14) told officers: "Mo is my boyfriend, a man aged 30, I am in control."',
        "Amy (14) said “he is my boyfriend” about the 30-year-old man.",
        "Amy, 14, described the man aged 30 as her ‘boyfriend’.",
        "Amy, 14, described the man aged 30 as her 'boyfriend'.",
        "Amy, 14, says the man aged 30 is her boyfriend.",
        "Her mother says Amy, 14, is putting herself at risk.",
    ],
)
def test_quoted_and_reported_speech_of_others_is_not_flagged(text: str) -> None:
    assert phrases(text) == []


def test_the_author_reporting_their_own_words_is_still_flagged() -> None:
    text = "Amy is 14. I explained that she is putting herself at risk."
    assert phrases(text) == ["putting herself at risk"]


def test_apostrophes_are_not_mistaken_for_quotation_marks() -> None:
    text = "Amy's 14 and she's been putting herself at risk at Mo's flat."
    assert phrases(text, Context(child_ages=(14,), about_child=True)) == ["putting herself at risk"]


def test_boyfriend_is_flagged_only_for_an_adult_with_a_child() -> None:
    assert phrases("Amy, 15, went to the cinema with her boyfriend, who is 15.") == []
    assert phrases("Amy, 15, went out with her boyfriend, a man aged 27.") == ["boyfriend"]
    assert phrases("Ms Jones, 34, and her boyfriend were at home.") == []


def test_sexually_active_is_flagged_only_for_a_child_under_16() -> None:
    assert phrases("The girl, aged 15, is sexually active.") == ["sexually active"]
    assert phrases("The girl, aged 17, is sexually active.") == []


def test_had_sex_with_is_flagged_only_for_a_child_under_13() -> None:
    assert phrases("The girl, aged 12, had sex with a man.") == ["had sex with"]
    assert phrases("The girl, aged 15, had sex with a man.") == []


def test_the_context_given_by_extraction_decides_over_the_text() -> None:
    text = "She is sexually active."
    assert phrases(text) == []
    assert phrases(text, Context(child_ages=(13,), about_child=True)) == ["sexually active"]


def test_the_guide_names_its_source() -> None:
    assert "Children's Society" in guide().source and "NAPAC" in guide().source


def test_the_stage_stores_flags_per_report_and_exports_them(sqlite_engine: Engine) -> None:
    at = datetime(2010, 5, 1, 12, tzinfo=UTC)
    store_report(
        sqlite_engine,
        "R1",
        at,
        narrative='Amy is putting herself at risk. She said "I love him, he is my boyfriend".',
        people=[girl("c1", age=14)],
    )
    store_report(sqlite_engine, "R2", at, narrative="A neighbour dispute about parking.")
    with clock.frozen_at(at):
        summary = stage.run(sqlite_engine)
    assert summary.startswith("2 reports' language checked")
    fields = export.report_fields(sqlite_engine, at)
    assert fields[("syp", "R1")]["language_flags"] == [
        {
            "phrase": "putting herself at risk",
            "suggestion": "the child is at risk of being exploited by adults",
        }
    ]
    assert fields[("syp", "R2")]["language_flags"] == []
    with clock.frozen_at(at):
        assert stage.run(sqlite_engine).startswith("0 reports' language checked")
