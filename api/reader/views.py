"""The reader's pages: thin views over ``briefing.reading``, the dossiers and the API's selection.

Each view loads one page kind's rows (a fixed number of queries), hands them to the
presentation layer and renders a template; bad query parameters get a 400 page listing the
same errors the API would answer, and an unknown slug a 404 page.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from api import views as api_views
from api.exceptions import problem_exception_handler
from api.reader import present
from api.reader.listing import listing
from briefing import dossiers, reading
from briefing.models import Article, Meeting, Official, Topic

LATEST_MEETINGS = 5


def home(request: HttpRequest) -> HttpResponse:
    """What this is, where everything is, and the latest meetings."""
    meetings = [present.meeting_row(m) for m in reading.latest_meetings(LATEST_MEETINGS)]
    return render(request, "reader/home.html", {"meetings": meetings})


def _list_page(request, template: str, viewset_class, shape, row, *, api_list: str, facets: bool = False):
    """A list page: the API's selection of the collection, or a 400 page for a bad query."""
    context = {"api_url": _api_url(api_list, request)}
    if facets:
        context["csv_url"] = _api_url(api_list, request, "csv")
    try:
        page = listing(request, viewset_class, shape, api_path=reverse(api_list), facets=facets)
    except ValidationError as exc:
        problem = problem_exception_handler(exc, {}).data
        return render(request, "reader/bad_query.html", {"problem": problem, **context}, status=400)
    return render(
        request,
        template,
        {
            "listing": page,
            "rows": [row(item) for item in page.items],
            "orderings": present.ordering_choices(page.ordering_choices),
            **context,
        },
    )


def _api_url(name: str, request: HttpRequest, format: str = "json") -> str:
    """The API address answering the same query as this page, in ``format`` (json or csv)."""
    query = request.GET.copy()
    if format == "csv":
        # An export holds every selected row, not a page.
        query.pop("cursor", None)
    query["format"] = format
    return f"{reverse(name)}?{query.urlencode()}"


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings, filtered and faceted as `/meetings/` is."""
    return _list_page(
        request,
        "reader/meeting_list.html",
        api_views.MeetingViewSet,
        reading.meeting_rows,
        present.meeting_row,
        api_list="meeting-list",
        facets=True,
    )


def statement_list(request: HttpRequest) -> HttpResponse:
    """Statement search, filtered and faceted as `/statements/` is."""
    return _list_page(
        request,
        "reader/statement_list.html",
        api_views.StatementViewSet,
        reading.statement_rows,
        present.statement_view,
        api_list="statement-list",
        facets=True,
    )


def official_list(request: HttpRequest) -> HttpResponse:
    """Officials, filtered as `/officials/` is."""
    return _list_page(
        request,
        "reader/official_list.html",
        api_views.OfficialViewSet,
        reading.official_rows,
        present.official_view,
        api_list="official-list",
    )


def article_list(request: HttpRequest) -> HttpResponse:
    """Source articles, filtered as `/articles/` is."""
    return _list_page(
        request,
        "reader/article_list.html",
        api_views.ArticleViewSet,
        reading.article_rows,
        present.article_view,
        api_list="article-list",
    )


def topic_list(request: HttpRequest) -> HttpResponse:
    """The whole topic hierarchy, with how often each topic was tagged."""
    tree = present.topic_tree(reading.topic_tree_rows())
    return render(request, "reader/topic_list.html", {"tree": tree, "api_url": reverse("topic-list")})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A meeting: participants and roles, topics, sources, and who said what (its briefing)."""
    meeting = Meeting.objects.only("pk").filter(slug=slug).first()
    if meeting is None:
        return not_found(request)
    page = present.meeting_page(reading.meeting_page(meeting))
    return render(request, "reader/meeting_detail.html", {"page": page})


def official_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An official's briefing: roles held, meetings with counterparts, statements by topic."""
    official = Official.objects.select_related("organization").filter(slug=slug).first()
    if official is None:
        return not_found(request)
    page = present.official_page(dossiers.official_dossier(official))
    return render(request, "reader/official_detail.html", {"page": page})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's briefing: sub-topics, meetings by date, and each official's statements on it."""
    topic = Topic.objects.select_related("parent").filter(slug=slug).first()
    if topic is None:
        return not_found(request)
    page = present.topic_page(dossiers.topic_dossier(topic))
    return render(request, "reader/topic_detail.html", {"page": page})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An article's body with every statement's span highlighted, and its statements in order."""
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        return not_found(request)
    page = present.article_page(reading.article_page(article))
    return render(request, "reader/article_detail.html", {"page": page})


def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A statement is read in its article: a redirect to its highlighted span there."""
    statement = reading.statement_article(pk)
    if statement is None:
        return not_found(request)
    return redirect(f"{reverse('reader:article-detail', args=[statement.article.slug])}#statement-{pk}")


def not_found_page(request: HttpRequest) -> HttpResponse:
    """Any other address under /read/: the reader's 404 page."""
    return not_found(request)


def not_found(request: HttpRequest) -> HttpResponse:
    """The reader's 404 page (the site's own 404 handler answers API clients with a problem)."""
    return render(request, "reader/not_found.html", {"path": request.path}, status=404)
