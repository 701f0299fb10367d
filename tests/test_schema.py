"""The OpenAPI schema: valid with no warnings, and the committed copy is up to date."""

import difflib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return path.read_text(encoding="utf-8")


def test_committed_schema_matches_the_code(generated):
    committed = COMMITTED.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            "docs/openapi.yaml (committed)",
            "generated from the code",
        )
    )
    assert not diff, (
        f"The schema changed; run `make schema` and record it in docs/changelog.md (breaking changes marked).\n{diff}"
    )


def test_every_operation_has_a_summary_description_and_documented_errors(generated):
    import yaml

    schema = yaml.safe_load(generated)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("description"), where
            assert operation.get("summary"), where
            assert "400" in operation["responses"], where
            assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }, where


def test_every_query_parameter_is_described(generated):
    import yaml

    schema = yaml.safe_load(generated)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert parameter.get("description"), f"{method.upper()} {path} ?{parameter['name']}"
