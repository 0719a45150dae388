"""Plain types of Lantern's domain. No I/O here: every other package builds on these."""

from lantern.domain.actions import Action, ActionStatus
from lantern.domain.decisions import Decision, DecisionKind
from lantern.domain.grading import Grading
from lantern.domain.mentions import (
    DateMention,
    Disclosure,
    Extraction,
    Indicator,
    LocationMention,
    PersonMention,
    PhoneMention,
    Span,
    StatedLink,
    VehicleMention,
)
from lantern.domain.report import AGENCY_TYPES, SUBJECT_ROLES, Report

__all__ = [
    "AGENCY_TYPES",
    "SUBJECT_ROLES",
    "Action",
    "ActionStatus",
    "DateMention",
    "Decision",
    "DecisionKind",
    "Disclosure",
    "Extraction",
    "Grading",
    "Indicator",
    "LocationMention",
    "PersonMention",
    "PhoneMention",
    "Report",
    "Span",
    "StatedLink",
    "VehicleMention",
]
