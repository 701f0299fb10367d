"""Every error answers the one documented problem format, never an HTML page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == "https://summit-briefing.example/problems/" + code.replace("_", "-")
    return body


def test_unknown_path_is_a_404_problem(api):
    body = assert_problem(api.get("/no/such/path/"), 404, "not_found")
    assert body["detail"] == "Nothing is at /no/such/path/. The collections are listed at /."


def test_unknown_statement_id_is_a_404_problem(api):
    assert_problem(api.get(reverse("statement-detail", args=[999999999])), 404, "not_found")


def test_wrong_method_is_a_405_problem(api, admin_user):
    api.force_authenticate(admin_user)
    body = assert_problem(api.delete(reverse("meeting-list")), 405, "method_not_allowed")
    assert body["detail"] == 'Method "DELETE" not allowed.'


def test_unacceptable_media_type_is_a_406_problem(api):
    assert_problem(api.get(reverse("meeting-list"), HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


def test_unknown_parameter_on_a_detail_is_a_400_problem(api):
    body = assert_problem(
        api.get(reverse("topic-detail", args=["china"]), {"page_size": 3}), 400, "validation_error"
    )
    assert body["errors"][0]["field"] == "page_size"


def test_disallowed_host_is_a_400_problem(api):
    assert_problem(api.get(reverse("meeting-list"), HTTP_HOST="evil.example"), 400, "bad_request")


def test_read_with_a_stale_if_match_is_a_412_problem_carrying_the_current_etag(api):
    url = reverse("topic-detail", args=["climate-security"])
    current = api.get(url)["ETag"]

    response = api.get(url, headers={"If-Match": '"not-the-current-one"'})

    body = assert_problem(response, 412, "precondition_failed")
    assert body["detail"] == (
        "The object changed since you read it (If-Match names another representation); fetch it again."
    )
    assert response["ETag"] == current


def test_read_with_the_current_if_match_is_answered_normally(api):
    url = reverse("topic-detail", args=["climate-security"])

    response = api.get(url, headers={"If-Match": api.get(url)["ETag"]})

    assert (response.status_code, response.json()["slug"]) == (200, "climate-security")
