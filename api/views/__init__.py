"""The API's viewsets: the shared behaviour (``base``) and one viewset per collection (``resources``)."""

from api.views.base import BriefingViewSet, PreconditionFailed
from api.views.drafts import DraftViewSet
from api.views.resources import (
    ArticleViewSet,
    MeetingViewSet,
    OfficialViewSet,
    OrganizationViewSet,
    PostViewSet,
    StatementViewSet,
    TopicViewSet,
)

__all__ = [
    "ArticleViewSet",
    "BriefingViewSet",
    "DraftViewSet",
    "MeetingViewSet",
    "OfficialViewSet",
    "OrganizationViewSet",
    "PostViewSet",
    "PreconditionFailed",
    "StatementViewSet",
    "TopicViewSet",
]
