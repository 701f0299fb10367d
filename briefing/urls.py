"""Site URLs: the Django admin, the reader's pages under /read/, and the API at the site root."""

from django.contrib import admin
from django.urls import include, path, re_path

from api import errors

urlpatterns = [
    path("admin/", admin.site.urls),
    path("read/", include("api.reader.urls")),
    path("", include("api.urls")),
    # Last: every path nothing above serves is a 404 problem, with DEBUG on too (api.errors).
    # (`[\s\S]`, not `.`: a path may hold a newline.)
    re_path(r"^(?P<path>[\s\S]*)\Z", errors.unknown_path, name="unknown-path"),
]

# API clients get problem-details JSON, never an HTML error page.
handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
handler400 = "api.errors.bad_request"
handler403 = "api.errors.forbidden"
