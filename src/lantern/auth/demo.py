"""Demo agencies and users, one per role, each with a generated password that
is returned once (to be printed once) and never stored in the clear."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from lantern.auth.accounts import add_agency, add_user, get_user
from lantern.auth.passwords import generate_password

DEMO_AGENCIES = (
    # code, name, type, host
    ("syp", "South Yorkshire Police", "police", True),
    ("rmbc-social-care", "Rotherham Children's Social Care", "social-care", False),
    ("youth-project", "Risky Business Youth Project", "voluntary", False),
    ("isva-service", "Independent Sexual Violence Advisers", "voluntary", False),
    ("inspectorate", "HM Inspectorate", "public", False),
    ("public", "Members of the public", "public", False),
)

DEMO_USERS = (
    # username, display name, agency, role, supervisor
    ("sam.supervisor", "DS Sam Hale", "syp", "supervisor", None),
    ("ana.analyst", "Ana Patel (analyst)", "syp", "analyst", "sam.supervisor"),
    ("ian.investigator", "DC Ian Moss", "syp", "investigator", "sam.supervisor"),
    ("rita.referrer", "Rita Shah (social worker)", "rmbc-social-care", "referrer", None),
    ("yusuf.youthworker", "Yusuf Ali (youth worker)", "youth-project", "referrer", None),
    ("ada.adviser", "Ada Green (ISVA)", "isva-service", "adviser", None),
    ("aud.auditor", "Aud Reed (inspector)", "inspectorate", "auditor", None),
    ("adm.admin", "System administrator", "syp", "admin", None),
)


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str
    agency: str
    password: str | None  # None: the user already existed; its password is unchanged


def create_demo_users(engine: Engine, *, actor: str = "demo") -> list[DemoUser]:
    """Adds the demo agencies and users that are missing; returns each user
    with its new password (shown once; only the argon2 hash is kept)."""
    created = []
    with engine.begin() as conn:
        for code, name, agency_type, host in DEMO_AGENCIES:
            add_agency(conn, code, name, agency_type=agency_type, host=host, actor=actor)
        for username, display, agency, role, supervisor in DEMO_USERS:
            if get_user(conn, username) is not None:
                created.append(DemoUser(username, role, agency, None))
                continue
            password = generate_password()
            add_user(
                conn,
                username=username,
                password=password,
                agency=agency,
                role=role,
                display_name=display,
                supervisor=supervisor,
                actor=actor,
            )
            created.append(DemoUser(username, role, agency, password))
    return created
