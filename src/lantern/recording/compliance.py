"""The crime-recording compliance audit, in the manner of an HMICFRS crime data
integrity inspection: for every report in a period that disclosed a crime,
was it recorded, was it classified right, was the decision made within 24
hours; rates with 95% confidence intervals (Wilson score), broken down by
agency, channel and decision-maker; and the list of those not recorded.

"Disclosed a crime" is Lantern's proposal (a crime proposed from the report's
disclosures) or a person's record-crime decision. "Classified right" compares
the Acts and sections recorded with those proposed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from lantern.recording.catalogue import load
from lantern.recording.deadline import RECORDING_WINDOW
from lantern.recording.decisions import decisions_for, recording_state, report_subject
from lantern.store.findings.recording import recording_proposals
from lantern.store.schema import reports

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Rate:
    """k of n, with a 95% Wilson score interval."""

    k: int
    n: int

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.k, self.n)

    def to_dict(self) -> dict[str, Any]:
        low_high = self.interval
        return {
            "k": self.k,
            "n": self.n,
            "rate": self.value,
            "ci95": list(low_high) if low_high else None,
        }

    def __str__(self) -> str:
        if not self.n:
            return "n/a (none)"
        low, high = self.interval or (0.0, 0.0)
        return f"{self.value:.1%} ({self.k}/{self.n}; 95% CI {low:.1%}-{high:.1%})"


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for k successes in n trials."""
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class AuditedReport:
    agency: str
    report_id: str
    received_at: datetime
    channel: str | None
    decision: str
    decided_by: str | None
    recorded: bool
    classified_right: bool | None  # None where not recorded
    within_24h: bool
    proposed: list[str]
    recorded_as: list[str]

    @property
    def link(self) -> str:
        return f"/reports/{self.agency}/{self.report_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "report_id": self.report_id,
            "received_at": self.received_at.isoformat(),
            "channel": self.channel,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "recorded": self.recorded,
            "classified_right": self.classified_right,
            "within_24h": self.within_24h,
            "proposed": self.proposed,
            "recorded_as": self.recorded_as,
            "link": self.link,
        }


@dataclass(frozen=True, slots=True)
class Rates:
    recorded: Rate
    classified_right: Rate
    within_24h: Rate

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorded": self.recorded.to_dict(),
            "classified_right": self.classified_right.to_dict(),
            "within_24h": self.within_24h.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ComplianceAudit:
    period_from: date | None
    period_to: date | None
    as_of: datetime
    edition: str
    reports: list[AuditedReport]
    overall: Rates
    by: dict[str, dict[str, Rates]] = field(default_factory=dict)

    @property
    def unrecorded(self) -> list[AuditedReport]:
        return [r for r in self.reports if not r.recorded]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {
                "from": self.period_from.isoformat() if self.period_from else None,
                "to": self.period_to.isoformat() if self.period_to else None,
            },
            "as_of": self.as_of.isoformat(),
            "counting_rules": self.edition,
            "reports_disclosing_a_crime": len(self.reports),
            "overall": self.overall.to_dict(),
            "by": {
                dim: {key: rates.to_dict() for key, rates in groups.items()}
                for dim, groups in self.by.items()
            },
            "unrecorded": [r.to_dict() for r in self.unrecorded],
        }


def rates_of(items: list[AuditedReport]) -> Rates:
    recorded = [r for r in items if r.recorded]
    return Rates(
        recorded=Rate(len(recorded), len(items)),
        classified_right=Rate(sum(1 for r in recorded if r.classified_right), len(recorded)),
        within_24h=Rate(sum(1 for r in items if r.within_24h), len(items)),
    )


def run_audit(
    engine: Engine,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    as_of: datetime,
) -> ComplianceAudit:
    """Audits every report received in the period (``period_to`` inclusive)
    that disclosed a crime, as things stood at ``as_of``."""
    catalogue = load()
    query = (
        select(
            reports.c.agency,
            reports.c.report_id,
            reports.c.received_at,
            reports.c.channel,
            recording_proposals.c.deadline,
            recording_proposals.c.proposal,
        )
        .select_from(reports)
        .outerjoin(recording_proposals, recording_proposals.c.report_pk == reports.c.pk)
        .where(reports.c.received_at <= as_of)
        .order_by(reports.c.received_at, reports.c.pk)
    )
    if period_from:
        query = query.where(reports.c.received_at >= datetime.combine(period_from, time(), UTC))
    if period_to:
        end = datetime.combine(period_to + timedelta(days=1), time(), UTC)
        query = query.where(reports.c.received_at < end)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        history = decisions_for(conn, until=as_of)
    audited = []
    for row in rows:
        subject = report_subject(row.agency, row.report_id)
        decisions = history.get(subject, [])
        proposal = row.proposal or {"crimes": []}
        ever_recorded = any(d.kind.value == "record-crime" for d in decisions)
        if not proposal["crimes"] and not ever_recorded:
            continue
        state = recording_state(decisions)
        due = row.deadline or row.received_at + RECORDING_WINDOW
        proposed = sorted({c["offence"]["act_section"] for c in proposal["crimes"]})
        recorded_as = sorted({catalogue.offences[o].act_section for o in state.offences})
        recorded = state.decision == "crime"
        audited.append(
            AuditedReport(
                agency=row.agency,
                report_id=row.report_id,
                received_at=row.received_at,
                channel=row.channel,
                decision=state.decision,
                decided_by=state.first_decided_by,
                recorded=recorded,
                classified_right=(recorded_as == proposed) if recorded else None,
                within_24h=state.first_decided_at is not None and state.first_decided_at <= due,
                proposed=proposed,
                recorded_as=recorded_as,
            )
        )
    groups: dict[str, dict[str, list[AuditedReport]]] = {
        "agency": defaultdict(list),
        "channel": defaultdict(list),
        "decision_maker": defaultdict(list),
    }
    for item in audited:
        groups["agency"][item.agency].append(item)
        groups["channel"][item.channel or "(none)"].append(item)
        groups["decision_maker"][item.decided_by or "(no decision)"].append(item)
    return ComplianceAudit(
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        edition=catalogue.edition,
        reports=audited,
        overall=rates_of(audited),
        by={
            dim: {key: rates_of(items) for key, items in sorted(found.items())}
            for dim, found in groups.items()
        },
    )
