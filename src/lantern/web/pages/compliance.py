"""The compliance dashboard: of the reports that disclosed a crime, how many
were recorded, classified right and decided within 24 hours — overall, month
by month (charts over time) and by agency — from the recording audit
(``lantern.recording.compliance``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from lantern import clock
from lantern.recording.compliance import AuditedReport, Rates, rates_of, run_audit
from lantern.web.pages.rendering import PageRoutes, Viewer, engine_of, render
from lantern.web.pages.svg import line_chart

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

UNRECORDED_SHOWN = 50


def by_month(items: list[AuditedReport]) -> list[tuple[str, Rates]]:
    months: dict[str, list[AuditedReport]] = defaultdict(list)
    for item in items:
        months[item.received_at.strftime("%Y-%m")].append(item)
    return [(month, rates_of(found)) for month, found in sorted(months.items())]


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=f"{text!r} is not a date") from exc


@pages.get("/compliance", "search")
def compliance_page(
    request: Request, user: Viewer, period_from: str = "", period_to: str = ""
) -> HTMLResponse:
    audit = run_audit(
        engine_of(request),
        period_from=_date(period_from),
        period_to=_date(period_to),
        as_of=clock.now(),
    )
    months = by_month(audit.reports)
    labels = [m for m, _ in months]
    chart = line_chart(
        labels,
        {
            "recorded": ("line-recorded", [r.recorded.value for _, r in months]),
            "decided within 24 hours": ("line-24h", [r.within_24h.value for _, r in months]),
            "classified right": ("line-classified", [r.classified_right.value for _, r in months]),
        },
        bars=[r.recorded.n for _, r in months],
    )
    return render(
        request,
        "compliance.html",
        {
            "audit": audit,
            "months": months,
            "chart": chart,
            "unrecorded": audit.unrecorded[:UNRECORDED_SHOWN],
            "period_from": period_from,
            "period_to": period_to,
        },
        user=user,
    )
