"""The live language helper: as an author types a referral or a concern, the
words that place responsibility on a child are shown with wording to use
instead (``lantern.victimfirst.language.check_text``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse

from lantern.victimfirst.language import Flag, check_text
from lantern.web.pages.rendering import PageRoutes, Visitor, render

pages = PageRoutes()
router = pages.router
ACCESS = pages.access

MAX_CHECKED = 20_000  # characters checked as one types


def flags_for(text: str) -> list[Flag]:
    return check_text(text[:MAX_CHECKED]) if text.strip() else []


@pages.post("/language-check", "public")
def language_check(
    request: Request,
    user: Visitor,
    narrative: Annotated[str, Form(max_length=1_000_000)] = "",
) -> HTMLResponse:
    """The flags for the text so far, as a fragment the form shows beside it."""
    return render(
        request, "partials/language_flags.html", {"flags": flags_for(narrative)}, user=user
    )
