"""Gunicorn settings for the image (and anyone running gunicorn by hand), read from the environment.

    gunicorn --config gunicorn.conf.py briefing.wsgi:application

docs/operations.md lists the variables. Workers are sync processes: each serves one request at
a time, so capacity is GUNICORN_WORKERS per instance, and scaling out means more instances.
"""

import os

bind = f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycling workers now and then bounds the damage of a slow memory leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Only these peers may declare the request was HTTPS (X-Forwarded-Proto); Django trusts the
# header through SECURE_PROXY_SSL_HEADER, so the app must be reachable only through the proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The worker heartbeat file on a RAM disk: a container's overlay filesystem can stall it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No runtime control socket: nothing uses it, and it would need a writable home directory.
control_socket_disable = True
# The longest request line (method, path and query) accepted; longer ones get gunicorn's own 414
# page, documented in the OpenAPI schema. 8190 is gunicorn's ceiling: room for long filters.
limit_request_line = 8190
