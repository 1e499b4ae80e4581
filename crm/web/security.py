"""Security headers on every response, and ``no-store`` on pages that may
show personal data (everything but static files)."""

from __future__ import annotations

import re

from flask import Flask, Request, Response, request
from flask.typing import ResponseReturnValue

from crm.web.errors import render_error
from crm.web.sessions import ServerSessionInterface

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])


def add_security_headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "no-referrer")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
    return response


# C0 control characters other than tab, line feed and carriage return, and DEL;
# also U+FFFE, U+FFFF and surrogates, which are not characters at all.
# NUL breaks PostgreSQL text columns, and none of these can go into XML, so
# one in a name would break an Excel export; none belongs in anything a
# person types, so they are refused here, once, for every form and query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def has_control_characters(req: Request) -> bool:
    for values in (req.args, req.form):
        for key, value in values.items(multi=True):
            if CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value):
                return True
    return False


def refuse_control_characters() -> ResponseReturnValue | None:
    if has_control_characters(request):
        return render_error(400, control_characters=True)
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters)
    # Server-side sessions; the cookie is Secure when configured and whenever
    # the request came over HTTPS.
    app.session_interface = ServerSessionInterface()
    app.after_request(add_security_headers)
