"""WSGI entry point (gunicorn serves ``briefing.wsgi:application``).

Hits of the response cache are answered before Django (``briefing.responses.serve_cached``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefing.settings")

django_application = get_wsgi_application()

from briefing.responses import serve_cached  # noqa: E402 (needs the settings loaded above)

application = serve_cached(django_application)
