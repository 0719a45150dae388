"""FollowTheMoney, GraphML and i2 CSV exports of the analysed small town read
back with the tools' own readers, counted against the findings tables."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from followthemoney import model
from sqlalchemy import Engine, func, select

from lantern.export import i2
from lantern.store.findings.network import network_edges, network_groups
from lantern.store.findings.resolution import entities, entity_mentions
from tests.export_support import build_town, export_i2, export_text, ftm_entities

DOCS = Path(__file__).resolve().parents[1] / "docs" / "exports.md"
GROUP_PARTS = ("members", "victims", "places", "vehicles", "phones")

# one worker builds the town and runs every export test on it
pytestmark = pytest.mark.xdist_group("export-town")


@pytest.fixture(scope="session")
def town_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    town = build_town(tmp_path_factory.getbasetemp() / "export-town")
    engine = town.engine()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def ftm_lines(town_engine: Engine) -> list[dict[str, Any]]:
    return ftm_entities(export_text(town_engine, "ftm"))


def lantern_counts(engine: Engine) -> dict[str, int]:
    """The graph in Lantern, counted from the findings tables: entities with
    a mention, groups, edges, and each group's links to what it is made of."""
    with engine.connect() as conn:
        mentioned = select(entity_mentions.c.entity_id).distinct().subquery()
        kinds = dict(
            conn.execute(
                select(entities.c.kind, func.count())
                .where(entities.c.entity_id.in_(select(mentioned)))
                .group_by(entities.c.kind)
            ).all()
        )
        edges = conn.execute(select(func.count()).select_from(network_edges)).scalar_one()
        group_links = 0
        groups = conn.execute(select(network_groups)).all()
        for g in groups:
            group_links += len({e for part in GROUP_PARTS for e in g._mapping[part] or []})
    return {
        **{k: int(v) for k, v in kinds.items()},
        "groups": len(groups),
        "edges": int(edges),
        "group_links": group_links,
    }


def test_ftm_entities_validate_against_the_model_and_counts_round_trip(
    town_engine: Engine, ftm_lines: list[dict[str, Any]]
) -> None:
    lines = ftm_lines
    ids = {line["id"] for line in lines}
    schemata: Counter[str] = Counter()
    links = 0
    for data in lines:
        proxy = model.get_proxy(data)
        assert proxy.schema.validate(data) is None
        for required in proxy.schema.required:
            assert proxy.get(required), (data["id"], required)
        for prop in proxy.iterprops():
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, (data["id"], prop.name)
        schemata[proxy.schema.name] += 1
        links += proxy.schema.edge
    expected = lantern_counts(town_engine)
    assert schemata["Person"] == expected["person"]
    assert schemata["Vehicle"] == expected["vehicle"]
    assert schemata["Address"] == expected["location"]
    assert schemata["Organization"] == expected["groups"]
    assert links == expected["edges"] + expected["group_links"]
    assert schemata["Associate"] > 0 and schemata["Document"] > 0


def test_ftm_links_name_their_source_reports_as_proof(ftm_lines: list[dict[str, Any]]) -> None:
    lines = ftm_lines
    documents = {d["id"] for d in lines if d["schema"] == "Document"}
    associates = [d for d in lines if d["schema"] == "Associate"]
    assert associates
    for data in associates:
        proof = data["properties"].get("proof", [])
        assert proof and set(proof) <= documents


