"""A few hand-shaped reports used by the demo until the simulated town lands."""

from __future__ import annotations

from typing import Any


def sample_reports() -> list[dict[str, Any]]:
    return [
        {
            "id": "INC-2011-0412",
            "agency": "syp",
            "agency_type": "police",
            "channel": "101",
            "received_at": "2011-04-12T22:40:00+01:00",
            "narrative": (
                "Caller reports a girl aged about 14 getting into a silver Vauxhall Astra "
                "YX51 KDA outside Star Pizza, Eastwood Road, at 22:15 with two adult males."
            ),
            "subjects": [{"ref": "c1", "role": "person-at-risk", "age": 14, "sex": "F"}],
            "vehicles": [
                {
                    "ref": "v1",
                    "vrm": "YX51KDA",
                    "make": "Vauxhall",
                    "model": "Astra",
                    "colour": "silver",
                }
            ],
            "locations": [
                {"ref": "l1", "name": "Star Pizza", "address": "Eastwood Road", "kind": "takeaway"}
            ],
        },
        {
            "id": "MFH-2011-0077",
            "agency": "syp",
            "agency_type": "police",
            "channel": "missing-return-interview",
            "received_at": "2011-04-14T09:10:00+01:00",
            "narrative": (
                "Return interview. Child returned after two nights missing. Says she stayed at a "
                "flat above a takeaway with a man she calls 'Mo', aged about 25, who gave her a new phone."
            ),
        },
        {
            "id": "SC-REF-1193",
            "agency": "rmbc-social-care",
            "agency_type": "social-care",
            "channel": "referral",
            "received_at": "2011-04-15T11:30:00+01:00",
            "reporter": {"role": "social worker"},
            "narrative": "School report the child is frequently absent and has been seen being collected by an older male in a silver car.",
        },
    ]
