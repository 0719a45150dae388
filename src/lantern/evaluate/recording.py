"""Recording: did Lantern say "record this crime" for every report that
discloses one, and name the right offences?

The system says "must record" for a report when its recording decision is
``crime`` or it proposes at least one offence (a pending decision with
offences is a proposal to record). A report missing from the export counts as
not recorded. Offence accuracy is the share of reports that must be recorded
whose set of ``act_section`` values the export's offences match exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lantern.evaluate.align import Alignment, as_list, report_key
from lantern.evaluate.clusters import prf


def says_record(entry: Mapping[str, Any]) -> bool:
    recording = entry.get("recording")
    if not isinstance(recording, Mapping):
        return False
    return recording.get("decision") == "crime" or bool(as_list(recording.get("offences")))


def _sections(offences: Any) -> set[str]:
    return {
        str(o["act_section"])
        for o in as_list(offences)
        if isinstance(o, Mapping) and o.get("act_section")
    }


def _decided(entry: Mapping[str, Any]) -> bool:
    recording = entry.get("recording")
    return isinstance(recording, Mapping) and (
        recording.get("decision") not in (None, "pending") or bool(recording.get("offences"))
    )


def score(aligned: Alignment) -> dict[str, Any]:
    exported = {
        report_key(e, "id"): e
        for e in as_list(aligned.export.get("reports"))
        if isinstance(e, Mapping)
    }
    if not any(_decided(e) for e in exported.values()):
        return {
            "score": None,
            "note": "the export holds no recording decision or proposed offence",
        }
    tp = fp = fn = exact = must = 0
    for report in aligned.reports:
        entry = exported.get(report_key(report), {})
        truly = bool(report.get("must_record"))
        claimed = says_record(entry)
        tp += truly and claimed
        fp += claimed and not truly
        fn += truly and not claimed
        if truly:
            must += 1
            recording = entry.get("recording")
            offences = recording.get("offences") if isinstance(recording, Mapping) else None
            exact += _sections(offences) == _sections(report.get("offences"))
    return {
        **prf(tp, fp, fn).as_dict(),
        "offence_accuracy": round(exact / must, 4) if must else None,
        "must_record": must,
        "recorded_correctly": tp,
        "recorded_wrongly": fp,
        "missed": fn,
    }
