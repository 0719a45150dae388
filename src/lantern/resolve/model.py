"""The person model, declared: which comparisons, at which levels, with which
blocking rules. Splink reads this; nothing here is hand-coded scoring.

Each level carries a starting m probability (how often the level is seen when
two mentions are the same person). EM training replaces them where the data
allow; a comparison that EM cannot train (too few non-null pairs) keeps them.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from lantern.resolve.features import PUBLIC, STAFF, trades
from lantern.resolve.labels import LABELS

# Match weight at and above which two person mentions are joined, and the
# stricter one for a link that involves a child (better a child left split
# than two children merged).
THRESHOLD = 3.0
CHILD_THRESHOLD = 3.0
# Pairs scored below this weight are not kept at all.
KEEP_FLOOR = -2.0
# The review queue: pairs this close to the threshold, nearest first.
REVIEW_BAND = 6.0


# Conditions are written in SQL that DuckDB and Spark both read as written
# (array_contains, jaro_winkler_similarity, damerau_levenshtein; on Spark the
# last two are Splink's similarity functions, see linkage.open_backend).


def _level(sql: str, label: str, m: float, tf: str | None = None) -> ComparisonLevelCreator:
    level = cll.CustomLevel(sql, label_for_charts=label, base_dialect_str=None)
    if tf:  # a rare shared value counts for more than a common one
        return level.configure(m_probability=m, tf_adjustment_column=tf, tf_adjustment_weight=1.0)
    return level.configure(m_probability=m)


def _null(*columns: str) -> ComparisonLevelCreator:
    sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return cll.CustomLevel(sql, label_for_charts="missing", base_dialect_str=None).configure(
        is_null_level=True
    )


def _else(m: float) -> ComparisonLevelCreator:
    return cll.ElseLevel().configure(m_probability=m, label_for_charts="different")


_SWAPPED = (
    "jaro_winkler_similarity(given_l, family_r) >= 0.9 "
    "AND jaro_winkler_similarity(family_l, given_r) >= 0.9"
)


def given_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_description=LABELS["given_name"],
        comparison_levels=[
            _null("given"),
            _level("given_l = given_r", "same", 0.80, tf="given"),
            _level(
                "array_contains(given_variants_r, given_l) OR array_contains(given_variants_l, given_r)",
                "nickname or spelling variant",
                0.06,
            ),
            _level("jaro_winkler_similarity(given_l, given_r) >= 0.92", "nearly the same", 0.05),
            _level("given_mp_l = given_mp_r", "sounds the same", 0.03),
            _level("jaro_winkler_similarity(given_l, given_r) >= 0.80", "similar", 0.03),
            _level(_SWAPPED, "given and family swapped", 0.02),
            _else(0.02),
        ],
    )


def family_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="family_name",
        comparison_description=LABELS["family_name"],
        comparison_levels=[
            _null("family"),
            _level("family_l = family_r", "same", 0.82, tf="family"),
            _level("jaro_winkler_similarity(family_l, family_r) >= 0.92", "nearly the same", 0.07),
            _level("family_mp_l = family_mp_r", "sounds the same", 0.03),
            _level("jaro_winkler_similarity(family_l, family_r) >= 0.80", "similar", 0.03),
            _level(_SWAPPED, "given and family swapped", 0.02),
            _else(0.03),
        ],
    )


# Two dates of birth (ISO, "1990-07-14") one typo apart: Damerau-Levenshtein
# distance 1. A typo in a well-formed date changes the year, the month or the
# day and leaves the other two, so that is checked first (cheap) and the
# distance only where it holds: the same pairs, about 7% less scoring time.
# The day and month written the other way round ("1997-04-05" for
# "1997-05-04", a date read in the American order) is one slip too.
_ONE_TYPO_APART = (
    "((substr(dob_l, 1, 7) = substr(dob_r, 1, 7)"
    " OR substr(dob_l, 6, 5) = substr(dob_r, 6, 5)"
    " OR (substr(dob_l, 1, 5) = substr(dob_r, 1, 5) AND substr(dob_l, 9, 2) = substr(dob_r, 9, 2)))"
    " AND damerau_levenshtein(dob_l, dob_r) <= 1)"
    " OR (substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
    " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2))"
)


def born() -> cl.CustomComparison:
    """Date of birth, and age at the time of each report, in one comparison
    (they are one fact: when the person was born)."""
    return cl.CustomComparison(
        output_column_name="born",
        comparison_description=LABELS["born"],
        comparison_levels=[
            _null("born_lo"),
            _level("dob_l = dob_r", "same date of birth", 0.85),
            _level(_ONE_TYPO_APART, "date of birth one typo apart", 0.08),
            _level(
                "born_lo_l <= born_hi_r AND born_lo_r <= born_hi_l",
                "age agrees with date of birth",
                0.04,
            ),
            _level(
                "born_lo_l <= born_hi_r + 1100 AND born_lo_r <= born_hi_l + 1100",
                "within three years",
                0.02,
            ),
            _else(0.01),
        ],
    )


def sex() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description=LABELS["sex"],
        comparison_levels=[_null("sex"), _level("sex_l = sex_r", "same", 0.98), _else(0.02)],
    )


def address() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description=LABELS["address"],
        comparison_levels=[
            cll.CustomLevel(
                "(address_l IS NULL OR address_r IS NULL) AND (postcode_l IS NULL OR postcode_r IS NULL)",
                label_for_charts="missing",
                base_dialect_str=None,
            ).configure(is_null_level=True),
            _level("address_l = address_r", "same address", 0.6),
            _level(
                "jaro_winkler_similarity(address_l, address_r) >= 0.9",
                "nearly the same address",
                0.15,
            ),
            _level("postcode_l = postcode_r", "same postcode", 0.05),
            _level("jaro_winkler_similarity(address_l, address_r) >= 0.75", "similar address", 0.1),
            _else(0.1),
        ],
    )


def phone() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="phone",
        comparison_description=LABELS["phone"],
        comparison_levels=[
            _null("phone1"),
            cll.ArrayIntersectLevel("phones", min_intersection=1).configure(
                m_probability=0.7, label_for_charts="a phone in common"
            ),
            _else(0.3),
        ],
    )


def identifier() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="identifier",
        comparison_description=LABELS["identifier"],
        comparison_levels=[
            _null("identifier"),
            _level("identifier_l = identifier_r", "same identifier", 0.88),
            _level(
                "identifier_kind_l = identifier_kind_r AND damerau_levenshtein(identifier_l, identifier_r) <= 1",
                "same identifier but for one typo",
                0.08,
            ),
            _level("identifier_kind_l = identifier_kind_r", "different identifier", 0.02),
            _else(0.02),
        ],
    )


def company() -> cl.CustomComparison:
    """The company a mention keeps (``features._company``): a vehicle, a place
    or a phone the report ties it to, shared with the other mention."""
    return _in_common("company", "keeps the same company")


def named_with() -> cl.CustomComparison:
    """The members of the public a report names beside the mention
    (``features._named_with``: "reported missing by her mother Sarah Holmes"),
    shared with the other mention. Weaker than objects in common: two boys
    called Wayne Hall, born a week apart, can each have a mother called Laura
    Hall; it is not evidence enough to join children (see clustering)."""
    return _in_common("named_with", "named beside the same person")


def _in_common(column: str, label: str) -> cl.CustomComparison:
    """Evidence from lists in common. Having nothing in common says nothing: a
    person is seen with different people, places and cars in different
    reports (that level is fixed at weight 0)."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=LABELS[column],
        comparison_levels=[
            cll.CustomLevel(
                f"{column}_l IS NULL OR {column}_r IS NULL",
                label_for_charts="missing",
                base_dialect_str=None,
            ).configure(is_null_level=True),
            cll.ArrayIntersectLevel(column, min_intersection=1).configure(
                m_probability=0.6, label_for_charts=label
            ),
            cll.ElseLevel().configure(
                m_probability=0.5,
                u_probability=0.5,
                fix_m_probability=True,
                fix_u_probability=True,
                label_for_charts="nothing in common",
            ),
        ],
    )


