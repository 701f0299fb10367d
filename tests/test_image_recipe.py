"""The container image's recipe, run outside a container (no Docker engine is needed).

Its steps run as the image runs them: the build
context (the tree less ``.dockerignore``) is copied, a fresh venv gets ``requirements.txt``, the
Dockerfile's own collectstatic ``RUN`` line runs, and its ``ENTRYPOINT`` + ``CMD`` start gunicorn
(2 workers, a free port on 127.0.0.1) with ``MIGRATE=1 SEED=1`` on a throwaway SQLite file, in
production mode. What the image would not do differently: pip reuses its cache here.
"""

import fnmatch
import json
import secrets
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import REPO, clean_env, dockerfile_instructions, request, run, start_gunicorn

pytestmark = pytest.mark.slow

HOST = "api.example.org"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def build_context(destination: Path) -> Path:
    """Copy the repository as ``docker build`` would send it, leaving out ``.dockerignore``'s patterns."""
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "this copy does not implement ! exceptions"

    def ignored(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(REPO)
        return {
            name
            for name in names
            for pattern in patterns
            if fnmatch.fnmatch((relative / name).as_posix(), pattern)
            or (pattern.startswith("**/") and fnmatch.fnmatch(name, pattern.removeprefix("**/")))
        }

    shutil.copytree(REPO, destination, ignore=ignored, symlinks=True)
    return destination


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The image's steps run in a temporary directory; yields the running gunicorn, stopped by pid after."""
    root = tmp_path_factory.mktemp("image")
    app = build_context(root / "app")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    base = clean_env(PATH=f"{venv / 'bin'}:{clean_env()['PATH']}")
    run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-r", "requirements.txt"],
        cwd=app,
        env=base,
        timeout=300,
    )

    instructions = dockerfile_instructions()
    image_env = dict(
        pair.split("=", 1) for name, args in instructions if name == "ENV" for pair in shlex.split(args)
    )
    collectstatic = next(args for name, args in instructions if name == "RUN" and "collectstatic" in args)
    run(["sh", "-c", collectstatic], cwd=app, env={**base, **image_env})

    database = root / "db.sqlite3"
    env = {
        **base,
        **image_env,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{database}",
        "GUNICORN_WORKERS": "2",
        "MIGRATE": "1",
        "SEED": "1",
    }
    server = start_gunicorn(cwd=app, env=env, log=root / "gunicorn.log")
    try:
        yield {"server": server, "app": app, "database": database, "env": env}
    finally:
        server.stop()


def test_image_answers_probes_over_plain_http(image):
    port = image["server"].port
    healthz = request(port, "GET", "/healthz/", headers={"Host": HOST})
    readyz = request(port, "GET", "/readyz/", headers={"Host": HOST})

    assert (healthz.status, healthz.json()) == (200, {"status": "ok"})
    assert (readyz.status, readyz.json()) == (200, {"status": "ok"}), image["server"].log_tail()


def test_image_runs_two_workers(image):
    assert len(image["server"].worker_pids()) == 2


def test_image_entrypoint_migrated_and_seeded_the_database(image):
    with sqlite3.connect(image["database"]) as connection:
        (articles,) = connection.execute("SELECT count(*) FROM briefing_article").fetchone()
    assert articles >= 1


def test_image_redirects_plain_http_to_https(image):
    response = request(image["server"].port, "GET", "/admin/login/", headers={"Host": HOST})

    assert response.status == 301
    assert response.headers["location"] == f"https://{HOST}/admin/login/"


def test_image_serves_admin_login_with_security_headers(image):
    response = request(image["server"].port, "GET", "/admin/login/", headers=HTTPS)

    assert response.status == 200, image["server"].log_tail()
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    "source",
    ["admin/css/base.css", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"],
)
def test_image_serves_hashed_compressed_static_files(image, source):
    manifest = (image["app"] / "staticfiles" / "staticfiles.json").read_text()
    hashed = json.loads(manifest)["paths"][source]
    path = f"/static/{hashed}"

    plain = request(image["server"].port, "GET", path, headers=HTTPS)
    gzipped = request(image["server"].port, "GET", path, headers={**HTTPS, "Accept-Encoding": "gzip"})

    assert plain.status == 200
    assert len(plain.body) > 1000
    assert "immutable" in plain.headers["cache-control"]
    assert gzipped.status == 200
    assert gzipped.headers["content-encoding"] == "gzip"


def test_image_healthcheck_script_passes_against_the_server(image):
    env = {**image["env"], "PORT": str(image["server"].port)}
    result = subprocess.run(
        ["python", "docker-healthcheck.py"], cwd=image["app"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
