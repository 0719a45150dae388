"""The victim-first stage of ``lantern analyse``: checks the language of every
new or revised report (flags stored per report), then looks for people known
as victims or children at risk who are now recorded as suspects, raising a
``survival-crime-review`` alert and an action for a supervisor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from lantern import clock
from lantern.domain import DecisionKind, Extraction
from lantern.recording import alerts as alert_store
from lantern.store.findings import findings_state
from lantern.store.findings.extraction import extractions, iter_extractions
from lantern.store.findings.resolution import entity_mentions
from lantern.store.findings.victimfirst import language_flags
from lantern.store.schema import decisions, report_revisions, reports
from lantern.victimfirst.language import Context, check_text
from lantern.victimfirst.survival import Review, appearances, find_reviews

BATCH = 500
KIND = "survival-crime-review"
STAGE = "victimfirst"
_STATE_KEY = "victimfirst.survival"
AT_RISK_ROLES = ("victim", "person-at-risk", "missing-person")


def context_of(extraction: Extraction | None) -> Context | None:
    """What extraction knows about the people a report concerns; None where
    there is no extraction (the text alone is then read)."""
    if extraction is None:
        return None
    ages = [p.age for p in extraction.people if p.age is not None and p.age < 18]
    ages += [d.child_age for d in extraction.disclosures if d.child_age is not None]
    adults = any(p.age is not None and p.age >= 18 for p in extraction.people)
    adults |= any(p.role == "suspect" for p in extraction.people)
    adults |= any((d.offender_age or 0) >= 18 for d in extraction.disclosures)
    about_child = bool(ages) or bool(extraction.disclosures) or bool(extraction.indicators)
    about_child |= any(p.role in AT_RISK_ROLES for p in extraction.people)
    return Context(
        child_ages=tuple(ages) if ages else None,
        about_child=True if about_child else None,
        adult_involved=True if adults else None,
    )


def _check_language(engine: Engine, full: bool) -> int:
    with engine.connect() as conn:
        current = {pk: rev for pk, rev in conn.execute(select(reports.c.pk, reports.c.revisions))}
        extracted = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(extractions.c.report_pk, extractions.c.revision, extractions.c.extractor)
            )
        }
        done = {
            pk: (rev, ex)
            for pk, rev, ex in conn.execute(
                select(
                    language_flags.c.report_pk,
                    language_flags.c.revision,
                    language_flags.c.extractor,
                )
            )
        }

    def version(pk: int) -> tuple[int, str]:
        rev, ex = extracted.get(pk, (None, ""))
        return current[pk], ex if rev == current[pk] else ""

    todo = sorted(pk for pk in current if full or done.get(pk) != version(pk))
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        with engine.begin() as conn:
            found = {pk: ex for pk, ex in iter_extractions(conn, chunk)}
            rows = []
            for pk, agency, report_id, revision, body in conn.execute(
                select(
                    reports.c.pk,
                    reports.c.agency,
                    reports.c.report_id,
                    report_revisions.c.revision,
                    report_revisions.c.body,
                )
                .join(
                    report_revisions,
                    (report_revisions.c.report_pk == reports.c.pk)
                    & (report_revisions.c.revision == reports.c.revisions),
                )
                .where(reports.c.pk.in_(chunk))
            ):
                extraction = found.get(pk)
                if extraction is not None and extraction.revision != revision:
                    extraction = None
                flags = check_text(body.get("narrative") or "", context_of(extraction))
                rows.append(
                    {
                        "report_pk": pk,
                        "agency": agency,
                        "report_id": report_id,
                        "revision": revision,
                        "extractor": extraction.extractor if extraction else "",
                        "flags": [f.to_dict() for f in flags],
                    }
                )
            conn.execute(delete(language_flags).where(language_flags.c.report_pk.in_(chunk)))
            if rows:
                conn.execute(language_flags.insert(), rows)
    return len(todo)


def _fingerprint(conn: Connection) -> str:
    ext = conn.execute(select(func.count(), func.max(extractions.c.report_pk))).one()
    res = conn.execute(select(func.count()).select_from(entity_mentions)).scalar()
    rev = conn.execute(select(func.sum(reports.c.revisions))).scalar()
    return f"{ext[0]}:{ext[1]}:{res}:{rev}"


def _reviews(conn: Connection) -> list[Review]:
    received = dict(conn.execute(select(reports.c.pk, reports.c.received_at)).all())
    people = []
    for pk, extraction in iter_extractions(conn):
        if pk in received:
            people.extend(appearances(extraction, received[pk]))
    entity_of = dict(
        conn.execute(
            select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                entity_mentions.c.kind == "person"
            )
        ).all()
    )
    return find_reviews(people, entity_of)


def _raise(conn: Connection, review: Review, known: dict[str, str], reviewed: set[str]) -> bool:
    """Raises (or brings up to date) the review of one suspect in one report.
    The alert is keyed by the report and the first report that knew them as a
    victim, so matching by name first and by resolved entity later finds the
    same alert."""
    from lantern.tasking.actions import raise_action

    suspect = review.suspect
    where = f"{suspect.agency}/{suspect.report_id}"
    first = review.history[0]
    alert_id = alert_store.key(KIND, [where, f"{first.agency}/{first.report_id}"])
    reasons = [
        f"recorded as a suspect in {where} ({suspect.received_at.date()})",
        *(
            f"known as {a.role} in {a.agency}/{a.report_id} ({a.received_at.date()})"
            for a in review.history
        ),
        "a child exploited by adults may have been compelled to offend "
        "(Modern Slavery Act 2015 s45): a supervisor must review this decision",
    ]
    subjects = [review.entity or suspect.mention_id, where]
    reports = [where, *dict.fromkeys(f"{a.agency}/{a.report_id}" for a in review.history)]
    detail = {"history": [a.to_dict() for a in review.history]}
    if alert_id in known:
        alert_store.refresh(
            conn, alert_id, subjects=subjects, reasons=reasons, reports=reports, detail=detail
        )
        return False
    known[alert_id] = "open"
    status = "reviewed" if f"alert:{alert_id}" in reviewed else "open"
    action_id = None
    if status == "open":
        action_id = raise_action(
            conn,
            title=f"Supervisor review: suspect in {where} is known as a victim or child at risk",
            source=f"alert:{alert_id}",
            actor="system",
            priority="high",
            due=clock.now() + timedelta(days=3),
            detail={"alert_id": alert_id},
        )
    alert_store.add(
        conn,
        alert_id=alert_id,
        kind=KIND,
        stage=STAGE,
        raised_at=suspect.received_at,
        subjects=subjects,
        reasons=reasons,
        reports=reports,
        status=status,
        action_id=action_id,
        detail=detail,
    )
    return True


def _reviewed(conn: Connection) -> set[str]:
    return set(
        conn.execute(
            select(decisions.c.subject).where(
                decisions.c.kind == DecisionKind.SURVIVAL_REVIEW.value
            )
        ).scalars()
    )


def _check_survival(engine: Engine, full: bool) -> tuple[int, int]:
    with engine.begin() as conn:
        reviewed = _reviewed(conn)
        known = alert_store.statuses(conn, KIND)
        for alert_id, status in known.items():
            if status == "open" and f"alert:{alert_id}" in reviewed:
                alert_store.set_status(conn, alert_id, "reviewed")
        fingerprint = _fingerprint(conn)
        stored = conn.execute(
            select(findings_state.c.value).where(findings_state.c.key == _STATE_KEY)
        ).scalar()
        if stored == fingerprint and not full:
            return 0, 0
        reviews = _reviews(conn)
        raised = sum(1 for review in reviews if _raise(conn, review, known, reviewed))
        conn.execute(delete(findings_state).where(findings_state.c.key == _STATE_KEY))
        conn.execute(findings_state.insert().values(key=_STATE_KEY, value=fingerprint))
    return len(reviews), raised


def run(engine: Engine, *, full: bool = False) -> str:
    checked = _check_language(engine, full)
    found, raised = _check_survival(engine, full)
    return (
        f"{checked} reports' language checked; {found} suspects known as victims, "
        f"{raised} survival-crime reviews raised"
    )


def flags_by_report(conn: Connection) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Stored language flags by (agency, report id)."""
    return {
        (agency, report_id): flags
        for agency, report_id, flags in conn.execute(
            select(language_flags.c.agency, language_flags.c.report_id, language_flags.c.flags)
        )
    }
