"""The workspace's pages over the real app (FastAPI's TestClient), on the
simulated demo town: who may open what, what each page shows, and that the
forms on them change what they should."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine, select, update

from lantern.auth.access import report_visibility
from lantern.auth.accounts import get_user
from lantern.store.findings.network import alerts, network_groups
from lantern.store.findings.recording import recording_proposals
from lantern.store.findings.resolution import entities, entity_mentions, review_queue
from lantern.store.schema import audit_log, decisions, report_revisions, reports
from lantern.web.app import create_app
from lantern.web.pages.rendering import Page
from lantern.web.pages.svg import line_chart
from tests.web_support import BASE, Town, build_town, signed_in


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    return build_town(tmp_path_factory.getbasetemp() / "web-town")


@pytest.fixture(scope="module")
def world(town: Town, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Engine]]:
    copy = town.copy_to(tmp_path_factory.mktemp("web-pages"))
    app = create_app(database_url=copy.url)
    app.state.analyse_after_intake = False  # each test checks the page, not the pipeline
    yield app, app.state.engine
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def analyst(world: tuple[Any, Engine]) -> TestClient:
    return signed_in(*world, "ana.analyst")


@pytest.fixture(scope="module")
def supervisor(world: tuple[Any, Engine]) -> TestClient:
    return signed_in(*world, "sam.supervisor")


@pytest.fixture(scope="module")
def referrer(world: tuple[Any, Engine]) -> TestClient:
    return signed_in(*world, "rita.referrer")


def person_named(engine: Engine, name: str) -> str:
    with engine.connect() as conn:
        found = conn.execute(
            select(entities.c.entity_id)
            .where(entities.c.kind == "person", entities.c.label.ilike(f"%{name}%"))
            .order_by(entities.c.reports.desc())
        ).scalar()
    assert found, f"the demo town has no resolved person named {name}"
    return str(found)


def test_people_redirects_to_login_when_signed_out(world: tuple[Any, Engine]) -> None:
    visitor = TestClient(world[0], base_url=BASE, follow_redirects=False)
    response = visitor.get("/people")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_api_people_answers_401_when_signed_out(world: tuple[Any, Engine]) -> None:
    visitor = TestClient(world[0], base_url=BASE, follow_redirects=False)
    assert visitor.get("/api/people").status_code == 401


def test_partner_may_not_search_people(referrer: TestClient) -> None:
    assert referrer.get("/people").status_code == 403
    home = referrer.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/referrals"


def test_search_finds_a_child_from_the_demo_town(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    name = town.child_at_risk()
    entity_id = person_named(world[1], name)
    page = analyst.get("/people", params={"q": name})
    assert page.status_code == 200
    assert f"/entities/{entity_id}" in page.text
    everything = analyst.get("/search", params={"q": name})
    assert f"/entities/{entity_id}" in everything.text
    assert 'hx-get="/search/report-text?q=' in everything.text


def test_search_of_report_text_finds_the_words(
    analyst: TestClient, world: tuple[Any, Engine]
) -> None:
    with world[1].connect() as conn:
        narrative = conn.execute(select(report_revisions.c.body)).first()[0]["narrative"]
    words = " ".join(narrative.split()[2:5])
    page = analyst.get("/search", params={"q": words, "kind": "report"})
    assert page.status_code == 200
    assert f"<mark>{words}</mark>" in page.text
    part = analyst.get("/search/report-text", params={"q": words})
    assert f"<mark>{words}</mark>" in part.text and "<html" not in part.text


def test_person_page_shows_chronology_newest_first_with_spans(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    entity_id = person_named(world[1], town.child_at_risk())
    with world[1].connect() as conn:
        user = get_user(conn, "ana.analyst")
        expected = [
            f"{r.agency}/{r.report_id}"
            for r in conn.execute(
                select(reports.c.agency, reports.c.report_id)
                .where(
                    reports.c.pk.in_(
                        select(entity_mentions.c.report_pk).where(
                            entity_mentions.c.entity_id == entity_id
                        )
                    ),
                    report_visibility(
                        user
                    ),  # a restricted report the analyst may not see stays out
                )
                .order_by(reports.c.received_at.desc(), reports.c.pk.desc())
                .limit(15)
            )
        ]
    page = analyst.get(f"/people/{entity_id}")
    assert page.status_code == 200
    shown = re.findall(
        r'<li>\s*<div class="meta"><a href="/reports/[^"]+"><strong>([^<]+)</strong>', page.text
    )
    assert shown == expected
    assert 'class="span person focus"' in page.text
    assert "Correct what was read" in page.text


def test_person_page_says_why_each_report_s_mention_was_joined(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    # each report on the page: the mention as written, the weight of the link
    # that joined it and what weighed, so the analyst can check the join
    entity_id = person_named(world[1], town.child_at_risk())
    page = analyst.get(f"/people/{entity_id}").text
    shown = re.findall(r'<a href="/reports/[^"]+"><strong>([^<]+)</strong>', page)
    with world[1].connect() as conn:
        joined = conn.execute(
            select(
                entity_mentions.c.agency,
                entity_mentions.c.report_id,
                entity_mentions.c.text,
                entity_mentions.c.match_weight,
            ).where(
                entity_mentions.c.entity_id == entity_id,
                entity_mentions.c.match_weight.is_not(None),
            )
        ).all()
    on_page = [j for j in joined if f"{j.agency}/{j.report_id}" in shown]
    assert on_page, "a report on the first page holds a joined mention"
    assert page.count("Why this report is here") == len({(j.agency, j.report_id) for j in on_page})
    for j in on_page:
        assert f"“{escape(j.text)}” joined at match weight {j.match_weight:+.1f}:" in page
    assert "given name same (+" in page


def test_reading_a_person_is_written_to_the_audit_log(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    entity_id = person_named(world[1], town.child_at_risk())
    analyst.get(f"/people/{entity_id}")
    with world[1].connect() as conn:
        reads = (
            conn.execute(
                select(audit_log.c.actor).where(
                    audit_log.c.target == entity_id, audit_log.c.action == "read.person"
                )
            )
            .scalars()
            .all()
        )
    assert "ana.analyst" in reads


def test_link_chart_data_holds_the_person_and_who_they_are_linked_to(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    entity_id = person_named(world[1], town.child_at_risk())
    data = analyst.get("/chart/data", params={"focus": entity_id}).json()
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert entity_id in ids and len(ids) > 1
    assert all(entity_id in (e["data"]["source"], e["data"]["target"]) for e in data["edges"])
    elsewhere = analyst.get("/chart/data", params={"focus": entity_id, "agency": "no-such-agency"})
    assert [n["data"]["id"] for n in elsewhere.json()["nodes"]] == [entity_id]


def test_group_page_lists_its_people(analyst: TestClient, world: tuple[Any, Engine]) -> None:
    with world[1].connect() as conn:
        group = conn.execute(select(network_groups)).first()
    assert group is not None, "the demo town has groups"
    page = analyst.get(f"/groups/{group.group_id}")
    assert page.status_code == 200
    for member in group.members[:3]:
        assert f"/entities/{member}" in page.text


def pending_proposal(engine: Engine) -> Any:
    with engine.connect() as conn:
        for row in conn.execute(select(recording_proposals).where(recording_proposals.c.has_crime)):
            subject = f"report:{row.agency}/{row.report_id}"
            if not conn.execute(
                select(decisions.c.pk).where(decisions.c.subject == subject)
            ).first():
                return row
    raise AssertionError("no crime is waiting for a decision in the demo town")


def test_recording_a_crime_from_the_queue_takes_it_off_the_queue(
    supervisor: TestClient, world: tuple[Any, Engine]
) -> None:
    row = pending_proposal(world[1])
    queue = supervisor.get("/recording")
    assert f'id="report-{row.report_pk}"' in queue.text
    offences = [c["offence_id"] for c in row.proposal["crimes"]]
    response = supervisor.post(
        f"/recording/{row.report_pk}/crime",
        data={"crime_reference": "CB/12345/26", "offences": offences},
    )
    assert response.status_code == 303
    with world[1].connect() as conn:
        decision = conn.execute(
            select(decisions).where(decisions.c.subject == f"report:{row.agency}/{row.report_id}")
        ).one()
    assert decision.kind == "record-crime" and decision.payload["crime_reference"] == "CB/12345/26"
    assert f'id="report-{row.report_pk}"' not in supervisor.get("/recording").text


def test_no_crime_needs_a_counting_rules_reason(
    supervisor: TestClient, world: tuple[Any, Engine]
) -> None:
    row = pending_proposal(world[1])
    refused = supervisor.post(
        f"/recording/{row.report_pk}/no-crime", data={"reason": "she consented"}
    )
    assert refused.status_code == 422


def test_an_analyst_may_not_record_a_crime(analyst: TestClient, world: tuple[Any, Engine]) -> None:
    row = pending_proposal(world[1])
    response = analyst.post(
        f"/recording/{row.report_pk}/crime", data={"crime_reference": "X", "offences": ["x"]}
    )
    assert response.status_code == 403


def test_raise_and_complete_an_action(supervisor: TestClient) -> None:
    raised = supervisor.post(
        "/tasks", data={"title": "Visit the flat above Star Pizza", "owner": "sam.supervisor"}
    )
    assert raised.status_code == 303
    task = raised.headers["location"].split("?")[0]
    assert "allocated" in supervisor.get(task).text
    assert (
        supervisor.post(f"{task}/result", data={"result": "Visited; two men named"}).status_code
        == 303
    )
    assert supervisor.post(f"{task}/review", data={"accepted": "yes"}).status_code == 303
    page = supervisor.get(task).text
    assert '<dd id="action-status">reviewed</dd>' in page
    assert "Visited; two men named" in page


def test_a_form_post_without_its_csrf_token_is_refused(world: tuple[Any, Engine]) -> None:
    client = signed_in(*world, "sam.supervisor")
    del client.headers["X-CSRF-Token"]
    assert client.post("/tasks", data={"title": "no token"}).status_code == 403


def test_partner_referral_shows_the_feedback_written_for_it(
    referrer: TestClient, supervisor: TestClient
) -> None:
    sent = referrer.post(
        "/referrals",
        data={
            "narrative": "Jade, 14, is collected from school by a man in a silver car.",
            "child_name": "Jade",
            "child_age": "14",
            "concern": "sexual-exploitation",
        },
    )
    assert sent.status_code == 303
    referral = sent.headers["location"].split("?")[0]
    report_id = referral.rsplit("/", 1)[1]
    assert "received" in referrer.get(referral).text
    told = supervisor.post(
        f"/reports/rmbc-social-care/{report_id}/feedback",
        data={"message": "A strategy discussion is booked for Jade."},
    )
    assert told.status_code == 303
    page = referrer.get(referral).text
    assert "A strategy discussion is booked for Jade." in page
    assert report_id in referrer.get("/referrals").text


def test_narrative_markup_is_shown_escaped(referrer: TestClient, supervisor: TestClient) -> None:
    sent = referrer.post(
        "/referrals", data={"narrative": "<script>alert(1)</script> seen at the park"}
    )
    report_id = sent.headers["location"].split("?")[0].rsplit("/", 1)[1]
    page = supervisor.get(f"/reports/rmbc-social-care/{report_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_public_concern_may_be_anonymous(world: tuple[Any, Engine]) -> None:
    visitor = TestClient(world[0], base_url=BASE, follow_redirects=False)
    form = visitor.get("/report-a-concern").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    sent = visitor.post(
        "/report-a-concern",
        data={
            "csrf_token": token,
            "narrative": "Two girls get into a taxi at the park every night.",
            "anonymous": "yes",
            "name": "should not be kept",
        },
    )
    assert sent.status_code == 303
    ref = sent.headers["location"].split("ref=")[1]
    with world[1].connect() as conn:
        body = conn.execute(
            select(report_revisions.c.body)
            .join(reports, reports.c.pk == report_revisions.c.report_pk)
            .where(reports.c.agency == "public", reports.c.report_id == ref)
        ).scalar_one()
    assert body["reporter"] == {"anonymous": True}


def test_language_helper_flags_the_authors_words_with_a_suggestion(
    world: tuple[Any, Engine],
) -> None:
    visitor = TestClient(world[0], base_url=BASE, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', visitor.get("/report-a-concern").text)
    headers = {"X-CSRF-Token": token.group(1)}
    flagged = visitor.post(
        "/language-check",
        data={"narrative": "The girl, 14, is putting herself at risk."},
        headers=headers,
    )
    assert flagged.status_code == 200
    assert "putting herself at risk" in flagged.text and 'class="language-flag"' in flagged.text
    clean = visitor.post(
        "/language-check",
        data={"narrative": "Adults are exploiting the girl, 14."},
        headers=headers,
    )
    assert 'class="language-flag"' not in clean.text


def test_correcting_a_span_is_kept_as_a_decision(
    analyst: TestClient, town: Town, world: tuple[Any, Engine]
) -> None:
    with world[1].connect() as conn:
        mention = conn.execute(
            select(entity_mentions).where(entity_mentions.c.kind == "person")
        ).first()
    response = analyst.post(
        f"/reports/{mention.agency}/{mention.report_id}/corrections",
        data={"mention_id": mention.mention_id, "correction": "role", "role": "victim"},
    )
    assert response.status_code == 303
    with world[1].connect() as conn:
        kept = (
            conn.execute(
                select(decisions.c.payload).where(decisions.c.kind == "correct-extraction")
            )
            .scalars()
            .all()
        )
    assert {
        "mention_id": mention.mention_id,
        "correction": "role",
        "role": "victim",
        "note": None,
    } in kept


def test_linkage_judgement_takes_the_pair_off_the_queue(
    supervisor: TestClient, world: tuple[Any, Engine]
) -> None:
    page = supervisor.get("/linkage").text
    pair = re.search(
        r'name="mention_a" value="([^"]+)"><input type="hidden" name="mention_b" value="([^"]+)"',
        page,
    )
    assert pair, "the review queue shows a pair"
    a, b = pair.groups()
    judged = supervisor.post(
        "/linkage/judgements", data={"mention_a": a, "mention_b": b, "same": "no"}
    )
    assert judged.status_code == 303
    with world[1].connect() as conn:
        kinds = (
            conn.execute(
                select(decisions.c.kind).where(
                    decisions.c.subject == f"pair:{min(a, b)}|{max(a, b)}"
                )
            )
            .scalars()
            .all()
        )
        queued = conn.execute(select(review_queue.c.mention_a)).first()
    assert kinds == ["not-same-entity"] and queued is not None
    assert (
        f'value="{a}"><input type="hidden" name="mention_b" value="{b}"'
        not in supervisor.get("/linkage").text
    )


def test_the_review_lists_a_child_s_records_held_apart_on_their_own(
    supervisor: TestClient, world: tuple[Any, Engine]
) -> None:
    from lantern.resolve import clustering, judgements

    with world[1].connect() as conn:
        held = conn.execute(judgements.review_query(held=True)).all()
    assert held, "the web town has a child's records held apart"
    page = supervisor.get("/linkage?held=1").text
    assert f'<span class="badge" id="waiting-held">{len(held)}</span>' in page
    first = held[0]
    shown = (
        f'value="{first.mention_a}"><input type="hidden" name="mention_b" value="{first.mention_b}"'
    )
    assert shown in page
    assert f"held apart: {escape(first.held)}" in page
    assert first.held in (clustering.HELD_AGED, clustering.HELD_UNDATED)
    assert shown not in supervisor.get("/linkage").text, "not among the pairs least sure of"
    judged = supervisor.post(
        "/linkage/judgements",
        data={
            "mention_a": first.mention_a,
            "mention_b": first.mention_b,
            "same": "yes",
            "held": "1",
        },
    )
    assert judged.status_code == 303 and judged.headers["location"] == "/linkage?held=1&judged=1"
    after = supervisor.get("/linkage?held=1").text
    assert shown not in after
    assert f'<span class="badge" id="waiting-held">{len(held) - 1}</span>' in after


def test_a_child_s_page_names_the_records_held_apart_from_hers(
    analyst: TestClient, world: tuple[Any, Engine]
) -> None:
    with world[1].connect() as conn:
        last = conn.execute(
            select(review_queue, entities.c.label)
            .join(entities, entities.c.entity_id == review_queue.c.entity_b)
            .where(review_queue.c.held.is_not(None))
            .order_by(review_queue.c.match_weight, review_queue.c.mention_a.desc())
        ).first()
    assert last is not None, "the web town has a child's records held apart"
    page = analyst.get(f"/entities/{last.entity_a}").text
    listed = page.split('<ul id="held-apart">', 1)[1].split("</ul>", 1)[0]
    assert f'<a href="/entities/{last.entity_b}">{escape(last.label)}</a>' in listed
    assert escape(last.held) in listed
    # a page with nothing held apart says nothing of it
    with world[1].connect() as conn:
        held = {
            e
            for r in conn.execute(select(review_queue).where(review_queue.c.held.is_not(None)))
            for e in (r.entity_a, r.entity_b)
        }
        plain = conn.execute(
            select(entities.c.entity_id).where(
                entities.c.kind == "person", entities.c.entity_id.not_in(held)
            )
        ).scalar()
    assert 'id="held-apart"' not in analyst.get(f"/entities/{plain}").text


def test_home_shows_what_needs_attention(supervisor: TestClient) -> None:
    page = supervisor.get("/").text
    assert "Recording clocks" in page and 'class="badge clock' in page
    assert "open alert" in page


def test_an_alert_says_when_it_named_a_member_who_joined_later(
    world: tuple[Any, Engine], supervisor: TestClient
) -> None:
    with world[1].begin() as conn:
        alert = next(
            a
            for a in conn.execute(select(alerts)).mappings()
            if sum(str(s).startswith("person:") for s in a["subjects"]) >= 2
        )
        later = alert["subjects"][-1]
        joined = alert["raised_at"].replace(tzinfo=UTC) + timedelta(days=30)
        named = {s: alert["raised_at"].replace(tzinfo=UTC).isoformat() for s in alert["subjects"]}
        conn.execute(
            update(alerts)
            .where(alerts.c.alert_id == alert["alert_id"])
            .values(named_at={**named, later: joined.isoformat()})
        )
    page = supervisor.get("/alerts", params={"status": "all", "kind": alert["kind"]}).text
    assert f"(named since {joined.strftime('%d %b %Y')})" in page


def test_compliance_dashboard_draws_its_chart_on_the_server(supervisor: TestClient) -> None:
    page = supervisor.get("/compliance").text
    assert "<svg" in page and "<polyline" in page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=a",
        "/people",
        "/alerts",
        "/tasks",
        "/recording",
        "/groups",
        "/linkage",
        "/compliance",
        "/referrals",
        "/chart",
    ],
)
def test_pages_load_nothing_from_other_sites(supervisor: TestClient, path: str) -> None:
    page = supervisor.get(path)
    assert page.status_code == 200
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page.text)


def test_lists_go_on_page_by_page(analyst: TestClient) -> None:
    first = analyst.get("/people").text
    second = analyst.get("/people", params={"offset": 25}).text
    names = re.findall(r'<a href="/entities/([^"]+)">', first)
    later = re.findall(r'<a href="/entities/([^"]+)">', second)
    assert len(names) == 25 and later and not set(names) & set(later)
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_a_page_of_rows_knows_whether_more_follow() -> None:
    assert Page.of([1, 2, 3], 0, 2) == Page([1, 2], 0, 2, True)
    assert not Page.of([1, 2], 0, 2).has_next
    assert Page.of([1], 4, 2).has_previous


def test_line_chart_puts_higher_rates_higher() -> None:
    chart = line_chart(["2024-01", "2024-02"], {"recorded": ("c", [0.5, 1.0])}, bars=[2, 4])
    (low, high) = chart.series[0].dots
    assert high[1] < low[1]
    assert chart.bars[1].height > chart.bars[0].height


def test_static_files_are_served(world: tuple[Any, Engine]) -> None:
    visitor = TestClient(world[0], base_url=BASE)
    assert visitor.get("/static/lantern.css").status_code == 200
    assert visitor.get("/static/vendor/htmx.min.js").status_code == 200


def test_the_review_queue_names_what_a_pair_has_in_common(
    supervisor: TestClient, world: tuple[Any, Engine]
) -> None:
    from lantern.resolve import judgements
    from lantern.resolve.explain import explain

    with world[1].connect() as conn:
        queued = conn.execute(judgements.review_query()).all()
        shared = next(
            (n, row, why["in_common"])
            for n, row in enumerate(queued)
            if (why := explain(conn, row.mention_a, row.mention_b)) and why["in_common"]
        )
    n, row, things = shared
    # the page of the queue around it (a pair judged by another test moves
    # it up by one at most)
    page = supervisor.get(f"/linkage?offset={max(n - 5, 0)}").text
    assert (
        f'value="{row.mention_a}"><input type="hidden" name="mention_b" value="{row.mention_b}"'
        in page
    )
    assert f"In common: {escape('; '.join(things))}" in page
