"""`make run`'s server (`manage.py runserver`) sends each answer without waiting on the client."""

import socket

from django.core.management import get_commands
from django.core.servers.basehttp import WSGIRequestHandler

from briefing.management.commands.runserver import NoDelayWSGIServer


def test_runserver_is_briefings_which_keeps_the_staticfiles_behaviour():
    from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

    from briefing.management.commands.runserver import Command

    assert get_commands()["runserver"] == "briefing"
    assert issubclass(Command, StaticfilesRunserver)
    assert Command.server_cls is NoDelayWSGIServer


def test_each_accepted_connection_has_nagles_algorithm_off():
    server = NoDelayWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    client = socket.create_connection(server.server_address, timeout=5)
    try:
        connection, _ = server.get_request()
        try:
            assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        finally:
            connection.close()
    finally:
        client.close()
        server.server_close()
