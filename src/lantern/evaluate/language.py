"""Language flags: does Lantern flag the blaming phrases professionals wrote
in their own voice, and leave quoted speech alone?

Flags are matched to the truth's ``blaming_phrases`` by phrase text within
the same report (case-blind, each phrase occurrence matched at most once).
Every other flag is a false positive; those that flag a ``quoted_phrases``
entry are also counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from lantern.evaluate.align import Alignment, as_list, normal_text, report_key
from lantern.evaluate.clusters import prf


def _phrases(entries: Any) -> Counter[str]:
    return Counter(
        normal_text(e.get("phrase"))
        for e in as_list(entries)
        if isinstance(e, Mapping) and e.get("phrase")
    )


def score(aligned: Alignment) -> dict[str, Any]:
    flags = {
        report_key(e, "id"): _phrases(e.get("language_flags"))
        for e in as_list(aligned.export.get("reports"))
        if isinstance(e, Mapping)
    }
    if not any(flags.values()):
        return {"score": None, "note": "the export flags no language in any report"}
    tp = fp = fn = quoted = 0
    for report in aligned.reports:
        flagged = flags.get(report_key(report), Counter())
        blaming = _phrases(report.get("blaming_phrases"))
        hits = flagged & blaming
        wrong = flagged - blaming
        tp += hits.total()
        fn += (blaming - flagged).total()
        fp += wrong.total()
        quoted += (wrong & _phrases(report.get("quoted_phrases"))).total()
    return {
        **prf(tp, fp, fn).as_dict(),
        "blaming_phrases": tp + fn,
        "flags": tp + fp,
        "quoted_speech_flagged": quoted,
    }
