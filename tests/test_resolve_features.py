"""What a person mention brings to resolution besides its name: the capacity
it appears in (a job, a member of the public), and the mentions listed beside
it in a narrative."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from lantern.domain import Extraction, PersonMention, Span
from lantern.resolve import features


def _mention(n: int, text: str, role: str, source: str = "narrative", **kw: Any) -> PersonMention:
    start = kw.pop("start", 0)
    return PersonMention(
        mention_id=f"a/R1#p{n}",
        text=text,
        span=Span(start, start + len(text), source),
        role=role,
        name=text,
        **kw,
    )


def _extraction(*people: PersonMention) -> Extraction:
    return Extraction(agency="a", report_id="R1", revision=1, extractor="t", people=list(people))


def _rows(ex: Extraction) -> dict[str, dict[str, Any]]:
    rows = features.person_rows(1, ex, datetime(2016, 2, 28, tzinfo=UTC))
    return {r["unique_id"]: r for r in rows}


def test_a_reporter_s_job_is_her_occupation_and_her_signature_in_the_narrative_shares_it() -> None:
    ex = _extraction(
        _mention(0, "Abigail Bottomley", "reporter", "reporter", description="Youth  Worker"),
        _mention(1, "Sadia", "person-at-risk", start=30),
        _mention(2, "Abigail Bottomley", "reporter", start=200),
        _mention(3, "Kelly Shaw", "reporter", start=250),
    )
    rows = _rows(ex)
    assert rows["a/R1#p0"]["occupation"] == "youth worker"
    assert rows["a/R1#p2"]["occupation"] == "youth worker"  # "Interview completed by ..."
    assert rows["a/R1#p1"]["occupation"] == features.PUBLIC  # the child the report is about
    assert rows["a/R1#p3"]["occupation"] is None  # another name signing: nothing known


def test_members_of_the_public_and_unnamed_jobs() -> None:
    ex = _extraction(
        _mention(0, "Richard Haig", "reporter", "reporter", description="caller"),
        _mention(1, "Jo Bloggs", "professional", start=40),
        _mention(2, "Sam Hill", "reporter", "subjects[0]", description="professional"),
        _mention(3, "Lee Jones", "suspect", start=80),
        _mention(4, "Pat Kaur", "witness", start=120),
    )
    rows = _rows(ex)
    assert rows["a/R1#p0"]["occupation"] == features.PUBLIC
    assert rows["a/R1#p1"]["occupation"] == features.STAFF
    assert rows["a/R1#p2"]["occupation"] == features.STAFF
    assert rows["a/R1#p3"]["occupation"] == features.PUBLIC
    assert rows["a/R1#p4"]["occupation"] == features.PUBLIC


def test_people_listed_together_are_neighbours() -> None:
    # "Officers spoke to Emma Wilson (17) and Emma (17) and sent them home. OIC PC 2323 Sutcliffe."
    text = "Officers spoke to Emma Wilson (17) and Emma (17) and sent them home. OIC PC 2323 Sutcliffe."
    spans = [
        ("Emma Wilson (17)", "person-at-risk"),
        ("Emma (17)", "person-at-risk"),
        ("PC 2323 Sutcliffe", "reporter"),
    ]
    people = [_mention(i, t, role, start=text.index(t)) for i, (t, role) in enumerate(spans)]
    people.append(_mention(3, "PC 2323 Sutcliffe", "reporter", "reporter"))
    listed = features.listed_together(_extraction(*people))
    assert listed == {"a/R1#p0": ["a/R1#p1"], "a/R1#p1": ["a/R1#p0"]}


def _occupation_level(left: str | None, right: str | None) -> str:
    """The level of the model's job comparison two occupations fall in, as
    DuckDB evaluates the model's own conditions (first that holds)."""
    import duckdb

    from lantern.resolve import model

    comparison = model.occupation().get_comparison("duckdb")
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE p AS SELECT ?::VARCHAR AS occupation_l, ?::VARCHAR AS occupation_r",
        [left, right],
    )
    for level in comparison.comparison_levels:
        if level.sql_condition.strip().upper() == "ELSE":
            return str(level.label_for_charts)
        if con.execute(f"SELECT {level.sql_condition} FROM p").fetchone()[0]:
            return str(level.label_for_charts)
    raise AssertionError("no level holds")


def test_someone_in_a_trade_is_one_of_the_public_not_an_agency_s_staff() -> None:
    # the takeaway's owner who reports a concern is the man named in a
    # dispute at his takeaway: his job is no reason to hold the two apart
    assert _occupation_level("owner", features.PUBLIC) == "missing"
    assert _occupation_level("night manager", "takeaway worker") == "missing"
    assert _occupation_level("night manager", "night manager") == "same job"
    # an agency's staff are still not the public, nor someone in a trade
    assert _occupation_level("youth worker", features.PUBLIC) == "one staff, the other the public"
    assert _occupation_level("youth worker", "owner") == "one staff, the other the public"
    assert _occupation_level("youth worker", features.STAFF) == "both staff, job differs or unknown"
    assert _occupation_level(features.PUBLIC, features.PUBLIC) == "missing"
    assert features.staff_job("owner") is None and features.staff_job(features.STAFF) is None
    assert features.staff_job("youth worker") == "youth worker"


