"""App configuration for the HTTP API."""

from django.apps import AppConfig
from django.core import checks


class ApiConfig(AppConfig):
    """The REST API over the briefing domain."""

    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        checks.register(representations_compile)


def representations_compile(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every representation a viewset serves compiles to bulk loading (api.representation)."""
    from api import views
    from api.representation import RepresentationError, represent

    errors = []
    for viewset in views.BriefingViewSet.__subclasses__():
        for serializer_class in filter(None, (viewset.serializer_class, viewset.detail_serializer_class)):
            try:
                represent(serializer_class)
            except RepresentationError as error:
                errors.append(checks.Error(str(error), obj=serializer_class, id="api.E001"))
    return errors
