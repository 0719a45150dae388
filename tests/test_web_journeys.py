"""The main journeys through the workspace in a real browser: Debian's
chromium, headless, driven by Playwright, against the real app served by
uvicorn on a loopback port, on the simulated demo town. Every journey fails
if a page asks for anything from another host, and saves its screenshots to
``docs/screenshots/``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web_support import Town, build_town, serving

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    return build_town(tmp_path_factory.getbasetemp() / "web-town")


@pytest.fixture(scope="module")
def site(town: Town, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = town.copy_to(tmp_path_factory.mktemp("web-journeys"))
    with serving(copy.url) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Journey:
    """One browser context: a person at a laptop. Records any request that
    leaves the machine (and refuses it)."""

    def __init__(self, browser: object, base: str) -> None:
        self.base = base
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
        self.context.route("**/*", self._only_loopback)
        self.page = self.context.new_page()

    def _only_loopback(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sign_in(self, town: Town, username: str, *, start: str = "/") -> None:
        self.go(start)
        self.page.fill("#username", username)
        self.page.fill("#password", town.passwords[username])
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("domcontentloaded")

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"pages asked for other hosts: {self.outside}"


@pytest.fixture
def journey(browser: object, site: str) -> Iterator[Journey]:
    j = Journey(browser, site)
    yield j
    j.close()


def test_signing_in_leads_to_what_needs_attention(journey: Journey, town: Town) -> None:
    journey.go("/people")
    expect = playwright_api.expect
    expect(journey.page).to_have_url(re.compile(r"/login\?next="))
    journey.shot("01-login")
    journey.page.fill("#username", "sam.supervisor")
    journey.page.fill("#password", town.passwords["sam.supervisor"])
    journey.page.click("button[type=submit]")
    expect(journey.page).to_have_url(re.compile(r"/people$"))
    journey.go("/")
    expect(journey.page.get_by_role("heading", name="Needs attention now")).to_be_visible()
    expect(journey.page.locator(".badge.clock").first).to_be_visible()
    journey.shot("02-home")


def test_find_a_child_from_the_demo_town(journey: Journey, town: Town) -> None:
    expect = playwright_api.expect
    journey.sign_in(town, "ana.analyst")
    name = town.child_at_risk()
    journey.go("/search")
    journey.page.get_by_label("Search for").fill(name)
    journey.page.keyboard.press("Enter")
    expect(journey.page.get_by_role("heading", name="People")).to_be_visible()
    journey.shot("03-search")
    journey.page.locator("section[aria-labelledby=h-person] table a").first.click()
    expect(journey.page.get_by_role("heading", name="Chronology across agencies")).to_be_visible()
    expect(journey.page.locator("mark.span.focus").first).to_be_visible()
    journey.shot("04-person")


def test_open_the_link_chart_expand_and_export(journey: Journey, town: Town) -> None:
    expect = playwright_api.expect
    journey.sign_in(town, "ana.analyst")
    journey.go(f"/people?q={town.child_at_risk()}")
    journey.page.locator("table a[href^='/entities/']").first.click()
    journey.page.get_by_role("link", name="Open the link chart").click()
    chart = journey.page.locator("#chart")
    expect(chart).to_have_attribute("data-nodes", re.compile(r"^[2-9]|^\d\d"))
    before = int(chart.get_attribute("data-nodes") or 0)
    neighbour = journey.page.evaluate("() => window.lanternChart.nodes('[!seed]')[0].id()")
    # A click (tap) on a node draws its links.
    journey.page.evaluate(f"() => window.lanternChart.getElementById('{neighbour}').emit('tap')")
    journey.page.wait_for_function(f"() => window.lanternChartExpanded.has('{neighbour}')")
    # The same by keyboard: choose a node in the list and press Expand.
    picker = journey.page.get_by_label("Draw the links of")
    other = picker.locator("option").first.get_attribute("value") or ""
    assert other and other != neighbour
    picker.select_option(other)
    journey.page.get_by_role("button", name="Expand", exact=True).click()
    journey.page.wait_for_function(f"() => window.lanternChartExpanded.has('{other}')")
    expect(chart).to_have_attribute("data-nodes", re.compile(r"\d+"))
    assert int(chart.get_attribute("data-nodes") or 0) >= before
    journey.page.get_by_role("button", name="Export as PNG").click()
    download = journey.page.locator("#download-png")
    expect(download).to_be_visible()
    assert (download.get_attribute("href") or "").startswith("data:image/png;base64,")
    journey.shot("05-link-chart")


def test_raise_and_complete_an_action(journey: Journey, town: Town) -> None:
    expect = playwright_api.expect
    journey.sign_in(town, "sam.supervisor")
    journey.go("/tasks")
    journey.page.get_by_text("Raise an action").click()
    journey.page.get_by_label("What must be done").fill(
        "Trace the silver Astra seen at the takeaway"
    )
    journey.page.get_by_label("Priority").select_option("high")
    journey.page.get_by_label("Owner (user name)").fill("sam.supervisor")
    journey.page.get_by_role("button", name="Raise action").click()
    expect(journey.page.locator("#action-status")).to_have_text("allocated")
    journey.page.get_by_label("Result: what was done").fill("Keeper traced; address visited.")
    journey.page.get_by_role("button", name="Record the result").click()
    expect(journey.page.locator("#action-status")).to_have_text("resulted")
    journey.page.get_by_role("button", name="Accept the result").click()
    expect(journey.page.locator("#action-status")).to_have_text("reviewed")
    journey.shot("06-action")


def test_record_a_crime_from_the_queue(journey: Journey, town: Town) -> None:
    expect = playwright_api.expect
    journey.sign_in(town, "ian.investigator", start="/recording")
    first = journey.page.locator("ol.chronology > li").first
    key = first.locator(".meta strong").inner_text()
    expect(first.locator(".badge.clock")).to_be_visible()
    journey.shot("07-recording-queue")
    first.get_by_label("Crime reference").fill("CB/0042/26")
    first.get_by_role("button", name="Record the crime").click()
    expect(journey.page.get_by_role("status")).to_contain_text("Crime recorded")
    expect(journey.page.locator("ol.chronology .meta strong", has_text=key)).to_have_count(0)
    journey.go("/recording?view=decided")
    expect(journey.page.locator("ol.chronology > li", has_text=key)).to_contain_text("CB/0042/26")
    journey.shot("08-crime-recorded")


def test_partner_referral_and_its_feedback(browser: object, site: str, town: Town) -> None:
    expect = playwright_api.expect
    partner = Journey(browser, site)
    police = Journey(browser, site)
    try:
        partner.sign_in(town, "rita.referrer", start="/referrals/new")
        partner.page.get_by_label("Child's name (if known)").fill("Jade")
        partner.page.get_by_label("Age").fill("14")
        partner.page.get_by_label("What happened").fill(
            "Jade told me an older man collects her from school in a silver car and gives her vodka."
        )
        partner.shot("09-referral-form")
        partner.page.get_by_role("button", name="Send the referral").click()
        expect(partner.page.locator("#referral-status")).to_have_text("received")
        reference = partner.page.get_by_role("heading").first.inner_text().removeprefix("Referral ")

        police.sign_in(town, "sam.supervisor", start=f"/reports/rmbc-social-care/{reference}")
        police.page.get_by_label("Message to rmbc-social-care").fill(
            "Thank you. A strategy discussion is booked and an officer is assigned."
        )
        police.page.get_by_role("button", name="Send to the referrer").click()
        expect(police.page.get_by_role("status")).to_contain_text("will see your message")

        partner.page.reload()
        expect(partner.page.locator("#referral-messages")).to_contain_text("strategy discussion")
        expect(partner.page.locator("#referral-status")).to_have_text("assessed")
        partner.shot("10-referral-feedback")
    finally:
        partner.close()
        police.close()


def test_public_report_flags_a_phrase_with_its_suggestion(journey: Journey) -> None:
    expect = playwright_api.expect
    journey.go("/report-a-concern")
    journey.page.get_by_label("What you have seen or heard").press_sequentially(
        "A girl of about 14 from the estate is putting herself at risk with men in cars.", delay=5
    )
    flag = journey.page.locator(".language-flag").first
    expect(flag).to_contain_text("putting herself at risk")
    suggestion = flag.inner_text().split(":", 1)[1].strip()
    assert suggestion, "the flag carries its suggested wording"
    journey.shot("11-public-language-helper")
    journey.page.get_by_label("I want to stay anonymous").check()
    journey.page.get_by_role("button", name="Send").click()
    expect(journey.page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(journey.page.get_by_role("status")).to_contain_text("reference is WEB-")
