"""`/drafts/`: editors turn an article's text into a proposal to review (never public data)."""

from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from api import idempotency
from api.pagination import KeysetPagination
from api.serializers.drafts import DraftRequestSerializer, DraftSerializer
from briefing.drafting import DraftInputError
from briefing.models import Draft
from briefing.services import drafts


class EditorsOnly(permissions.DjangoModelPermissions):
    """Signed in, with the draft permissions: `view` to read, `add` to draft (Editors have both)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class DraftPagination(KeysetPagination):
    ordering = ("-created_at", "-id")


class DraftViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Drafts of articles: text in, a proposed fixture out, reviewed and published by an editor.

    A draft proposes every direct quotation with its exact span and speaker, the officials, the
    meetings and their dates; editors decide each item and publish it in the admin (`review_url`).
    Only editors see drafts, and nothing of one is in the public collections before it is published.
    """

    queryset = Draft.objects.select_related("article")
    serializer_class = DraftSerializer
    permission_classes = [EditorsOnly]
    pagination_class = DraftPagination
    filter_backends = []
    editors_only = True

    # Query parameters each action knows; any other is a 400, as on every collection.
    known_params = {"list": {"cursor", "page_size", "count", "format"}, "retrieve": {"format"}}

    def filter_queryset(self, queryset):
        known = self.known_params.get(self.action, set())
        unknown = sorted(set(self.request.query_params) - known)
        if unknown:
            message = f"Unknown query parameter. Known: {', '.join(sorted(known)) or 'none'}."
            raise exceptions.ValidationError({name: [message] for name in unknown}, code="unknown_parameter")
        return queryset

    def read_serializer_class(self):
        return DraftSerializer

    def get_serializer_class(self):
        return DraftRequestSerializer if self.action == "create" else DraftSerializer

    @extend_schema(
        summary="Draft an article",
        description="Drafts the article's text and keeps the draft for review: `201` with the proposal "
        "(a format-2 fixture). Drafting is deterministic and reads the known officials and topics; it "
        "publishes nothing.",
        request=DraftRequestSerializer,
        responses={201: DraftSerializer},
    )
    def create(self, request, *args, **kwargs):
        def write():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                draft = drafts.draft_create(**serializer.validated_data, user=request.user)
            except DraftInputError as error:
                raise exceptions.ValidationError({"text": [str(error)]}, code="invalid") from error
            data = DraftSerializer(draft, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

        return idempotency.run(request, write)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Each editor's own answer: never kept by a shared cache.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        response["Cache-Control"] = "private, no-store"
        return response
