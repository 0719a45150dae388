"""Fairness: a town and its name-swapped twin — every given name permuted among
people of the same sex and age band, every family name among family names —
go through extraction, resolution and the network stage, and must give the
same groups, priorities and risk levels, person for person (through the truth).

Names are the usual carrier of ethnicity, religion and nationality; the
network's scores must not move when they change.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lantern import clock
from lantern.store.db import open_store

pytest.importorskip("lantern.resolve.stage")
pytest.importorskip("lantern.resolve.export")

STAGES = ("lantern.extract.stage", "lantern.resolve.stage", "lantern.network.stage")
SEED = 11


def _band(person: dict[str, Any]) -> str:
    return "child" if person.get("kind") == "child" else "adult"


def name_permutation(truth: dict[str, Any], seed: int) -> dict[str, str]:
    """Name words to their twins: given names permuted within each sex and
    age band, family names among family names. A word used in more than one
    of these classes is left as it is. The other ways a person is written (a
    nickname, a spelling variant) follow the name they stand for: "Steve"
    becomes the twin of "Steven", so the twin is still called by a name of
    his own. One written two people's ways ("Steve" for a Steven and a
    Stephen) is left as it is."""
    classes: dict[str, set[str]] = defaultdict(set)
    stands_for: dict[str, set[str]] = defaultdict(set)
    for person in truth["people"]:
        names = person.get("names") or []
        if not names:
            continue
        words = [w.lower() for w in names[0].split()]
        sex, band = person.get("sex") or "?", _band(person)
        classes[words[0]].add(f"given:{sex}:{band}")
        if len(words) > 1:
            classes[words[-1]].add("family")
        for alias in names[1:]:
            parts = [w.lower() for w in alias.split()]
            for i, word in enumerate(parts):
                if word not in words:
                    # a one-word alias, or the first word of one, stands for
                    # the given name; the last of two or more for the family
                    # name
                    owner = words[-1] if i and i == len(parts) - 1 else words[0]
                    stands_for[word].add(owner)
    by_class: dict[str, list[str]] = defaultdict(list)
    for word, found in classes.items():
        if len(found) == 1 and len(word) > 2:
            by_class[next(iter(found))].append(word)
    rng = random.Random(seed)
    mapping: dict[str, str] = {}
    for cls in sorted(by_class):
        words = sorted(by_class[cls])
        shuffled = words[:]
        rng.shuffle(shuffled)
        mapping.update(zip(words, shuffled, strict=True))
    for word, owners in sorted(stands_for.items()):
        if word in classes or len(word) <= 2 or len(owners) != 1:
            continue
        owner = next(iter(owners))
        if owner in mapping:
            mapping[word] = mapping[owner]
    return mapping


def _renamer(mapping: dict[str, str]) -> Any:
    words = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        old = match.group(0)
        new = mapping[old.lower()]
        if old.isupper():
            return new.upper()
        if old[0].isupper():
            return new[0].upper() + new[1:]
        return old  # a lower-case word ("white", "young") is not a name

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(swap, value)
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    return rename


def write_twin(town: Path, twin: Path, seed: int) -> None:
    """The twin town: reports and truth with every name permuted."""
    truth = json.loads((town / "truth.json").read_text())
    rename = _renamer(name_permutation(truth, seed))
    twin.mkdir(parents=True, exist_ok=True)
    with (town / "reports.jsonl").open() as src, (twin / "reports.jsonl").open("w") as dst:
        for line in src:
            body = json.loads(line)
            for field in ("narrative", "subjects", "reporter"):
                if field in body:
                    body[field] = rename(body[field])
            dst.write(json.dumps(body) + "\n")
    for person in truth["people"]:
        person["names"] = rename(person["names"])
    for mention in truth["mentions"]:
        mention["text"] = rename(mention["text"])
    (twin / "truth.json").write_text(json.dumps(truth))


def analyse(town: Path) -> dict[str, Any]:
    """Extraction, resolution and the network over a town; the export."""
    import importlib

    from lantern.export import json_export
    from lantern.intake.ingest import ingest_file

    engine: Engine = open_store(f"sqlite:///{town / 'lantern.db'}")
    ingest_file(engine, town / "reports.jsonl", actor="test")
    end = datetime.fromisoformat("2018-01-01T00:00:00+00:00")
    with clock.frozen_at(end):
        for module in STAGES:
            importlib.import_module(module).run(engine, full=True)
        doc = json_export.build(engine, as_of=end)
    engine.dispose()
    return doc


def picture_by_truth(truth: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """Groups, priorities and risk levels, keyed by the truth's people."""
    from lantern.evaluate.align import align, bare_id

    for person in doc["people"]:
        person["person_id"] = bare_id(person["person_id"])
    aligned = align(truth, doc)
    people = {p["person_id"]: p for p in doc["people"]}
    scores = {}
    for pid in sorted(aligned.people):
        entry = people.get(aligned.system_of.get(pid, ""), {})
        risk, priority = entry.get("risk") or {}, entry.get("priority") or {}
        scores[pid] = (risk.get("level"), risk.get("score"), priority.get("score"))
    groups = sorted(
        sorted({str(aligned.truth_of.get(bare_id(m), ("nobody", ""))) for m in g["members"]})
        for g in doc["groups"]
    )
    # How resolution joined each true person: who shares their resolved
    # person, and how many mentions it holds. Where this differs between the
    # towns, resolution (which must read names) saw the twin differently.
    sharing: dict[str, list[str]] = {}
    for pid, system in aligned.system_of.items():
        sharing.setdefault(system, []).append(pid)
    resolved = {
        pid: (
            tuple(sorted(sharing.get(system, []))),
            len(people.get(system, {}).get("mentions", [])),
        )
        for pid, system in aligned.system_of.items()
    }
    return {"scores": scores, "groups": groups, "resolved": resolved}


