"""Home: what needs attention now — open alerts, overdue or unowned actions,
recording clocks running down. A partner's home is their referrals."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from lantern.store.findings.network import alerts
from lantern.tasking.queries import list_actions
from lantern.web.pages import access
from lantern.web.pages.alerts import alerts_page
from lantern.web.pages.recording import pending_count, queue_page
from lantern.web.pages.rendering import PageRoutes, Viewer, engine_of, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

SHOWN = 6


@pages.get("/", "signed-in", response_model=None)
def home_page(request: Request, user: Viewer) -> Response:
    if not access.allows(user, "action.read"):
        return RedirectResponse("/referrals", status_code=303)
    with engine_of(request).connect() as conn:
        open_alerts = int(
            conn.execute(
                select(func.count()).select_from(alerts).where(alerts.c.status == "open")
            ).scalar()
            or 0
        )
        attention_total, attention = list_actions(conn, needs_attention=True, limit=SHOWN)
        mine_total, mine = list_actions(conn, owner=user.username, status="allocated", limit=SHOWN)
        context = {
            "open_alerts": open_alerts,
            "alerts": alerts_page(conn, "open", "", 0, SHOWN).items,
            "attention_total": attention_total,
            "attention": attention,
            "mine_total": mine_total,
            "mine": mine,
            "clocks": queue_page(conn, user, "pending", 0, SHOWN).items,
            "pending": pending_count(conn, user),
        }
    return render(request, "home.html", context, user=user)
