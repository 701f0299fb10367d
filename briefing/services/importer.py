"""The article-fixture import: all or nothing per file, idempotent, and never over an editor's work.

A file is first checked on its own (schema; every statement a verbatim, unambiguous span of the
fixture's body, listed in body order; each meeting's participants once each; every slug named
before use or stored). It is then written in one transaction through the entity services, the
same ones the admin and the API call, under the ownership rules of ``briefing.services.ownership``:
a field changes only while the database holds what this fixture last wrote there. Rows an editor
added, changed or deleted are kept as they are, and the report lists them.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from briefing import fixture_input
from briefing.models import Article, Meeting, Membership, Official, Organization, Participation, Post, Topic
from briefing.services import meetings
from briefing.services.fixtures import FixtureError, ImportReport, fixture_read, fixture_validate
from briefing.services.import_statements import QuotedImport
from briefing.services.ownership import Ledger, merge

# The shared records a fixture names, in the order they can refer to each other.
_DIRECTORY = (
    (Organization, "organizations", {"parent": Organization}),
    (Official, "officials", {"organization": Organization}),
    (Post, "posts", {"organization": Organization}),
    (Topic, "topics", {"parent": Topic}),
)
_MEETING_FIELDS = (
    "title", "date_as_reported", "kind", "location", "city", "summary", "participants_complete", "inferred",
)  # fmt: skip


def article_import(*, path: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one article fixture file atomically and idempotently (see ``fixture_import``).

    The file is read within a size and nesting limit (``briefing.fixture_input``); its name is
    shown safely wherever it appears (messages, the report, the history reason).
    """
    return fixture_import(data=fixture_read(path), source=fixture_input.display(str(path)), dry_run=dry_run)


class _DryRun(Exception):
    """Raised inside the transaction to roll a validated dry run back."""


def fixture_import(*, data: Any, source: Path | str, dry_run: bool = False) -> ImportReport:
    """Import one parsed article fixture; raise ``FixtureError`` (and change nothing) if invalid.

    Records are matched on their slugs (participants on meeting and official, statements on
    speaker and text), so importing the same file twice changes nothing and a corrected file
    updates what it still owns. With ``dry_run`` everything is validated, then rolled back.
    """
    data = fixture_validate(data, source)
    importer = _FixtureImporter(data, source)
    importer.check()
    try:
        with transaction.atomic():
            importer.run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return importer.report


