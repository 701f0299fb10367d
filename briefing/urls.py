"""Site URLs: the Django admin, the reader's pages under /read/, and the API at the site root."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("read/", include("api.reader.urls")),
    path("", include("api.urls")),
]

# API clients get problem-details JSON, never an HTML error page.
handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
handler400 = "api.views.bad_request"
handler403 = "api.views.forbidden"