def test_graphml_reads_back_with_lantern_counts_and_typed_attributes(town_engine: Engine) -> None:
    text = export_text(town_engine, "graphml")
    graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    expected = lantern_counts(town_engine)
    nodes = sum(expected[k] for k in ("person", "vehicle", "phone", "location", "groups"))
    assert graph.number_of_nodes() == nodes
    assert graph.number_of_edges() == expected["edges"] + expected["group_links"]
    kinds = Counter(d["kind"] for _, d in graph.nodes(data=True))
    assert kinds["group"] == expected["groups"]
    scored = [d for _, d in graph.nodes(data=True) if "risk_score" in d]
    assert scored and all(isinstance(d["risk_score"], float) for d in scored)
    assert all(isinstance(d["reports"], int) for _, d in graph.nodes(data=True))
    assert all(isinstance(d["weight"], float) for _, _, d in graph.edges(data=True))
    declared = dict(re.findall(r'attr\.name="(\w+)" attr\.type="(\w+)"', text))
    assert declared["risk_score"] == "double" and declared["priority_score"] == "double"
    assert declared["reports"] in ("int", "long") and declared["kind"] == "string"


def test_i2_files_parse_with_the_documented_headers_and_every_link_has_both_ends(
    town_engine: Engine,
) -> None:
    entities_text, links_text = export_i2(town_engine)
    assert entities_text.startswith(i2.BOM) and links_text.startswith(i2.BOM)
    entity_rows = list(csv.DictReader(io.StringIO(entities_text.removeprefix(i2.BOM))))
    link_rows = list(csv.DictReader(io.StringIO(links_text.removeprefix(i2.BOM))))
    assert list(entity_rows[0]) == list(i2.ENTITY_COLUMNS)
    assert list(link_rows[0]) == list(i2.LINK_COLUMNS)
    documented = DOCS.read_text(encoding="utf-8")
    for column in (*i2.ENTITY_COLUMNS, *i2.LINK_COLUMNS):
        assert f"`{column}`" in documented, column
    ids = {row["Entity ID"] for row in entity_rows}
    assert len(ids) == len(entity_rows)
    for row in link_rows:
        assert row["From Entity ID"] in ids and row["To Entity ID"] in ids
    expected = lantern_counts(town_engine)
    assert len(link_rows) == expected["edges"] + expected["group_links"]
    types = Counter(row["Entity Type"] for row in entity_rows)
    assert types["Person"] == expected["person"] and types["Telephone"] == expected["phone"]


def test_group_export_holds_the_group_and_its_first_degree_links_only(
    town_engine: Engine,
) -> None:
    with town_engine.connect() as conn:
        groups = conn.execute(select(network_groups)).all()
        neighbours: dict[str, set[str]] = {}
        for a, b in conn.execute(select(network_edges.c.a, network_edges.c.b)):
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    assert groups
    for group in groups:
        core = {group.group_id} | {e for p in GROUP_PARTS for e in group._mapping[p] or []}
        graph = nx.read_graphml(
            io.BytesIO(export_text(town_engine, "graphml", group=group.group_id).encode())
        )
        exported = set(graph.nodes)
        assert set(group.members) <= exported
        assert group.group_id in exported
        for node in exported - core:
            if node.startswith("group:"):  # another group a core member is in
                assert graph.has_edge(node, node) or any(n in core for n in graph[node])
                continue
            assert neighbours.get(node, set()) & core, node
        for a, b in graph.edges():
            assert a in core or b in core
        others = [g for g in groups if g.group_id != group.group_id]
        outside = {m for g in others for m in g.members} - exported
        assert outside or not others


def test_person_export_holds_the_person_and_those_linked_to_them(town_engine: Engine) -> None:
    with town_engine.connect() as conn:
        row = conn.execute(
            select(network_edges.c.a, func.count())
            .where(network_edges.c.a.like("person:%"))
            .group_by(network_edges.c.a)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        assert row is not None
        person = row[0]
        linked = {
            b if a == person else a
            for a, b in conn.execute(
                select(network_edges.c.a, network_edges.c.b).where(
                    (network_edges.c.a == person) | (network_edges.c.b == person)
                )
            )
        }
    entity_rows, _ = export_i2(town_engine, person=person)
    ids = {r["Entity ID"] for r in csv.DictReader(io.StringIO(entity_rows.removeprefix(i2.BOM)))}
    assert {person} | linked <= ids
    assert {i for i in ids if not i.startswith("group:")} == {person} | linked
