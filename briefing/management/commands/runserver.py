"""``manage.py runserver`` (what `make run` serves), without a 40 ms stall on kept-alive connections.

Django's development server keeps HTTP/1.1 connections alive and writes an answer's headers and
body with separate ``send`` calls. On a kept-alive connection, Nagle's algorithm then holds the
body back until the client acknowledges the headers, and clients delay that acknowledgement by
up to 40 ms: every request after a connection's first took about 50 ms from Python's
``requests`` (the generated SDK's and schemathesis's transport) against 2 ms from ``curl``.
Setting ``TCP_NODELAY`` on each accepted connection sends both at once; gunicorn does the same.

Everything else is the staticfiles ``runserver`` (which this replaces because ``briefing`` is
listed before ``django.contrib.staticfiles``).
"""

import socket

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.servers.basehttp import WSGIServer


class NoDelayWSGIServer(WSGIServer):
    """The development server's WSGI server, sending small writes at once."""

    def get_request(self):
        connection, address = super().get_request()
        if connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(StaticfilesRunserver):
    server_cls = NoDelayWSGIServer
