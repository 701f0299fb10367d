"""The API index, the OpenAPI schema and the offline documentation pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_index_lists_every_collection(api):
    assert api.get("/").json() == {
        name: f"http://testserver/{name}/"
        for name in ["meetings", "officials", "topics", "statements", "articles", "organizations"]
    }


def test_schema_is_served_as_yaml_and_json(api):
    assert api.get(reverse("schema")).content.startswith(b"openapi: 3.0.3")
    assert api.get(reverse("schema"), {"format": "json"}).json()["info"]["title"] == "Summit Briefing API"


@pytest.mark.parametrize(
    ("name", "asset"), [("swagger-ui", "swagger-ui-bundle.js"), ("redoc", "redoc.standalone.js")]
)
def test_docs_pages_load_their_assets_locally(api, name, asset):
    page = api.get(reverse(name)).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert asset in page
    assert "cdn" not in page.lower()


def test_redoc_page_names_no_other_host_and_blocks_any_that_redoc_would_ask(api):
    page = api.get(reverse("redoc")).content.decode()
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", page)
    assert "fonts.googleapis" not in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'' in page
    # The guard against ReDoc's remote logo runs before ReDoc itself.
    assert page.index("api/redoc-offline.js") < page.index("redoc.standalone.js")
    assert '"fontFamily": "system-ui' in page