def occupation() -> cl.CustomComparison:
    """In what capacity each mention's person appears (``features.occupation``).
    The youth worker who writes report after report is one person; an
    agency's staff are seldom also the public a report is about ("Richard
    Haigh", a caller, is not "Richard Haigh", the youth worker). Someone in a
    trade (the takeaway's owner, the hotel's night manager) is one of the
    public as well. No information when either mention does not say, or
    neither is staff and they do not share a trade.

    The m probabilities are fixed, not left to EM: in a town where the same
    full name is common, EM's "matches" among same-named pairs include staff
    and members of the public alike, and it learns that a youth worker is as
    often a suspect as another youth worker. u is still estimated."""
    staff_l, staff_r = _staff_sql("occupation_l"), _staff_sql("occupation_r")
    return cl.CustomComparison(
        output_column_name="occupation",
        comparison_description=LABELS["occupation"],
        comparison_levels=[
            cll.CustomLevel(
                "occupation_l IS NULL OR occupation_r IS NULL"
                f" OR (occupation_l = '{PUBLIC}' AND occupation_r = '{PUBLIC}')"
                f" OR (NOT {staff_l} AND NOT {staff_r} AND occupation_l <> occupation_r)",
                label_for_charts="missing",
                base_dialect_str=None,
            ).configure(is_null_level=True),
            _fixed(f"occupation_l = occupation_r AND occupation_l <> '{STAFF}'", "same job", 0.75),
            _fixed(f"{staff_l} AND {staff_r}", "both staff, job differs or unknown", 0.22),
            cll.ElseLevel().configure(
                m_probability=0.03,
                fix_m_probability=True,
                label_for_charts="one staff, the other the public",
            ),
        ],
    )


def _staff_sql(column: str) -> str:
    """SQL: the (non-null) occupation in ``column`` is an agency's staff
    (``features.is_staff``)."""
    public = ", ".join("'" + job.replace("'", "''") + "'" for job in sorted({PUBLIC, *trades()}))
    return f"{column} NOT IN ({public})"


