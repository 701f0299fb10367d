"""An editor drafts an article from its text, reviews every proposed item and publishes it."""

import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from briefing import drafting
from briefing.models import Article, Draft, Statement
from tests.browser.chromium import SCREENSHOTS, browser_page
from tests.gold import GOLD

USERNAME, PASSWORD = "rita", "review-the-draft-42"
# A constructed article of the gold set (fictional people and places).
TEXT = (GOLD / "marisca-teravia-ferry-call-2022.txt").read_text(encoding="utf-8")
PUBLISHED_ON = "2022-11-30"
SHOTS = SCREENSHOTS / "drafts"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_editor_drafts_rejects_one_quotation_corrects_a_speaker_and_publishes(
    live_server, chromium, monkeypatch
):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", USERNAME, stdout=io.StringIO())
    # What the drafter will propose (deterministic), read before the browser opens.
    title, body = drafting.read_article_text(TEXT.encode())
    proposal = drafting.draft_fixture(
        title=title, body=body, published_on=datetime.date.fromisoformat(PUBLISHED_ON)
    )
    proposed = proposal["statements"]
    officials = {o["slug"]: o["name"] for o in proposal["officials"]}
    corrected_to = next(slug for slug in officials if slug != proposed[1]["speaker"])
    slug = proposal["article"]["slug"]
    base = live_server.url

    with browser_page(chromium) as page:
        page.goto(f"{base}{reverse('admin:login')}?next={reverse('admin:briefing_draft_add')}")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.fill("#id_text", TEXT)
        page.fill("#id_published_on", PUBLISHED_ON)
        shot(page, "01-text")
        page.click("input[name=_draft]")

        expect(page.locator("ul.messagelist li.success")).to_contain_text(
            f"{len(proposed)} statements to review"
        )
        expect(page.locator("#draft-body mark.draft-quote")).to_have_count(len(proposed))
        expect(page.locator("#quote-1")).to_contain_text(proposed[0]["text"])
        expect(page.locator("#draft-statements tbody tr")).to_have_count(len(proposed))
        before_publishing = page.request.get(f"{base}/articles/{slug}/?format=json").status
        shot(page, "02-review")

        page.check("#statement-1 input[value=reject]")
        page.select_option("#statement-2 select[name=statement_1_speaker]", corrected_to)
        page.click("input[name=_save]")
        expect(page.locator("ul.messagelist li.success")).to_have_text("Decisions saved.")
        expect(page.locator("#undecided-count")).to_have_text(
            str(len(proposed) - 2 + len(proposal["meetings"]))
        )

        page.click("input[name=_publish]")
        expect(page.locator("ul.messagelist li.error")).to_contain_text("Decide every item before publishing")
        shot(page, "03-undecided")

        page.click("input[name=_accept_rest]")
        page.click("input[name=_publish]")
        expect(page.locator("ul.messagelist li.success")).to_contain_text(f"Published “{title}”")
        shot(page, "04-published")
        public = page.request.get(f"{base}/articles/{slug}/?format=json")
        public_status = public.status

    assert before_publishing == 404
    assert public_status == 200
    draft = Draft.objects.get(article__slug=slug)
    assert (draft.status, draft.reviewed_by.username) == (Draft.Status.PUBLISHED, USERNAME)
    statements = list(Statement.objects.filter(article__slug=slug).order_by("start"))
    assert [s.text for s in statements] == [s["text"] for s in proposed[1:]]
    assert statements[0].speaker.slug == corrected_to
    article = Article.objects.get(slug=slug)
    assert all(article.body[s.start : s.end] == s.text for s in statements)
