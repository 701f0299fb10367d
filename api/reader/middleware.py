"""Browsers that open an API address are sent to the reader's page for it.

A request whose ``Accept`` prefers ``text/html`` to every format the API serves (what a browser
sends when a person follows a link or types an address) gets ``303 See Other`` to the reader
page showing the same thing: ``/`` to ``/read/``, ``/meetings/?topic=x`` to
``/read/meetings/?topic=x``, ``/officials/{slug}/`` to ``/read/officials/{slug}/``. JSON
clients (``*/*``, ``application/json``, no ``Accept``) and anyone naming ``?format=`` get the
API's answer, byte for byte as before. Both answers carry ``Vary: Accept``, so a cache never
gives one client's representation to the other; the HTML itself lives only under ``/read/``.
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

# API route name -> reader route name; both take the same keyword arguments (slug or pk).
READER_PAGES = {
    "api-root": "reader:home",
    "meeting-list": "reader:meeting-list",
    "meeting-detail": "reader:meeting-detail",
    "meeting-briefing": "reader:meeting-detail",
    "official-list": "reader:official-list",
    "official-detail": "reader:official-detail",
    "official-briefing": "reader:official-detail",
    "topic-list": "reader:topic-list",
    "topic-detail": "reader:topic-detail",
    "topic-briefing": "reader:topic-detail",
    "statement-list": "reader:statement-list",
    "statement-detail": "reader:statement-detail",
    "article-list": "reader:article-list",
    "article-detail": "reader:article-detail",
}

# Everything those routes can answer; HTML must be preferred to all of them. On a tie (`*/*`)
# the first wins, so JSON stays the default.
OFFERED = ["application/json", "text/csv", "text/markdown", "text/html"]


class BrowserToReaderMiddleware:
    """Redirect browsers from API addresses to reader pages; mark those addresses `Vary: Accept`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if getattr(request, "_reader_page", None) is not None:
            patch_vary_headers(response, ["Accept"])
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        """The redirect for a browser's GET of an API address that has a reader page, else None."""
        match = request.resolver_match
        page = READER_PAGES.get(match.url_name) if match and not match.namespace else None
        if page is None or "format" in view_kwargs:
            return None
        request._reader_page = page
        if request.method not in ("GET", "HEAD") or "format" in request.GET:
            return None
        if request.get_preferred_type(OFFERED) != "text/html":
            return None
        query = request.GET.urlencode()
        target = reverse(page, kwargs=view_kwargs)
        return HttpResponseRedirect(f"{target}?{query}" if query else target, status=303)