def _blocked_by(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """The model's blocking rules under which two rows are scored at all, as
    DuckDB evaluates them."""
    import duckdb

    from lantern.resolve import linkage, model

    con = duckdb.connect()
    people = linkage.table([left, right])  # noqa: F841 (read by DuckDB by name)
    found = []
    for rule in model.blocking_rules():
        sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
        query = (
            f"SELECT count(*) FROM people l, people r WHERE l.unique_id < r.unique_id AND ({sql})"
        )
        if con.execute(query).fetchone()[0]:
            found.append(sql)
    return found


def test_names_that_sound_the_same_from_different_first_letters_are_scored() -> None:
    # the social worker signing "Interview completed by Caitlin Brown" in
    # one report and "Kaitlyn Brown" in another: no initial in common, the
    # nickname table does not know the spelling, but both names sound alike
    day = datetime(2012, 6, 5, tzinfo=UTC)
    left = features.person_rows(1, _extraction(_mention(0, "Caitlin Brown", "reporter")), day)[0]
    right = features.person_rows(2, _extraction(_mention(1, "Kaitlyn Brown", "reporter")), day)[0]
    assert _blocked_by(left, right) == [
        '(l."family_mp" = r."family_mp") AND (l."given_mp" = r."given_mp")'
    ]


def _read(narrative: str) -> dict[str, dict[str, Any]]:
    """The person rows of one report read from its narrative, by mention text."""
    from lantern.domain import Report
    from lantern.extract import extract_report

    report = Report.from_body(
        {
            "id": "R1",
            "agency": "a",
            "received_at": "2016-05-07T12:00:00+01:00",
            "narrative": narrative,
        }
    )
    rows = features.person_rows(1, extract_report(report, 1), datetime(2016, 5, 7, tzinfo=UTC))
    return {r["unique_id"]: r for r in rows}


def _company_of(rows: dict[str, dict[str, Any]], given: str) -> list[str]:
    """The company kept by the mentions of one given name in a report."""
    return sorted({k for r in rows.values() if r["given"] == given for k in r["company"] or ()})


def test_the_places_a_man_takes_children_to_or_works_at_are_the_company_he_keeps() -> None:
    # the intelligence and the child's account name one flat: the man she
    # knows as 'Jim' and James Merinstead keep the same company
    intelligence = _read(
        "Information received that James MERINSTEAD (45) is collecting girls from the "
        "town centre and taking them to Flat 3, 32 Beech Crescent, where they are given "
        "alcohol. James MERINSTEAD works at Village Chippy."
    )
    account = _read(
        "Return home interview with Harpreet (15). She disclosed that a man she knows as "
        "'Jim', aged about 45, took her to Flat 3, 32 Beech Crescent where he had sex with her."
    )
    assert _company_of(intelligence, "james") == [
        "address:flat 3 32 beech crescent",
        "place:village chippy",
    ]
    assert _company_of(account, "jim") == ["address:flat 3 32 beech crescent"]
    # the child is not tied to the flat by being taken there, and a place
    # merely named keeps nobody's company ("youths causing a nuisance at
    # Calder Park")
    assert _company_of(account, "harpreet") == []
    youths = _read(
        "Report of youths causing a nuisance at Calder Park. Officers spoke to "
        "Nicola Sowsside (13) and Sophie (12) and sent them home."
    )
    assert _company_of(youths, "nicola") == _company_of(youths, "sophie") == []


def test_an_adult_s_guessed_age_allows_three_years_each_way_and_a_child_s_none() -> None:
    # "a man aged about 40", seen on 1 June 2011: a witness's guess, often
    # three years out (and rounded to five), so a man born any day from
    # 2 June 1967 to 1 June 1974 can be him; "Kelly (14)" is fourteen
    day = datetime(2011, 6, 1).date()
    earliest, latest = features.born_range(None, 40, day)
    assert features.EPOCH + timedelta(days=earliest) == date(1967, 6, 2)
    assert features.EPOCH + timedelta(days=latest) == date(1974, 6, 1)
    earliest, latest = features.born_range(None, 14, day)
    assert features.EPOCH + timedelta(days=earliest) == date(1996, 6, 2)
    assert features.EPOCH + timedelta(days=latest) == date(1997, 6, 1)
    born = date(1980, 3, 4)
    assert features.born_range(born, 40, day) == ((born - features.EPOCH).days,) * 2
