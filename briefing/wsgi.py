"""WSGI entry point (gunicorn serves ``briefing.wsgi:application``; ``manage.py runserver`` too).

Hits of the response cache are answered before Django (``briefing.responses.serve_cached``).

Django reads ``CONTENT_LENGTH`` bytes of a request body, and none when the header is absent, as
with ``Transfer-Encoding: chunked``. A server that has decoded such a body says so with
``wsgi.input_terminated`` (gunicorn does): ``application`` then reads the body and hands it on
with its length. Where no server vouches for the end of the body (Django's development server),
the request is refused with 411 (``api.middleware.LengthRequiredMiddleware``), never silently
taken as empty.
"""

import io
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")


class TerminatedInputApplication:
    """Give Django the bodies a server has de-chunked (``wsgi.input_terminated``), with their length."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if (
            environ.get("HTTP_TRANSFER_ENCODING")
            and environ.get("wsgi.input_terminated")
            and not environ.get("CONTENT_LENGTH")
        ):
            from django.conf import settings

            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            # One byte over the limit at most: Django then refuses the body as too large (413).
            body = environ["wsgi.input"].read(-1 if limit is None else limit + 1)
            environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        return self.application(environ, start_response)


django_application = TerminatedInputApplication(get_wsgi_application())

from briefing.responses import serve_cached  # noqa: E402 (needs the settings loaded above)

application = serve_cached(django_application)
