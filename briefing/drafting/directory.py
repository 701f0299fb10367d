"""What the database already knows that a draft can refer to, read once and only read.

Officials with their names, aliases and titles (their own title and the labels of the posts they
held), organizations, posts and the topic vocabulary. A draft refers to these by slug, so an
editor's import links the new article to the records already published.
"""

import re
from dataclasses import dataclass, field

from briefing.drafting.lexicon import NAME_SUFFIXES


@dataclass
class Person:
    """An official a draft can name: one already stored, or one proposed by this draft."""

    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    stored: bool = False
    organization: str | None = None  # an organization slug
    stored_titles: list[str] = field(default_factory=list)  # the official's title and post labels
    posts: list[tuple[str, str]] = field(default_factory=list)  # (post slug, label), latest first
    # What this article says of them (filled while drafting).
    article_titles: list[str] = field(default_factory=list)
    qualifiers: set[str] = field(default_factory=set)
    printed_names: list[str] = field(default_factory=list)
    honorifics: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases, *self.printed_names]

    @property
    def surnames(self) -> set[str]:
        return {core_tokens(n)[-1] for n in self.names if core_tokens(n)}

    @property
    def given_names(self) -> set[str]:
        return {core_tokens(n)[0] for n in self.names if len(core_tokens(n)) > 1}


@dataclass
class Directory:
    """The stored records a draft can point at."""

    people: list[Person]
    organizations: dict[str, dict]  # slug -> {name, abbreviation}
    topics: list[dict]  # {slug, name, description}
    official_slugs: set[str]
    post_slugs: set[str]
    meeting_slugs: set[str]
    organization_slugs: set[str]
    topic_slugs: set[str]


def core_tokens(name: str) -> list[str]:
    """A name's words without initials, suffixes and periods: `Lloyd J. Austin III` → [Lloyd, Austin]."""
    words = [w.strip(".,") for w in name.split()]
    return [w for w in words if w and w not in NAME_SUFFIXES and not re.fullmatch(r"[A-Z]", w)]


def load_directory() -> Directory:
    """Read the database's officials, organizations, posts and topics (read-only, a few queries)."""
    from briefing.models import Meeting, Membership, Official, Organization, Post, Topic

    organizations = {o["slug"]: o for o in Organization.objects.values("slug", "name", "abbreviation")}
    people: dict[int, Person] = {}
    org_slug_by_id = dict(Organization.objects.values_list("id", "slug"))
    for row in Official.objects.values("id", "slug", "name", "aliases", "title", "organization_id"):
        people[row["id"]] = Person(
            slug=row["slug"],
            name=row["name"],
            aliases=[a for a in row["aliases"] or [] if isinstance(a, str)],
            stored=True,
            organization=org_slug_by_id.get(row["organization_id"]),
            stored_titles=[row["title"]] if row["title"] else [],
        )
    memberships = Membership.objects.select_related("post").order_by("official_id", "-start_date", "-id")
    for m in memberships:
        person = people.get(m.official_id)
        if person is not None:
            person.stored_titles.append(m.post.label)
            person.posts.append((m.post.slug, m.post.label))
    topics = list(Topic.objects.order_by("slug").values("slug", "name", "description"))
    return Directory(
        people=sorted(people.values(), key=lambda p: p.slug),
        organizations=organizations,
        topics=topics,
        official_slugs={p.slug for p in people.values()},
        post_slugs=set(Post.objects.values_list("slug", flat=True)),
        meeting_slugs=set(Meeting.objects.values_list("slug", flat=True)),
        organization_slugs=set(organizations),
        topic_slugs={t["slug"] for t in topics},
    )
