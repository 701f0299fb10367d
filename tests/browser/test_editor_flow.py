"""An editor's day in a real browser: log in, add a meeting and a statement, find it in the API."""

import io

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from briefing.models import Meeting, Statement
from tests.browser.chromium import SCREENSHOTS, browser_page

USERNAME, PASSWORD = "eve", "curate-the-summit-42"
TITLE = "Stoltenberg and Blinken phone call on Madrid"
SLUG = "stoltenberg-and-blinken-phone-call-on-madrid-2022-06-20"
VERBATIM = "They also discussed NATO’s Open Door policy."
MISQUOTE = "They also discussed NATO’s open-door policy."


def choose(page: Page, select: str, term: str, expected: str) -> None:
    """Pick ``expected`` among the suggestions the autocomplete widget of ``select`` offers for ``term``."""
    page.locator(f"{select} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=expected).click()
    expect(page.locator(f"{select} + .select2 .select2-selection")).to_contain_text(expected)


class Steps:
    """Numbered full-page screenshots, one per step, under test-output/browser/."""

    def __init__(self, page: Page):
        self.page, self.paths = page, []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        path = SCREENSHOTS / f"{len(self.paths) + 1:02d}-{name}.png"
        path.unlink(missing_ok=True)
        self.page.screenshot(path=path, full_page=True)
        self.paths.append(path)


def test_editor_adds_a_meeting_and_a_verbatim_statement_then_finds_the_meeting_in_the_api(
    live_server, chromium, monkeypatch
):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", USERNAME, stdout=io.StringIO())
    base = live_server.url
    success = "ul.messagelist li.success"
    login, meeting_add, statement_add = (
        reverse("admin:login"),
        reverse("admin:briefing_meeting_add"),
        reverse("admin:briefing_statement_add"),
    )

    with browser_page(chromium) as page:
        steps = Steps(page)

        page.goto(f"{base}{login}?next={reverse('admin:index')}")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page).to_have_url(f"{base}{reverse('admin:index')}")
        expect(page.locator("#content")).to_contain_text("Statements")
        steps.shot("logged-in")

        page.goto(f"{base}{meeting_add}")
        page.fill("#id_title", TITLE)
        page.fill("#id_date", "2022-06-20")
        page.select_option("#id_kind", "call")
        page.fill("#id_city", "Brussels")
        expect(page.locator("#id_slug")).to_have_value(SLUG)
        choose(page, "#id_articles", "Washington", "NATO Secretary General visits Washington D.C.")
        choose(page, "#id_participations-0-official", "Stoltenberg", "Jens Stoltenberg")
        page.fill("#id_participations-0-role", "NATO Secretary General")
        choose(page, "#id_participations-1-official", "Blinken", "Antony Blinken")
        page.fill("#id_participations-1-role", "US Secretary of State")
        page.fill("#id_participations-1-position", "1")
        steps.shot("meeting-form")
        page.click("input[name=_save]")
        expect(page.locator(success)).to_contain_text("was added successfully")
        steps.shot("meeting-added")

        page.goto(f"{base}{statement_add}")
        choose(page, "#id_article", "Washington", "NATO Secretary General visits Washington D.C.")
        choose(page, "#id_speaker", "Stoltenberg", "Jens Stoltenberg")
        choose(page, "#id_meeting", "phone call Madrid", TITLE)
        page.select_option("#id_kind", "paraphrase")
        page.fill("#id_text", MISQUOTE)
        page.click("input[name=_save]")
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator(".field-text .errorlist")).to_have_text(
            f"This text does not occur verbatim in the article body: “{MISQUOTE}”. The body has its first "
            "27 characters (up to “ey also discussed NATO’s ”), then “O” (U+004F LATIN CAPITAL LETTER O) "
            "where the text has “o” (U+006F LATIN SMALL LETTER O). "
            "Quote it exactly as published (same quotes, dashes and spaces)."
        )
        steps.shot("misquote-refused")
        page.fill("#id_text", VERBATIM)
        page.click("input[name=_save]")
        expect(page.locator(success)).to_contain_text("was added successfully")
        steps.shot("statement-added")

        page.locator(f"{success} a").click()
        page.locator("a.historylink").click()
        expect(page.locator("#change-history")).to_contain_text(USERNAME)
        steps.shot("statement-history")

        # `format=json`: a browser opening an API address is otherwise sent to the reader's page.
        response = page.goto(f"{base}{reverse('meeting-list')}?search=phone+call+Madrid&format=json")
        assert response.status == 200
        found = response.json()["results"]
        steps.shot("meeting-in-api")

    assert [(m["slug"], m["title"], m["date"], m["kind"]) for m in found] == [
        (SLUG, TITLE, "2022-06-20", "call")
    ]
    assert [(p["official"]["slug"], p["role"]) for p in found[0]["participants"]] == [
        ("jens-stoltenberg", "NATO Secretary General"),
        ("antony-blinken", "US Secretary of State"),
    ]
    meeting = Meeting.objects.get(slug=SLUG)
    assert list(meeting.participations.values_list("official__slug", "role", "position")) == [
        ("jens-stoltenberg", "NATO Secretary General", 0),
        ("antony-blinken", "US Secretary of State", 1),
    ]
    statement = Statement.objects.get(meeting=meeting)
    assert (statement.text, statement.speaker.slug, statement.date) == (
        VERBATIM,
        "jens-stoltenberg",
        meeting.date,
    )
    assert statement.article.body[statement.start : statement.end] == VERBATIM
    assert statement.history.get().history_user.username == USERNAME
    assert [path.name for path in steps.paths if path.stat().st_size > 0] == [
        "01-logged-in.png",
        "02-meeting-form.png",
        "03-meeting-added.png",
        "04-misquote-refused.png",
        "05-statement-added.png",
        "06-statement-history.png",
        "07-meeting-in-api.png",
    ]