def _fixed(sql: str, label: str, m: float) -> ComparisonLevelCreator:
    """A level whose m probability is set here and kept through training."""
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str=None).configure(
        m_probability=m, fix_m_probability=True
    )


def same_report() -> cl.CustomComparison:
    """Two mentions in one report (the narrative and a structured subject, or
    "Mo" and "Mohammed Khan" a line apart) are likely one person when their
    names agree; subjects with different names never are (see clustering)."""
    return cl.CustomComparison(
        output_column_name="report",
        comparison_description=LABELS["report"],
        comparison_levels=[
            _null("report_pk"),
            _level("report_pk_l = report_pk_r", "same report", 0.2),
            _else(0.8),
        ],
    )


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    return [
        given_name(),
        family_name(),
        born(),
        sex(),
        address(),
        phone(),
        identifier(),
        company(),
        named_with(),
        occupation(),
        same_report(),
    ]


def blocking_rules(dialect: str = "duckdb") -> list[Any]:
    """Which pairs are scored at all: any pair sharing one of these (written
    for the engine's SQL ``dialect``: "duckdb" or "spark")."""
    overlap = "arrays_overlap" if dialect == "spark" else "list_has_any"
    more = (
        "l.born_lo <= r.born_hi AND r.born_lo <= l.born_hi"
        f" OR {overlap}(l.company, r.company) OR {overlap}(l.named_with, r.named_with)"
        f" OR (l.occupation = r.occupation AND l.occupation <> '{PUBLIC}')"
    )
    return [
        block_on("family_mp", "given_initial"),
        # names that sound the same, first letters apart ("Kourtney Brown",
        # "Courtney Brown")
        block_on("family_mp", "given_mp"),
        # the same given name, family names alike at the start or at the end
        # (a typo is caught by the other half; the family's initial alone
        # made blocks of thousands at 1,000,000 mentions: docs/resolution.md)
        "l.given_key = r.given_key AND substr(l.family, 1, 2) = substr(r.family, 1, 2)",
        "l.given_key = r.given_key AND right(l.family, 3) = right(r.family, 3)",
        block_on("given_key", "dob"),
        block_on("dob", "family_initial"),
        # given and family names written the other way round
        "l.dob = r.dob AND l.given_initial = r.family_initial",
        "l.given = r.family AND l.family = r.given",
        block_on("identifier"),
        block_on("phone1"),
        block_on("address"),
        block_on("postcode", "given_initial"),
        block_on("report_pk"),
        # a first-name-only mention ("Mo") against the others of that given
        # name that share something more: an age that agrees, company or
        # people named beside, the same job (a pair sharing a date of birth,
        # identifier, phone, address or report is in a rule above). A rare
        # first name alone is not enough (docs/resolution.md). Written as two
        # rules, the first-name-only mention on the left and then on the
        # right, so the engine joins only those mentions to the others of
        # their given name: "l.family IS NULL OR r.family IS NULL" in one rule
        # joins every pair of one given name first and filters after (at
        # 250,000 mentions, 38% of all scoring time; the same pairs either way).
        *(
            f"l.given_key = r.given_key AND {side}.family IS NULL AND ({more})"
            for side in ("l", "r")
        ),
    ]


# Rules under which two mentions are taken as the same person when estimating
# how likely two random mentions are to match, and how many such pairs EM sees.
DETERMINISTIC_RULES = (
    "l.identifier = r.identifier",
    "l.given = r.given AND l.family = r.family",
    "l.family = r.family AND l.dob = r.dob",
)
DETERMINISTIC_RECALL = 0.6
# Bounds on the chance that two random mentions are one person.
MIN_PRIOR = 1e-7
MAX_PRIOR = 1e-2
# The blocks EM is trained on, by their columns: two mentions alike on every
# column of a block are a pair it learns from.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (("dob",), ("given", "family"), ("address",))
# The most pairs one EM session reads. A block with more (at 1,000,000
# mentions the date-of-birth block has 5 million pairs: it grows with the
# square of a force's size) is sampled: a pair is kept by a hash of its two
# mention ids, one in ``keep_one_in``, whatever the pair's levels. A random
# share of a block's pairs estimates the same m probabilities, with a little
# more noise; the towns and FEBRL are far below the bound.
EM_MAX_PAIRS = 1_000_000


def training_block(columns: tuple[str, ...], keep_one_in: int = 1, dialect: str = "duckdb") -> Any:
    """The blocking rule of one EM session: the block on ``columns``, every
    pair of it or (``keep_one_in`` > 1) a sample of them fixed by the two
    mention ids, written for the engine's SQL ``dialect``."""
    if keep_one_in <= 1:
        return block_on(*columns)
    alike = " AND ".join(f"l.{c} = r.{c}" for c in columns)
    key = "hash(concat(l.unique_id, '|', r.unique_id))"
    kept = f"pmod({key}, {keep_one_in})" if dialect == "spark" else f"{key} % {keep_one_in}"
    return f"{alike} AND {kept} = 0"


def settings(
    probability_two_random_records_match: float = 1e-4, dialect: str = "duckdb"
) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(dialect),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
    )
