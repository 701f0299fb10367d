"""A person reading the briefings in Debian's chromium, on the servers the README documents.

One tour visits every page kind of the reader (and the two API documentation pages), the way a
person does: from a browser's first visit to ``/``, through links, facets and the search form.
Each page is screenshot under ``test-output/reader/<server>/``, checked with axe-core (no serious
or critical violation on a reader page) and has every request it made recorded: none may leave
127.0.0.1. ``report.json`` next to the screenshots sums it up per page.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.chromium import browser_page
from tests.browser.servers import Database, axe_script, start
from tests.processes import HOST, request

# The servers have databases of their own; the mark only lets this directory's fixtures seed the
# suite's test database as they do for every module here.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SHOTS = Path(settings.BASE_DIR) / "test-output" / "reader"
ARTICLE = "nato-secretary-general-visits-washington-2022"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's script (tests/browser/package-lock.json); skips when npm is not installed."""
    script = axe_script()
    if script is None:
        pytest.skip("npm is not installed: axe-core cannot be installed (apt-get install npm)")
    return script.read_text()


@pytest.fixture(params=["runserver", "gunicorn"])
def site(request, tmp_path):
    """The site served by `make run`'s development server or by gunicorn, on a database of its own."""
    database = Database.create(tmp_path, request.param)
    try:
        server = start(request.param, database=database, root=tmp_path)
        try:
            yield request.param, server
        finally:
            server.stop()
    finally:
        database.drop()


def is_local(url: str) -> bool:
    """Whether a request stays on this machine's loopback (or never leaves the browser)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "about"):
        return True
    if parts.scheme == "blob":
        return urlsplit(url[len("blob:") :]).hostname == HOST
    return parts.hostname == HOST


@dataclass
class Visit:
    """A page looked at: where, what it requested, and what axe-core found."""

    name: str
    url: str
    audited: bool
    requests: list[str]
    violations: list[dict] = field(default_factory=list)

    def by_impact(self) -> dict[str, int]:
        """Violations counted by impact (minor, moderate, serious, critical)."""
        return dict(Counter(v["impact"] for v in self.violations))


class Tour:
    """The pages a person looks at: each is screenshot, audited with axe-core, its requests kept."""

    def __init__(self, page: Page, axe: str, shots: Path, requests: list[str]):
        self.page, self.axe, self.shots, self.requests = page, axe, shots, requests
        self.visits: list[Visit] = []
        self._seen = 0
        shots.mkdir(parents=True, exist_ok=True)

    def look(self, name: str, *, audited: bool = True) -> Visit:
        """Screenshot the page, run axe-core on it, and keep the requests made since the last look."""
        self.page.wait_for_load_state("networkidle")
        path = self.shots / f"{len(self.visits) + 1:02d}-{name}.png"
        path.unlink(missing_ok=True)
        # The documentation pages are very long; their first screen shows they rendered.
        self.page.screenshot(path=path, full_page=audited)
        self.page.add_script_tag(content=self.axe)
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
            for v in result["violations"]
        ]
        visit = Visit(name, self.page.url, audited, self.requests[self._seen :], violations)
        self._seen = len(self.requests)
        self.visits.append(visit)
        return visit

    def report(self) -> dict:
        """Per page: its address, how many requests it made (and any not local), axe-core's findings."""
        return {
            visit.name: {
                "url": visit.url,
                "requests": len(visit.requests),
                "external": [url for url in visit.requests if not is_local(url)],
                "requested": visit.requests,
                "axe": visit.by_impact(),
                "audited": visit.audited,
                "violations": visit.violations,
            }
            for visit in self.visits
        }


HIGHLIGHTED = """() => {
  const found = {};
  for (const mark of document.querySelectorAll("mark[data-statements]")) {
    for (const id of mark.dataset.statements.split(" ")) found[id] = (found[id] || "") + mark.textContent;
  }
  return found;
}"""


def result_count(page: Page, selector: str) -> int:
    return page.locator(f"section[aria-labelledby=results] {selector}").count()


