"""Plain-language error pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PAGES = {
    400: ("errors/400.html", "Sorry, there is a problem with that request"),
    403: ("errors/403.html", "You do not have access to this page"),
    404: ("errors/404.html", "Page not found"),
    405: ("errors/400.html", "Sorry, there is a problem with that request"),
    413: ("errors/400.html", "What you sent is too large"),
    429: ("errors/429.html", "Too many attempts"),
    500: ("errors/500.html", "Sorry, there is a problem with the service"),
}


def render_error(status: int, **context: object) -> tuple[str, int]:
    template, title = PAGES.get(status, PAGES[500])
    return render_template(template, title=title, **context), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return render_error(400, csrf=True)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            return render_error(413, too_large=True, limit_mb=max(1, limit // (1024 * 1024)))
        if exc.code in PAGES:
            return render_error(exc.code or 500)
        return exc

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> tuple[str, int]:
        # Log the type and where, not the request data (which may hold personal data).
        log.exception("unhandled error: %s", type(exc).__name__)
        return render_error(500)
