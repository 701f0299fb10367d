"""factory_boy factories for synthetic rows (facts about the seed article come from its fixture)."""

import datetime

import factory

from briefing import services
from briefing.models import Article, Meeting, Official, Organization, Participation, Statement, Topic


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"synthetic-article-{n}")
    title = factory.Sequence(lambda n: f"Synthetic article {n}")
    published_on = datetime.date(2023, 1, 1)
    body = factory.Sequence(lambda n: f"Synthetic body {n}. The minister said the talks went well.")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    slug = factory.Sequence(lambda n: f"synthetic-official-{n}")
    name = factory.Sequence(lambda n: f"Official {n}")
    title = "Minister"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"synthetic-topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"synthetic-meeting-{n}")
    title = factory.Sequence(lambda n: f"Synthetic meeting {n}")
    date = factory.Sequence(lambda n: datetime.date(2023, 1, 1) + datetime.timedelta(days=n % 300))
    kind = Meeting.Kind.BILATERAL
    city = "Brussels"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    official = factory.SubFactory(OfficialFactory)
    role = "Minister"


def statement_for(article: Article, speaker: Official, meeting: Meeting | None = None, **extra) -> Statement:
    """A valid statement quoting the start of ``article``'s body (written like any statement)."""
    topics = extra.pop("topics", None)
    start = extra.pop("start", None)
    statement = Statement(
        article=article, speaker=speaker, meeting=meeting, kind=Statement.Kind.QUOTE,
        text=extra.pop("text", article.body.split(".")[0]), **extra,
    )  # fmt: skip
    return services.statement_save(statement=statement, topics=topics, start=start)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"synthetic-organization-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")
