"""Person resolution: are the mentions of one real person joined into one
resolved person, and only theirs?

Scored over the truth's mentions in scope. A mention the export does not hold
stands alone (its own cluster), so missing mentions cost recall; the export's
mentions that match no truth mention are counted but not scored. How
mentions are matched is in ``align``.
"""

from __future__ import annotations

from typing import Any

from lantern.evaluate.align import Alignment, as_list
from lantern.evaluate.clusters import bcubed, pairwise


def score(aligned: Alignment) -> dict[str, Any]:
    if not as_list(aligned.export.get("people")):
        return {"pairwise": None, "bcubed": None, "note": "the export holds no people"}
    truth = {i: m.person_id for i, m in enumerate(aligned.mentions)}
    system = {
        i: ("system", found) if found is not None else ("alone", i)
        for i, found in enumerate(aligned.system_person)
    }
    matched = sum(found is not None for found in aligned.system_person)
    return {
        "pairwise": pairwise(truth, system).as_dict(),
        "bcubed": bcubed(truth, system).as_dict(),
        "mentions": len(aligned.mentions),
        "mentions_found": matched,
        "mentions_found_loosely": aligned.loose_matches,
        "mention_recall": round(matched / len(aligned.mentions), 4) if aligned.mentions else None,
        "unmatched_system_mentions": aligned.extra_system_mentions,
    }
