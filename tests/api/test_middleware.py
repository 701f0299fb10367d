"""api.middleware: a lost database answers 503 ``database_unavailable``, from any kind of view."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.urls import path, reverse
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

DATABASE_UNAVAILABLE = {
    "type": "https://summit-briefing.example/problems/database-unavailable",
    "title": "Service Unavailable",
    "status": 503,
    "detail": "The database is temporarily unavailable. Please retry shortly.",
    "code": "database_unavailable",
    "errors": [],
}


def plain_view(request, error):
    raise {"operational": OperationalError, "interface": InterfaceError}[error](
        "server closed the connection"
    )


@api_view(["GET"])
@permission_classes([AllowAny])
def drf_view(request):
    raise OperationalError("connection refused")


def failing_view(request):
    raise ValueError("not a database problem")


def fine_view(request):
    return HttpResponse("fine")


urlpatterns = [
    path("plain/<str:error>/", plain_view),
    path("drf/", drf_view),
    path("failing/", failing_view),
    path("fine/", fine_view),
]

pytestmark = pytest.mark.urls(__name__)


def assert_database_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    assert response.json() == DATABASE_UNAVAILABLE


@pytest.mark.parametrize("error", ["operational", "interface"])
def test_database_error_in_plain_view_answers_503_problem(client, error):
    assert_database_unavailable(client.get(f"/plain/{error}/"))


def test_database_error_in_drf_view_answers_503_problem(client):
    assert_database_unavailable(client.get("/drf/"))


def test_other_errors_are_left_to_the_500_handler(client):
    client.raise_request_exception = False

    assert client.get("/failing/").status_code == 500


def test_responses_without_errors_pass_through(client):
    assert client.get("/fine/").content == b"fine"


@pytest.mark.django_db
@pytest.mark.urls("briefing.urls")
def test_admin_login_post_answers_503_problem_when_database_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    # Every query fails, the login lockout's (django-axes) as well as the password check's.
    with connection.execute_wrapper(refuse):
        response = client.post(reverse("admin:login"), {"username": "editor", "password": "secret"})

    assert_database_unavailable(response)


@pytest.mark.django_db
@pytest.mark.urls("briefing.urls")
def test_a_body_of_unknown_length_is_a_411_problem_not_an_empty_body(client, admin_user):
    client.force_login(admin_user)

    response = client.patch(
        reverse("topic-detail", args=["climate-security"]),
        b'{"description": "lost"}',
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )

    assert (response.status_code, response.json()["code"]) == (411, "length_required")
