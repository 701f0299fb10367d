"""Site URLs: the Django admin, and the API at the site root."""

from django.contrib import admin
from django.urls import include, path

from briefing import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("", include("api.urls")),
]

# API clients get problem-details JSON, never an HTML error page.
handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
handler400 = "api.views.bad_request"
handler403 = "api.views.forbidden"
