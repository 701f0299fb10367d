"""Unknown paths and methods answer problem documents, with DEBUG on (`make run`) as with it off.

With DEBUG on, Django answered a path no route serves with its HTML debug page (it never calls
``handler404`` then), even to ``Accept: application/json``, and a POST to a path without its
trailing slash with a 500 (``APPEND_SLASH`` cannot redirect a body).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    """Run the test with DEBUG off (production) and on (`make run`)."""
    settings.DEBUG = request.param
    return request.param


def json_client(api):
    api.credentials(HTTP_ACCEPT="application/json")
    return api


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/nope",
        "/statements/not-a-number/",
        "/meetings/stoltenberg-austin-pentagon-meeting-2022-06-02/no/such/thing/",
        "/static/no-such-file.css",
    ],
)
def test_an_unknown_path_is_a_404_problem_naming_it(api, debug, path):
    body = assert_problem(json_client(api).get(path), 404, "not_found")

    assert body["detail"] == f"Nothing is at {path}. The collections are listed at /."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_every_method_on_an_unknown_path_is_a_404_problem(api, debug, method):
    assert_problem(getattr(json_client(api), method)("/nope/"), 404, "not_found")


def test_a_get_without_the_trailing_slash_is_redirected_to_the_collection(api, debug):
    response = api.get("/meetings", {"city": "Washington"})

    assert response.status_code == 301
    assert response["Location"] == "/meetings/?city=Washington"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_without_the_trailing_slash_is_a_404_naming_the_right_path(api, debug, method, admin_user):
    api.force_authenticate(admin_user)

    response = getattr(json_client(api), method)(
        "/topics", {"slug": "arctic", "name": "Arctic"}, format="json"
    )

    body = assert_problem(response, 404, "not_found")
    assert body["detail"] == "Nothing is at /topics; the same path with a trailing slash is /topics/."


@pytest.mark.parametrize(
    "path",
    [reverse("meeting-list"), reverse("meeting-calendar"), reverse("popolo-export"), reverse("healthz")],
)
def test_an_unknown_method_on_a_known_path_is_a_405_problem(api, debug, path, admin_user):
    api.force_authenticate(admin_user)

    body = assert_problem(json_client(api).generic("PROPFIND", path), 405, "method_not_allowed")

    assert body["detail"] == 'Method "PROPFIND" not allowed.'


def test_an_unknown_path_with_a_newline_is_a_404_problem(api, debug):
    # Found by schemathesis on the development server: `.` in the catch-all did not match `\n`.
    assert_problem(json_client(api).get("/topics/a\nb/briefing/"), 404, "not_found")


def test_a_write_with_a_session_cookie_to_an_unknown_path_is_a_404_not_a_csrf_page(debug, admin_user):
    # Found by schemathesis: the CSRF check ran first and answered Django's HTML 403 page.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.delete("/articles/%C2%84/", HTTP_ACCEPT="application/json")

    assert_problem(response, 404, "not_found")


def test_a_failed_csrf_check_outside_the_api_is_a_403_problem(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)

    body = assert_problem(client.post(reverse("admin:logout")), 403, "csrf_failed")

    assert body["detail"].startswith("A write with a session cookie needs its CSRF token")