def test_a_reader_visits_every_page_kind_with_nothing_from_another_host_and_no_serious_axe_violation(
    site, chromium, axe
):
    kind, server = site
    base = server.base_url
    article = request(
        server.port, "GET", f"/articles/{ARTICLE}/", headers={"Accept": "application/json"}
    ).json()
    search = request(server.port, "GET", "/statements/?search=Finland&speaker=antony-blinken").json()

    with browser_page(chromium) as page:
        requests: list[str] = []
        page.context.on("request", lambda r: requests.append(r.url))
        # Anything bound elsewhere fails at once (and stays recorded) instead of waiting on a timeout.
        page.context.route(
            "**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort()
        )
        tour = Tour(page, axe, SHOTS / kind, requests)

        page.goto(f"{base}/")
        expect(page).to_have_url(f"{base}/read/")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text("Skip to the content")
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        tour.look("home")

        page.get_by_role("navigation", name="Collections").get_by_role("link", name="Meetings").click()
        expect(page.locator("h1")).to_have_text("Meetings")
        everything = result_count(page, "article.meeting")
        tour.look("meetings")
        page.locator("section[aria-labelledby=facet-official] a", has_text="Lloyd J. Austin III").click()
        expect(page).to_have_url(f"{base}/read/meetings/?official=lloyd-austin")
        assert 0 < result_count(page, "article.meeting") < everything
        tour.look("meetings-narrowed")

        page.locator("section[aria-labelledby=results] article.meeting h3 a").first.click()
        expect(page.locator("h2#participants")).to_be_visible()
        expect(page.locator("h2#briefing")).to_have_text("Briefing: who said what")
        tour.look("meeting")

        page.locator("section[aria-labelledby=participants] a", has_text="Lloyd J. Austin III").click()
        expect(page.locator("h1")).to_have_text("Lloyd J. Austin III")
        tour.look("official")

        page.get_by_role("navigation", name="Collections").get_by_role("link", name="Officials").click()
        expect(page.locator("table")).to_contain_text("Jens Stoltenberg")
        tour.look("officials")

        page.get_by_role("navigation", name="Collections").get_by_role("link", name="Topics").click()
        tour.look("topics")
        page.get_by_role("link", name="NATO enlargement", exact=True).click()
        expect(page.locator("h1")).to_have_text("NATO enlargement")
        tour.look("topic")

        page.get_by_role("navigation", name="Collections").get_by_role("link", name="Statements").click()
        page.get_by_label("Search what was said").fill("Finland")
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_url(f"{base}/read/statements/?search=Finland&ordering=")
        tour.look("statement-search")
        page.locator("section[aria-labelledby=facet-speaker] a", has_text="Antony Blinken").click()
        expect(page.locator("section.active-filters")).to_contain_text("Speaker: Antony Blinken")
        assert result_count(page, "article.statement") == len(search["results"])
        tour.look("statement-search-narrowed")

        page.get_by_role("navigation", name="Collections").get_by_role("link", name="Articles").click()
        tour.look("articles")
        page.get_by_role("link", name=article["title"]).click()
        expect(page.locator("h1")).to_have_text(article["title"])
        highlighted = page.evaluate(HIGHLIGHTED)
        tour.look("article")
        first = article["statements"][0]
        page.locator(f"#ref-{first['id']} a[href='#statement-{first['id']}']").click()
        expect(page).to_have_url(f"{base}/read/articles/{ARTICLE}/#statement-{first['id']}")
        expect(page.locator(f"#statement-{first['id']}")).to_be_in_viewport()
        page.locator(f"#statement-{first['id']}").get_by_role(
            "link", name=first["speaker"]["name"], exact=True
        ).click()
        expect(page.locator("h1")).to_have_text(first["speaker"]["name"])

        page.goto(f"{base}/read/statements/?speaker=nobody")
        expect(page.locator("h1")).to_have_text("The query needs a change")
        tour.look("bad-query")
        page.goto(f"{base}/read/no-such-page/")
        expect(page.locator("h1")).to_have_text("Not found")
        tour.look("not-found")

        page.goto(f"{base}/redoc/")
        expect(page.locator("h1", has_text="Summit Briefing API")).to_be_visible(timeout=30_000)
        expect(page.locator("img[src*='redoc.ly']")).to_have_count(0)
        tour.look("redoc", audited=False)
        page.goto(f"{base}/docs/")
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
        tour.look("swagger-ui", audited=False)

    report = tour.report()
    (SHOTS / kind / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    assert [url for url in requests if not is_local(url)] == []
    assert {
        name: [v["id"] for v in page["violations"] if v["impact"] in BLOCKING]
        for name, page in report.items()
        if page["audited"]
    } == {name: [] for name, page in report.items() if page["audited"]}
    assert highlighted == {
        str(s["id"]): article["body"][s["start"] : s["end"]] for s in article["statements"]
    }
    assert all((SHOTS / kind / f"{n:02d}-{name}.png").stat().st_size > 0 for n, name in enumerate(report, 1))
