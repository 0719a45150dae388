"""``generate_town``: the whole simulated town, written as reports and truth.

Builds the world, writes every story (groups, lone offenders, teenage
relationships, routine reports), adds duplicates, sorts by time received, gives
each report its agency's id, and writes ``reports.jsonl`` and ``truth.json``.
Same seed and size: byte-identical files.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from lantern.sim.casework import consensual_teenagers, lone_offender_cases
from lantern.sim.exploitation import GroupStory
from lantern.sim.narrative import Draft
from lantern.sim.routine import routine_reports
from lantern.sim.scene import POLICE, Scene
from lantern.sim.truth import truth_document
from lantern.sim.vocab import load
from lantern.sim.world import build_world

SIZES = ("small", "medium", "large")
RESEND_NOTES = (
    "",
    " Resent with updated contact details.",
    " (Resent: original email may not have arrived.)",
)


def generate_town(seed: int, size: str, out_dir: Path) -> tuple[Path, Path]:
    """Write ``out_dir/reports.jsonl`` and ``out_dir/truth.json``; return both paths."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    rng = random.Random(seed)
    world = build_world(rng, size)
    scene = Scene(rng, world)
    target = load("town")["sizes"][size]["reports"]

    drafts: list[Draft] = []
    for group in world.groups:
        drafts += GroupStory(scene, group).write()
    drafts += lone_offender_cases(scene)
    drafts += consensual_teenagers(scene, max(3, target // 300))
    drafts += _duplicates(rng, drafts, rate=0.08)
    routine = routine_reports(scene, max(0, target - len(drafts)))
    routine += _duplicates(rng, routine, rate=0.01)
    drafts += routine[: max(0, target - len(drafts))]

    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].received_at, i))
    drafts = [drafts[i] for i in order]
    _give_ids(drafts)

    out_dir.mkdir(parents=True, exist_ok=True)
    reports_path = out_dir / "reports.jsonl"
    truth_path = out_dir / "truth.json"
    echoes = {id(d) for d in rng.sample(drafts, max(1, len(drafts) // 200))}
    with reports_path.open("w", encoding="utf-8") as handle:
        for d in drafts:
            line = json.dumps(body_of(d), sort_keys=True, ensure_ascii=False) + "\n"
            handle.write(line)
            if id(d) in echoes:  # the same line sent twice: ingest must take it once
                handle.write(line)
    truth = truth_document(seed, size, world, drafts)
    truth_path.write_text(
        json.dumps(truth, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return reports_path, truth_path


def _duplicates(rng: random.Random, drafts: list[Draft], rate: float) -> list[Draft]:
    """Re-sends (same agency, new reference, same or slightly changed text) and
    partner reports re-logged by the police as a third-party report, of about
    ``rate`` of ``drafts``."""
    copies: list[Draft] = []
    for d in drafts:
        if rng.random() > rate:
            continue
        twin = copy.copy(d)
        _copy_lists(twin, d)
        twin.duplicate_of = d
        if d.agency.code != POLICE.code and not d.blaming and rng.random() < 0.6:
            twin.duplicate_kind = "same-incident"
            twin.agency = POLICE
            twin.kind = "police-incident"
            source = "a member of the public" if d.agency.code == "public" else d.agency.code
            prefix = f"Third-party report received from {source}. Their account: "
            _shift(twin, len(prefix))
            twin.parts = [prefix, *d.parts]
            twin.pos = d.pos + len(prefix)
            twin.reporter = dict(d.reporter) if d.reporter else None
            twin.channel = "third-party"
            twin.survival = []
        else:
            twin.duplicate_kind = "resend"
            twin.parts = [*d.parts, rng.choice(RESEND_NOTES)]
        twin.received_at = d.received_at + timedelta(minutes=rng.randint(5, 60 * 48))
        copies.append(twin)
    return copies


def _copy_lists(twin: Draft, d: Draft) -> None:
    for name in ("people", "vehicle_mentions", "phone_mentions", "place_mentions"):
        setattr(twin, name, [(copy.copy(m[0]), *m[1:]) for m in getattr(d, name)])
    for name in (
        "disclosures",
        "indicators",
        "blaming",
        "quoted",
        "offences",
        "subjects",
        "vehicles",
        "phones",
        "locations",
        "links",
    ):
        setattr(twin, name, [dict(x) for x in getattr(d, name)])
    twin.survival = list(d.survival)


def _shift(d: Draft, by: int) -> None:
    for name in ("people", "vehicle_mentions", "phone_mentions", "place_mentions"):
        for m in getattr(d, name):
            if m[0].field == "narrative":
                m[0].start += by
                m[0].end += by
    for name in ("disclosures", "indicators", "blaming", "quoted"):
        for x in getattr(d, name):
            x["start"] += by
            x["end"] += by


def _give_ids(drafts: list[Draft]) -> None:
    counters: dict[tuple[str, str, int], int] = {}
    for d in drafts:
        year = d.received_at.year
        key = (d.agency.code, d.agency.prefix, year)
        counters[key] = counters.get(key, 0) + 1
        d.report_id = f"{d.agency.prefix}-{year}-{counters[key]:05d}"


def body_of(d: Draft) -> dict[str, Any]:
    """The interchange line for one draft."""
    body: dict[str, Any] = {
        "id": d.report_id,
        "agency": d.agency.code,
        "agency_type": d.agency.agency_type,
        "received_at": d.received_at.isoformat(),
        "narrative": d.narrative,
    }
    if d.channel:
        body["channel"] = d.channel
    if d.occurred:
        body["occurred_at"] = d.occurred.isoformat()
    if d.reporter:
        body["reporter"] = d.reporter
    if d.grading:
        body["grading"] = d.grading
    for name in ("subjects", "vehicles", "phones", "locations", "links"):
        items = getattr(d, name)
        if items:
            body[name] = items
    return body
