"""API routes: one router, plural lowercase collections at the site root, plus schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter, SimpleRouter

from api import exports, health, views

router = DefaultRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("posts", views.PostViewSet, basename="post")

# Editors only (never public data, so not among the index's collections): drafting from text.
editors = SimpleRouter()
editors.register("drafts", views.DraftViewSet, basename="draft")

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Our template: no web fonts or remote images, so ReDoc works offline (see the template).
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("meetings.ics", views.MeetingViewSet.as_view({"get": "calendar"}), name="meeting-calendar"),
    path("export/popolo.json", exports.PopoloExportView.as_view(), name="popolo-export"),
    *router.urls,
    *editors.urls,
]