@pytest.fixture(scope="session")
def towns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    from lantern.sim import generate_town

    root = tmp_path_factory.mktemp("fairness")
    town, twin = root / "town", root / "twin"
    generate_town(SEED, "small", town)
    write_twin(town, twin, SEED)
    yield town, twin


def test_the_twin_town_differs_only_in_names(towns: tuple[Path, Path]) -> None:
    town, twin = towns
    original = (town / "reports.jsonl").read_text().splitlines()
    renamed = (twin / "reports.jsonl").read_text().splitlines()
    assert len(original) == len(renamed)
    assert sum(a != b for a, b in zip(original, renamed, strict=True)) > len(original) // 3
    truth = json.loads((town / "truth.json").read_text())
    mapping = name_permutation(truth, SEED)
    names = {w.lower() for p in truth["people"] for w in p["names"][0].split()}
    permuted = {k: v for k, v in mapping.items() if k in names}
    assert sorted(permuted) == sorted(permuted.values())  # names: a permutation
    assert sum(k != v for k, v in permuted.items()) > 50
    # every other way of writing a name becomes a name of the twin
    assert all(v in names for k, v in mapping.items() if k not in names)


@pytest.fixture(scope="session")
def analysed(towns: tuple[Path, Path]) -> tuple[dict[str, Any], dict[str, Any]]:
    town, twin = towns
    first = picture_by_truth(json.loads((town / "truth.json").read_text()), analyse(town))
    second = picture_by_truth(json.loads((twin / "truth.json").read_text()), analyse(twin))
    return first, second


