"""The rule passes of clustering: one officer per collar number, and a
first-name-only mention joined to the person its own report names in full
(never to someone listed beside it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from lantern.resolve import clustering, names
from lantern.resolve.clustering import Clusters, Link


def _row(uid: str, report: int, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unique_id": uid,
        "report_pk": report,
        "given": None,
        "family": None,
        "dob": None,
        "born_lo": None,
        "born_hi": None,
        "sex": None,
        "is_child": 0,
        "identifier": None,
        "phones": None,
    }
    row.update(fields)
    return row


def _clusters(*rows: dict[str, Any]) -> Clusters:
    return Clusters({r["unique_id"]: r for r in rows})


def test_a_collar_number_is_read_from_rank_number_and_surname() -> None:
    assert names.collar("PC 2633 Holmes") == ("2633", "Holmes")
    assert names.collar("OIC PCSO 7012 Shaw.") == ("7012", "Shaw")
    assert names.collar("Holmes") is None
    assert names.collar("DC Smith") is None


def test_one_officer_per_collar_number() -> None:
    c = _clusters(
        _row("a", 1, family="crossley", identifier="collar:1598"),
        _row("b", 2, family="crossley", identifier="collar:1598"),
        _row("c", 3, family="crossley", identifier="collar:2248"),
        _row("d", 3, given="megan", family="crossley", sex="F"),
    )
    c.join_officers()
    assert c.find("a") == c.find("b")
    assert c.find("c") != c.find("a")
    # a scored link cannot join two collar numbers, nor an officer and a civilian
    c.add_links([Link("a", "c", 20.0, []), Link("c", "d", 20.0, [])])
    assert len({c.find(m) for m in "acd"}) == 3


def test_a_first_name_joins_the_one_person_its_report_names_in_full() -> None:
    c = _clusters(
        _row("full", 1, given="craig", family="turner", sex="M"),
        _row("first", 1, given="craig", sex="M"),
        _row("elsewhere", 2, given="craig", sex="M"),
    )
    roles = {"full": "suspect", "first": "suspect", "elsewhere": "suspect"}
    assert c.corefer_within_reports(roles) == 1
    assert c.find("first") == c.find("full")
    assert c.find("elsewhere") != c.find("full")


def test_a_first_name_with_two_candidates_or_across_staff_is_left_alone() -> None:
    c = _clusters(
        _row("mark1", 1, given="mark", family="walker", sex="M"),
        _row("mark2", 1, given="mark", family="hill", sex="M"),
        _row("mark", 1, given="mark", sex="M"),
        _row("worker", 2, given="nicola", family="harrison"),
        _row("nicola", 2, given="nicola", sex="F"),
    )
    roles = {"worker": "reporter", "nicola": "associate"}
    assert c.corefer_within_reports(roles) == 0


def test_a_first_name_listed_beside_a_full_name_is_another_person() -> None:
    # "Officers spoke to Emma Wilson (17) and Emma (17)": two girls
    def town() -> Clusters:
        return _clusters(
            _row(
                "emma_w",
                1,
                given="emma",
                family="wilson",
                sex="F",
                is_child=1,
                born_lo=0,
                born_hi=365,
            ),
            _row("emma", 1, given="emma", sex="F", is_child=1, born_lo=0, born_hi=365),
        )

    listed = town()
    assert listed.corefer_within_reports({}, {"emma": {"emma_w"}, "emma_w": {"emma"}}) == 0
    assert listed.find("emma") != listed.find("emma_w")
    # a line later, not in a list: the same girl
    apart = town()
    assert apart.corefer_within_reports({}) == 1
    assert apart.find("emma") == apart.find("emma_w")


def test_a_member_of_staff_known_by_first_name_joins_the_one_colleague_of_that_job() -> None:
    c = _clusters(
        _row("turner", 1, given="joshua", family="turner", occupation="youth worker"),
        _row("josh", 2, given="josh", occupation="youth worker"),
        _row("josh_sw", 3, given="josh", occupation="social worker"),
        _row("josh_public", 4, given="josh", occupation="public"),
        _row("lee1", 5, given="lee", family="jones", occupation="youth worker"),
        _row("lee2", 6, given="lee", family="hall", occupation="youth worker"),
        _row("lee", 7, given="lee", occupation="youth worker"),
    )
    assert c.join_staff_by_first_name() == 1
    assert c.find("josh") == c.find("turner")
    # another job, a member of the public, or two colleagues it could be: alone
    assert len({c.find(m) for m in ("turner", "josh_sw", "josh_public", "lee")}) == 4


def test_staff_and_the_public_one_report_speaks_of_are_never_joined() -> None:
    # "Benjamin Jones of Riverside Youth Project reports that ... a man she
    # knows as 'Ben' took her": a strong link (same report, a nickname) is
    # still not enough
    c = _clusters(
        _row("worker", 1, given="benjamin", family="jones", occupation="youth worker"),
        _row("ben", 1, given="ben", sex="M", occupation="public"),
        _row("ben_later", 2, given="ben", sex="M", occupation="public"),
        _row("signed", 1, given="benjamin", family="jones", occupation=None),
    )
    c.add_links(
        [
            Link("worker", "ben", 9.0, []),
            Link("ben", "ben_later", 8.0, []),
            Link("worker", "signed", 7.0, []),
            Link("ben_later", "worker", 6.0, []),
        ]
    )
    assert c.find("ben") == c.find("ben_later")
    assert c.find("worker") == c.find("signed")
    # nor through a mention of another report: the cluster would hold both
    assert c.find("ben") != c.find("worker")


def test_a_return_interviews_first_name_joins_the_one_child_missing_that_day() -> None:
    # "Return home interview with Abi (12) following her missing episode on
    # 6 July 2014"; Abigail Shelsard (12) was reported missing on 6 July
    day, other_day = 16_258, 16_300
    child = {"sex": "F", "is_child": 1, "born_lo": 11_000, "born_hi": 11_400}
    c = _clusters(
        _row("abigail", 1, given="abigail", family="shelsard", missing_on=day, **child),
        _row("abi", 2, given="abi", missing_on=day, **child),
        # another Abi's interview after another episode, and one older
        _row("abi_later", 3, given="abi", missing_on=other_day, **child),
        _row(
            "abi_older",
            4,
            given="abi",
            missing_on=day,
            **{**child, "born_lo": 9_000, "born_hi": 9_400},
        ),
    )
    assert c.join_missing_episodes() == 1
    assert c.find("abi") == c.find("abigail")
    assert len({c.find(m) for m in ("abigail", "abi_later", "abi_older")}) == 3
    assert c.joined_by.get("abi") is None  # no scored link between them to keep


def test_a_first_name_missing_the_same_day_as_two_children_of_that_name_is_left_alone() -> None:
    day = 16_258
    child = {"sex": "F", "is_child": 1, "born_lo": 11_000, "born_hi": 11_400}
    c = _clusters(
        _row("abigail_s", 1, given="abigail", family="shelsard", missing_on=day, **child),
        _row("abigail_w", 5, given="abigail", family="walker", missing_on=day, **child),
        _row("abi", 2, given="abi", missing_on=day, **child),
    )
    assert c.join_missing_episodes() == 0
    assert len({c.find(m) for m in ("abigail_s", "abigail_w", "abi")}) == 3
    # once the store knows them as one girl (a "same" judgement, say), it joins
    c.join("abigail_s", "abigail_w", force=True)
    assert c.join_missing_episodes() == 1
    assert c.find("abi") == c.find("abigail_s")


def _town(*rows: dict[str, Any], shelsards: int = 0, cannot: Any = ()) -> Clusters:
    """``rows`` among 2,000 adults of other names, ``shelsards`` of them
    named Shelsard."""
    others = [
        _row(
            f"adult{i}",
            100 + i,
            given=f"given{i}",
            family="shelsard" if i < shelsards else f"family{i}",
        )
        for i in range(2000)
    ]
    everyone = [*rows, *others]
    return Clusters({r["unique_id"]: r for r in everyone}, cannot)


GIRL = {"given": "abigail", "family": "shelsard", "sex": "F", "is_child": 1}


def _aged(born_lo: int, **fields: Any) -> dict[str, Any]:
    return {**GIRL, "born_lo": born_lo, "born_hi": born_lo + 365, **fields}


def _dated(dob: str, **fields: Any) -> dict[str, Any]:
    """A mention with a date of birth, as ``features.person_row`` makes it:
    the birth range is that day."""
    day = (date.fromisoformat(dob) - date(1970, 1, 1)).days
    return {**GIRL, "dob": dob, "born_lo": day, "born_hi": day, **fields}


def test_a_childs_mistyped_date_of_birth_keeps_her_one_child() -> None:
    # "born 14/02/2000" in one report, "born 14/02/2001" in another: the model
    # scores the dates one typo apart, and the joined cluster still reads as
    # one girl; a third date two typos from the first is another girl
    reasons = [
        {"comparison": "given_name", "level": "same"},
        {"comparison": "family_name", "level": "same"},
        {"comparison": "born", "level": "date of birth one typo apart"},
    ]
    c = _clusters(
        _row("a1", 1, **_dated("2000-02-14")),
        _row("a2", 2, **_dated("2001-02-14")),
        _row("a3", 3, **_dated("2000-07-03")),
        _row("a4", 4, **_aged(11_700)),  # an age two years younger
    )
    c.add_links([Link(a, b, 12.0, reasons) for a, b in (("a1", "a2"), ("a2", "a3"), ("a1", "a4"))])
    assert c.find("a1") == c.find("a2")
    assert c.find("a3") != c.find("a1")
    assert c.find("a4") != c.find("a1")


def test_a_date_of_birth_with_day_and_month_swapped_is_one_slip_to_model_and_rules() -> None:
    # "1997-04-05" for "1997-05-04" (the date read in the American order):
    # the model's "one typo apart" and the child rules' agree on which pairs
    # of dates are one slip apart, and a swap is one
    import duckdb

    from lantern.resolve import model

    pairs = [
        ("1997-04-05", "1997-05-04", True),  # day and month swapped
        ("1997-11-07", "1997-07-11", True),
        ("2000-02-14", "2001-02-14", True),  # one digit
        ("2000-02-14", "2000-02-41", True),  # two digits transposed
        ("1997-04-05", "1998-05-04", False),  # swapped, and another year
        ("1999-06-19", "2000-06-19", False),  # a year out: four characters
        ("2000-02-14", "2000-07-03", False),
    ]
    con = duckdb.connect()
    sql = model._ONE_TYPO_APART
    for a, b, slip in pairs:
        for left, right in ((a, b), (b, a)):
            in_model = con.execute(
                f"SELECT {sql} FROM (SELECT ? AS dob_l, ? AS dob_r)", [left, right]
            ).fetchone()[0]
            assert bool(in_model) is slip, (left, right)
            assert clustering._typo_apart(left, right) is slip, (left, right)
    # and a girl whose two reports give her birthday both ways is one girl
    reasons = [
        {"comparison": "given_name", "level": "same"},
        {"comparison": "family_name", "level": "same"},
        {"comparison": "born", "level": "date of birth one typo apart"},
    ]
    c = _clusters(_row("a1", 1, **_dated("1997-04-05")), _row("a2", 2, **_dated("1997-05-04")))
    c.add_links([Link("a1", "a2", 12.0, reasons)])
    assert c.find("a1") == c.find("a2")


def test_a_child_by_a_rare_full_name_and_age_is_joined_across_reports() -> None:
    # "Abigail Shelsard (13)" in three reports with nothing more to tell her
    # by: one Shelsard among 2,000 names, so another girl of that name
    # and age is unlikely
    c = _town(
        _row("a1", 1, **_aged(11_000)),
        _row("a2", 2, **_aged(11_100)),
        _row("a3", 3, **_aged(11_200, given="abi")),
    )
    scored = Link("a1", "a2", 4.0, [{"comparison": "given_name", "level": "same"}])
    c.add_links([scored])  # scored, but too weak to join two children
    assert c.find("a1") != c.find("a2")
    assert c.join_namesake_children() == 2
    assert c.find("a1") == c.find("a2") == c.find("a3")
    # the scored link is kept as how one was joined, with the rule
    joined = c.joined_by["a2"]
    assert joined.match_weight == 4.0
    assert joined.reasons[-1] == clustering.NAMESAKE_REASON
    assert "a3" not in c.joined_by  # nothing scored between a3 and the others


def test_a_child_by_a_common_full_name_is_left_alone() -> None:
    # thirty Shelsards in the store: another Abigail Shelsard of her age is
    # too likely
    c = _town(_row("a1", 1, **_aged(11_000)), _row("a2", 2, **_aged(11_100)), shelsards=30)
    namesakes = clustering.Namesakes(c.rows.values())
    view = [clustering._ChildView.of(c.rows, ["a1"]), clustering._ChildView.of(c.rows, ["a2"])]
    assert namesakes.expected(view, "shelsard") > clustering.NAMESAKE_ODDS
    assert c.join_namesake_children(namesakes) == 0
    assert c.find("a1") != c.find("a2")


def test_children_of_one_name_who_may_be_two_are_left_alone() -> None:
    # ages in a chain (13, then 14, then 15 in the same year): the first and
    # last cannot be one girl, so none are joined
    chain = _town(
        _row("a1", 1, **_aged(11_000)),
        _row("a2", 2, **_aged(11_300)),
        _row("a3", 3, **_aged(11_600)),
    )
    assert chain.join_namesake_children() == 0
    # two dates of birth, not a typo apart
    dates = _town(_row("a1", 1, **_dated("2000-02-14")), _row("a2", 2, **_dated("2000-07-03")))
    assert dates.join_namesake_children() == 0
    # a date of birth two years from the other's stated age
    older = _town(_row("a1", 1, **_dated("2000-02-14")), _row("a2", 2, **_aged(11_700)))
    assert older.join_namesake_children() == 0
    # named in one report: two girls
    same_report = _town(_row("a1", 1, **_aged(11_000)), _row("a2", 1, **_aged(11_000)))
    assert same_report.join_namesake_children() == 0
    # a boy of that name, or one of another family
    boy = _town(_row("a1", 1, **_aged(11_000)), _row("a2", 2, **_aged(11_000, sex="M")))
    assert boy.join_namesake_children() == 0
    # a person judged not the same
    judged = _town(
        _row("a1", 1, **_aged(11_000)), _row("a2", 2, **_aged(11_100)), cannot=[("a1", "a2")]
    )
    assert judged.join_namesake_children() == 0
    # ... and the same girl three times, her year of birth mistyped once, her
    # age stated once: the date of birth of one typo joins, as the model
    # would count it
    typo = _town(
        _row("a1", 1, **_dated("2000-02-14")),
        _row("a2", 2, **_dated("2001-02-14")),
        _row("a3", 3, **_aged(10_900)),
    )
    assert typo.join_namesake_children() == 2
    assert typo.find("a1") == typo.find("a2") == typo.find("a3")


def test_a_child_s_cluster_never_holds_given_names_that_cannot_be_one_girl_s() -> None:
    # "Abi Shelsard (14)", "Abigail Shelsard (14)" and "Amy Shelsard (14)":
    # Abi can be Abigail, but Amy is no name of hers, however strong the
    # links (one family, one age, one address) that would chain them
    same = [
        {"comparison": "given_name", "level": "same"},
        {"comparison": "family_name", "level": "same"},
        {"comparison": "born", "level": "same date of birth"},
        {"comparison": "address", "level": "same address"},
    ]
    c = _clusters(
        _row("abigail", 1, **_dated("2000-02-14")),
        _row("abi", 2, **_dated("2000-02-14", given="abi")),
        _row("amy", 3, **_dated("2000-02-14", given="amy")),
        _row("abigail2", 4, **_dated("2000-02-14")),
    )
    c.add_links(
        [
            Link("abigail", "abigail2", 20.0, same),
            Link("abi", "abigail", 18.0, same),
            # links whose levels would pass on their own (a given name
            # scored "same" on some other writing of it): the cluster's
            # rules still refuse
            Link("amy", "abigail2", 16.0, same),
            Link("amy", "abi", 15.0, same),
        ]
    )
    assert c.find("abigail") == c.find("abi") == c.find("abigail2")
    assert c.find("amy") != c.find("abigail")


def test_a_strong_link_between_two_children_named_alike_is_held_for_a_person() -> None:
    def reasons(**levels: str) -> list[dict[str, Any]]:
        return [{"comparison": c, "level": lv, "weight": 1.0} for c, lv in levels.items()]

    girl = _row("a", 1, given="abigail", family="shelsard", is_child=1, sex="F")
    again = _row("b", 2, given="abigail", family="shelsard", is_child=1, sex="F")
    named = {"given_name": "same", "family_name": "same", "sex": "same"}
    aged = Link("a", "b", 12.0, reasons(**named, born="age agrees with date of birth"))
    assert clustering.held_apart(aged, girl, again) == clustering.HELD_AGED
    undated = Link("a", "b", 12.0, reasons(**named))
    assert clustering.held_apart(undated, girl, again) == clustering.HELD_UNDATED
    # ages apart, a given name that is not hers, a family name missing, too weak a
    # link, or two adults: nothing for a person to mend
    apart = Link("a", "b", 12.0, reasons(**named, born="within three years"))
    other = Link("a", "b", 12.0, reasons(**{**named, "given_name": "similar"}))
    first_only = Link("a", "b", 12.0, reasons(given_name="same", sex="same"))
    weak = Link("a", "b", clustering.model.THRESHOLD - 0.5, reasons(**named))
    for link in (apart, other, first_only, weak):
        assert clustering.held_apart(link, girl, again) is None
    adults = (
        _row("a", 1, given="sarah", family="holmes"),
        _row("b", 2, given="sarah", family="holmes"),
    )
    assert clustering.held_apart(undated, *adults) is None
