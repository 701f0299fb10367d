"""The **limit** contender: pre-rendered API pages as a bare WSGI app, what the HTTP stack allows.

``bench/run.py`` fetches each timed page from the API once and writes the bodies to the JSON
file named by ``BENCH_LIMIT_PAGES`` (``{"/meetings/?page_size=50": "<body>", ...}``); this app
answers those exact paths and query strings with those bytes and does nothing else.

    BENCH_LIMIT_PAGES=pages.json gunicorn --config gunicorn.conf.py bench.limit_app:application
"""

import json
import os

with open(os.environ["BENCH_LIMIT_PAGES"], encoding="utf-8") as pages_file:
    PAGES = {key: body.encode() for key, body in json.load(pages_file).items()}


def application(environ, start_response):
    """WSGI entry point: the stored body of ``path?query``, or a 404."""
    query = environ.get("QUERY_STRING", "")
    body = PAGES.get(environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