def test_name_swapped_twin_gets_the_same_groups_and_risk_levels(
    analysed: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Through extraction and resolution. Resolution reads names (it must), so
    a few people are joined differently in the twin; their scores may differ
    by that, but no group may, nor who is at medium or high risk."""
    first, second = analysed
    assert first["groups"] and first["groups"] == second["groups"]
    levels = {pid: s[0] for pid, s in first["scores"].items()}
    twin_levels = {pid: s[0] for pid, s in second["scores"].items()}
    # People resolution joined identically in both towns get identical levels;
    # those it joined differently are few.
    same = {p for p in levels if first["resolved"].get(p) == second["resolved"].get(p)}
    assert len(levels) - len(same) <= len(levels) // 10
    flagged = {pid for pid in same if levels[pid] in ("medium", "high")}
    assert len(flagged) >= 3
    assert flagged == {pid for pid in same if twin_levels[pid] in ("medium", "high")}
    assert all(levels[pid] == twin_levels[pid] for pid in same)


def rename_resolved_people(db: Path, seed: int) -> dict[str, str]:
    """Gives every resolved person another's id, and every name and
    description in the store's findings another text (protected words
    included), leaving the structure as it is. Returns old id -> new id."""
    from sqlalchemy import select, update

    from lantern.store.findings.extraction import extractions
    from lantern.store.findings.resolution import entities, entity_mentions

    engine = open_store(f"sqlite:///{db}")
    person = entities.c.kind == "person"
    with engine.begin() as conn:
        rows = conn.execute(select(entities.c.entity_id, entities.c.data).where(person)).all()
        ids = sorted(eid for eid, _ in rows)
        shuffled = ids[:]
        random.Random(seed).shuffle(shuffled)
        new_id = dict(zip(ids, shuffled, strict=True))
        conn.execute(entities.delete().where(person))
        conn.execute(
            entities.insert(),
            [
                {
                    "entity_id": new_id[eid],
                    "kind": "person",
                    "label": "Someone Else",
                    "data": {**data, "names": ["Someone Else"]},
                }
                for eid, data in rows
            ],
        )
        mentions = conn.execute(
            select(entity_mentions.c.mention_id, entity_mentions.c.entity_id).where(
                entity_mentions.c.kind == "person"
            )
        ).all()
        for mid, eid in mentions:
            conn.execute(
                update(entity_mentions)
                .where(entity_mentions.c.mention_id == mid)
                .values(entity_id=new_id[eid], text="Someone Else")
            )
        payloads = conn.execute(select(extractions.c.report_pk, extractions.c.payload)).all()
        for pk, payload in payloads:
            for mention in payload.get("people") or []:
                mention.update(
                    name="Someone Else",
                    text="Someone Else",
                    description="Asian Muslim man, Pakistani national",
                )
            conn.execute(
                update(extractions).where(extractions.c.report_pk == pk).values(payload=payload)
            )
    engine.dispose()
    return new_id


def network_picture(db: Path) -> dict[str, Any]:
    from lantern.network import export as network_export
    from lantern.network import stage

    engine = open_store(f"sqlite:///{db}")
    at = datetime.fromisoformat("2018-01-01T00:00:00+00:00")
    with clock.frozen_at(at):
        stage.run(engine, full=True)
    picture = {
        "groups": network_export.groups(engine),
        "scores": network_export.person_scores(engine, at),
        "alerts": network_export.alert_entries(engine, at),
    }
    engine.dispose()
    return picture


def test_renamed_people_get_the_same_picture_from_the_network(
    towns: tuple[Path, Path], analysed: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    """Over the same resolution: other ids, other names, protected words in
    every description: the same groups, priorities, risks and alerts."""
    import shutil

    town, _ = towns
    renamed_db = tmp_path / "renamed.db"
    shutil.copy(town / "lantern.db", renamed_db)
    new_id = rename_resolved_people(renamed_db, SEED)
    original, renamed = network_picture(town / "lantern.db"), network_picture(renamed_db)

    def ren(x: str) -> str:
        return new_id.get(x, x)

    assert original["groups"]
    assert {frozenset(map(ren, g["members"])) for g in original["groups"]} == {
        frozenset(g["members"]) for g in renamed["groups"]
    }
    assert {ren(pid): s for pid, s in original["scores"].items()} == renamed["scores"]
    kinds = ("subject-no-action", "child-high-risk")  # the copy keeps the original's, closed
    before = sorted(
        (a["kind"], [ren(x) for x in a["subjects"]])
        for a in original["alerts"]
        if a["kind"] in kinds
    )
    after = sorted(
        (a["kind"], a["subjects"])
        for a in renamed["alerts"]
        if a["kind"] in kinds and a["status"] == "open"
    )
    assert before and before == after
