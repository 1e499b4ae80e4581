"""Secrets in addresses never reach the logs: the request lines of the
development server and gunicorn have each route's token hidden."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from crm.web.log_redaction import HIDDEN, REQUEST_LOGGERS, token_patterns

SECRET = "s3cr3t-T0ken_value"


@pytest.mark.parametrize(("line", "expected"), [
    (f'127.0.0.1 - - [04/Dec/2026 10:00:00] "GET /invitation/{SECRET} HTTP/1.1" 200 -',
     f'127.0.0.1 - - [04/Dec/2026 10:00:00] "GET /invitation/{HIDDEN} HTTP/1.1" 200 -'),
    (f'"POST /invitation/{SECRET}?next=/ HTTP/1.1" 302', f'"POST /invitation/{HIDDEN}?next=/ '
     'HTTP/1.1" 302'),
    (f'"GET /meetings/feed/{SECRET}.ics HTTP/1.1" 200', f'"GET /meetings/feed/{HIDDEN}.ics '
     'HTTP/1.1" 200'),
    # the server decodes %2E before routing, so the encoded address works too
    (f'"GET /meetings/feed/{SECRET}%2Eics HTTP/1.1" 200', f'"GET /meetings/feed/{HIDDEN}'
     '%2Eics HTTP/1.1" 200'),
    (f'"GET /meetings%2ffeed/{SECRET}%2eics HTTP/1.1" 200', f'"GET /meetings%2ffeed/{HIDDEN}'
     '%2eics HTTP/1.1" 200'),
    (f'"GET /%69nvitation/{SECRET} HTTP/1.1" 200', f'"GET /%69nvitation/{HIDDEN} HTTP/1.1" 200'),
    ('"GET /contributors/12 HTTP/1.1" 200', '"GET /contributors/12 HTTP/1.1" 200'),
])
def test_request_lines_have_their_tokens_hidden(app: Flask, caplog, line: str,
                                                expected: str) -> None:
    for name in REQUEST_LOGGERS:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=name):
            # the way werkzeug logs a request: a format and its arguments
            logging.getLogger(name).info("%s", line)
        assert [r.getMessage() for r in caplog.records] == [expected]
        assert SECRET not in caplog.text


def test_every_route_with_a_token_is_covered(app: Flask) -> None:
    with_token = sorted(r.rule for r in app.url_map.iter_rules() if "token" in r.arguments)
    assert len(with_token) == len(token_patterns(app)) >= 2


def test_a_real_request_to_the_development_server_logs_no_token(app: Flask, caplog) -> None:
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def __init__(self) -> None:  # no socket: only the logging part
            self.requestline = f"GET /meetings/feed/{SECRET}.ics HTTP/1.1"
            self.client_address = ("127.0.0.1", 0)
            self.command, self.path = "GET", f"/meetings/feed/{SECRET}.ics"
            self.request_version = "HTTP/1.1"

        def address_string(self) -> str:
            return "127.0.0.1"

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        Handler().log_request(404)
    assert caplog.records and SECRET not in caplog.text and HIDDEN in caplog.text