class _FixtureImporter(QuotedImport):
    """One fixture's import: checks, then upserts in dependency order, reporting each outcome."""

    def __init__(self, data: dict, source: Path | str):
        super().__init__(data, source)
        self.body = data["article"]["body"]
        self.quoted = []

    # -- the file on its own ---------------------------------------------------------------

    def check(self) -> None:
        """Refuse a file that contradicts itself, before anything is read from the database."""
        self.check_quoted()
        for i, meeting in enumerate(self.data.get("meetings", [])):
            try:
                meetings.participants_check([p["official"] for p in meeting["participants"]])
            except ValidationError as exc:
                index = exc.params["index"]
                raise FixtureError(
                    self.source, f"meetings[{i}].participants[{index}]", "official", " ".join(exc.messages)
                ) from exc

    # -- writing ---------------------------------------------------------------------------

    def run(self) -> None:
        self.ledger = Ledger(self.data["article"]["slug"])
        self._load_rows()
        for model, key, references in _DIRECTORY:
            for i, row in enumerate(self.data.get(key, [])):
                self._upsert_entry(model, f"{key}[{i}]", row, references)
        article, new_body = self._import_article()
        meeting_rows = [
            self._import_meeting(article, i, row) for i, row in enumerate(self.data.get("meetings", []))
        ]
        self._drop_meetings(article, meeting_rows)
        self._import_memberships()
        self._import_quoted(article, new_body)
        self.ledger.save()

    def _load_rows(self) -> None:
        """Read the stored rows of every slug the file names: one query per model."""
        data = self.data
        meeting_rows, statement_rows = data.get("meetings", []), data["statements"]
        named = {
            Organization: [r.get(k) for r in data.get("organizations", []) for k in ("slug", "parent")]
            + [r.get("organization") for key in ("officials", "posts") for r in data.get(key, [])],
            Official: [r["slug"] for r in data.get("officials", [])]
            + [p["official"] for m in meeting_rows for p in m["participants"]]
            + [s["speaker"] for s in statement_rows]
            + [r["official"] for key in ("mentions", "memberships") for r in data.get(key, [])],
            Post: [r["slug"] for r in data.get("posts", [])]
            + [r["post"] for r in data.get("memberships", [])]
            + [p.get("post") for m in meeting_rows for p in m["participants"]],
            Topic: [r.get(k) for r in data.get("topics", []) for k in ("slug", "parent")]
            + [t for r in (*meeting_rows, *statement_rows) for t in r.get("topics", [])],
            Meeting: [m["slug"] for m in meeting_rows] + [s.get("meeting") for s in statement_rows],
        }
        querysets = {Meeting: Meeting.objects.prefetch_related("topics", "articles", "participations")}
        self.rows = {
            model: querysets.get(model, model.objects.all()).in_bulk(
                {slug for slug in slugs if slug}, field_name="slug"
            )
            for model, slugs in named.items()
        }

    def _upsert_entry(self, model: type[models.Model], record: str, row: dict, references: dict) -> None:
        """An organization, official or topic: created, or merged with what the fixture owns."""
        wanted = {name: value for name, value in row.items() if name != "slug"}
        for name, target in references.items():
            if name in wanted:
                wanted[name] = self._ref(target, wanted[name], record, name)
        obj = self._upsert(model, record, row["slug"], self.rows[model].get(row["slug"]), wanted)
        if obj is not None:
            self.rows[model][row["slug"]] = obj

    def _import_article(self) -> tuple[Article, str | None]:
        """The article's fields; a body the import owns and changes is returned, to apply later."""
        row = dict(self.data["article"])
        slug = row.pop("slug")
        row["published_on"] = self._date(row.get("published_on"), "article", "published_on")
        existing = Article.objects.filter(slug=slug).first()
        if existing is None:
            article = self._upsert(Article, "article", slug, None, row)
            return article, None
        wanted = {name: value for name, value in row.items() if name != "body"}
        body_merge = merge(
            current={"body": existing.body},
            wanted={"body": row["body"]},
            base=entry.values if (entry := self.ledger.get(Article, slug)) else None,
            links=set(),
        )
        if "body" in body_merge.kept:
            self.report.keep("article.body", "as an editor changed it (the fixture's body is not applied)")
        # A changed body is the fixture's once it is applied (``_move_body``), not before.
        body_baseline = {k: v for k, v in body_merge.baseline.items() if "body" not in body_merge.changed}
        self._upsert(Article, "article", slug, existing, wanted, extra_baseline=body_baseline)
        return existing, row["body"] if "body" in body_merge.changed else None

    def _import_meeting(self, article: Article, i: int, row: dict) -> Meeting | None:
        record = f"meetings[{i}]"
        wanted = {name: row[name] for name in _MEETING_FIELDS if name in row}
        when = self._partial_date(row["date"], record, "date")
        wanted["date"], wanted["date_precision"] = when.start, when.precision
        wanted["topics"] = [
            self._ref(Topic, slug, f"{record}.topics[{j}]") for j, slug in enumerate(row.get("topics", []))
        ]
        wanted["articles"] = [article]
        meeting = self._upsert(Meeting, record, row["slug"], self.rows[Meeting].get(row["slug"]), wanted)
        if meeting is None:
            return None
        self.rows[Meeting][row["slug"]] = meeting
        self._import_participants(meeting, record, row)
        meetings.statements_follow_date(meeting=meeting, reason=self.reason)
        return meeting

    def _import_participants(self, meeting: Meeting, record: str, row: dict) -> None:
        existing = {p.official_id: p for p in meeting.participations.all()}
        listed = set()
        for j, entry in enumerate(row["participants"]):
            where = f"{record}.participants[{j}]"
            official = self._ref(Official, entry["official"], where, "official")
            if official is None:
                continue
            listed.add(official.pk)
            key = f"{row['slug']}/{entry['official']}"
            wanted = {"role": entry["role"], "position": j}
            if "post" in entry:
                wanted["post"] = self._ref(Post, entry["post"], where, "post")
            stored = existing.get(official.pk)
            if stored is None and self.ledger.get(Participation, key) is None:
                stored = Participation(meeting=meeting, official=official)
            self._upsert(Participation, where, key, stored, wanted, deleted_note="removed by an editor")
        owned = self.ledger.owned_ids(Participation)
        for official_id, participation in existing.items():
            if official_id not in listed:
                self._drop(
                    Participation, participation, owned.get(participation.pk), f"{record}.participants"
                )

    def _import_memberships(self) -> None:
        """Dated holdings of posts, known by official, post and first day."""
        for i, row in enumerate(self.data.get("memberships", [])):
            record = f"memberships[{i}]"
            official = self._ref(Official, row["official"], record, "official")
            post = self._ref(Post, row["post"], record, "post")
            if official is None or post is None:
                continue
            start = self._date(row.get("start_date"), record, "start_date")
            wanted = {
                "end_date": self._date(row.get("end_date"), record, "end_date"),
                "source": row.get("source", ""),
            }
            key = f"{row['official']}/{row['post']}/{row.get('start_date') or ''}"
            stored = Membership.objects.filter(official=official, post=post, start_date=start).first()
            if stored is None and self.ledger.get(Membership, key) is None:
                stored = Membership(official=official, post=post, start_date=start)
            self._upsert(Membership, record, key, stored, wanted)

    def _drop_meetings(self, article: Article, kept: list[Meeting | None]) -> None:
        """Unlink this article from owned meetings the fixture no longer reports."""
        owned = self.ledger.owned_ids(Meeting)
        listed = {m.pk for m in kept if m is not None}
        for meeting in article.meetings.exclude(pk__in=listed).prefetch_related("articles"):
            entry = owned.get(meeting.pk)
            if entry is None or article.pk not in entry.values.get("articles", []):
                continue  # an editor linked it: theirs
            links = [a for a in meeting.articles.all() if a.pk != article.pk]
            meetings.meeting_save(meeting=meeting, articles=links, reason=self.reason)
            self.ledger.forget(Meeting, entry.key)
            self.report.add(Meeting, "updated")
