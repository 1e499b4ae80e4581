"""A local stand-in for the GOV.UK Notify API, over real HTTP, that checks
each request the way the real API does (docs.notifications.service.gov.uk,
REST API): the path, the JSON body's fields, and the JWT in the
Authorization header (HS256, signed with the secret half of the API key,
``iss`` = the service id, ``iat`` within 30 seconds of now). A request that
breaks a rule gets Notify's own error shape and status code, so a wrong
client fails the test instead of passing against a mocked function.

It records every accepted notification (``sent``) and lets a test make the
next requests fail (``fail_next``) or change a delivery status
(``set_status``).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from flask import Flask

SERVICE_ID = str(uuid.UUID(int=0x5E5E))
SECRET = str(uuid.UUID(int=0xC0FFEE))
API_KEY = f"crm_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = str(uuid.UUID(int=0xE1))
SMS_TEMPLATE = str(uuid.UUID(int=0x51))
# The templates as a Notify service would hold them: which placeholders each needs.
TEMPLATES = {EMAIL_TEMPLATE: ("email", {"subject", "body"}), SMS_TEMPLATE: ("sms", {"body"})}
FIELDS = {
    "email": ({"email_address", "template_id"},
              {"personalisation", "reference", "email_reply_to_id", "one_click_unsubscribe_url"}),
    "sms": ({"phone_number", "template_id"}, {"personalisation", "reference", "sms_sender_id"}),
}
UK_MOBILE = re.compile(r"(?:\+44|0044|0)7\d{9}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Notification:
    id: str
    type: str
    to: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    status: str = "created"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "reference": self.reference, "type": self.type,
                "status": self.status, "template": {"id": self.template_id, "version": 1},
                "body": self.personalisation.get("body"),
                "subject": self.personalisation.get("subject"),
                ("email_address" if self.type == "email" else "phone_number"): self.to}


@dataclass
class FakeNotify:
    url: str = ""
    sent: list[Notification] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status_code: int, times: int = 1) -> None:
        """The next ``times`` sends answer ``status_code`` (500, 429...)."""
        with self.lock:
            self.failures.extend([status_code] * times)

    def set_status(self, notification_id: str, status: str) -> None:
        with self.lock:
            next(n for n in self.sent if n.id == notification_id).status = status

    def by_type(self, kind: str) -> list[Notification]:
        return [n for n in self.sent if n.type == kind]

    def settings_overrides(self) -> dict[str, str]:
        return {"notify_api_key": API_KEY, "notify_base_url": self.url,
                "notify_email_template_id": EMAIL_TEMPLATE,
                "notify_sms_template_id": SMS_TEMPLATE}


class _Refuse(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def check_token(header: str | None) -> None:
    """The Authorization header as Notify checks it."""
    if not header or not header.startswith("Bearer "):
        raise _Refuse(401, "AuthError",
                      "Unauthorized: authentication token must be provided")
    token = header.removeprefix("Bearer ")
    try:
        head = jwt.get_unverified_header(token)
        claims = jwt.decode(token, SECRET, algorithms=["HS256"],
                            options={"verify_iat": False, "require": ["iss", "iat"]})
    except jwt.InvalidSignatureError as exc:
        raise _Refuse(403, "AuthError", "Invalid token: signature, api token not found") from exc
    except jwt.PyJWTError as exc:
        raise _Refuse(403, "AuthError", f"Invalid token: {exc}") from exc
    if head.get("alg") != "HS256" or head.get("typ") != "JWT":
        raise _Refuse(403, "AuthError", "Invalid token: algorithm used is not HS256")
    if claims["iss"] != SERVICE_ID:
        raise _Refuse(403, "AuthError", "Invalid token: service not found")
    if abs(time.time() - int(claims["iat"])) > 30:
        raise _Refuse(403, "AuthError", "Error: Your system clock must be accurate to within "
                                        "30 seconds")


def check_body(kind: str, body: Any) -> None:
    if not isinstance(body, dict):
        raise _Refuse(400, "ValidationError", "Request body is not valid JSON")
    required, optional = FIELDS[kind]
    for name in sorted(required - body.keys()):
        raise _Refuse(400, "ValidationError", f"{name} is a required property")
    for name in sorted(body.keys() - required - optional):
        raise _Refuse(400, "ValidationError",
                      f"Additional properties are not allowed ({name} was unexpected)")
    template = TEMPLATES.get(str(body["template_id"]))
    if template is None or template[0] != kind:
        raise _Refuse(400, "BadRequestError", "Template not found")
    personalisation = body.get("personalisation") or {}
    if not isinstance(personalisation, dict):
        raise _Refuse(400, "ValidationError", "personalisation is not of type object")
    missing = template[1] - personalisation.keys()
    if missing:
        raise _Refuse(400, "BadRequestError",
                      f"Missing personalisation: {', '.join(sorted(missing))}")
    if kind == "email" and not EMAIL.fullmatch(str(body["email_address"])):
        raise _Refuse(400, "ValidationError", "email_address Not a valid email address")
    if kind == "sms" and not UK_MOBILE.fullmatch(re.sub(r"[\s()-]", "",
                                                        str(body["phone_number"]))):
        raise _Refuse(400, "ValidationError", "phone_number Not a UK mobile number")


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _refuse(self, error: _Refuse) -> None:
            with fake.lock:
                fake.refused.append((error.status, error.message))
            self._answer(error.status, {"status_code": error.status, "errors": [
                {"error": error.error, "message": error.message}]})

        def do_POST(self) -> None:
            try:
                check_token(self.headers.get("Authorization"))
                kind = {"/v2/notifications/email": "email",
                        "/v2/notifications/sms": "sms"}.get(self.path)
                if kind is None:
                    raise _Refuse(404, "BadRequestError", "Resource not found")
                if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    raise _Refuse(400, "BadRequestError", "Content-Type must be application/json")
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    body = json.loads(raw)
                except ValueError as exc:
                    raise _Refuse(400, "ValidationError", "Invalid JSON") from exc
                check_body(kind, body)
                with fake.lock:
                    if fake.failures:
                        code = fake.failures.pop(0)
                        raise _Refuse(code, "Exception" if code >= 500 else "RateLimitError",
                                      "Internal server error" if code >= 500 else "Rate limit")
                    n = Notification(str(uuid.uuid4()), kind,
                                     str(body.get("email_address") or body.get("phone_number")),
                                     str(body["template_id"]), body.get("personalisation") or {},
                                     body.get("reference"))
                    fake.sent.append(n)
            except _Refuse as error:
                self._refuse(error)
                return
            self._answer(201, {"id": n.id, "reference": n.reference,
                               "content": {"body": n.personalisation.get("body"),
                                           "subject": n.personalisation.get("subject")},
                               "uri": f"{fake.url}/v2/notifications/{n.id}",
                               "template": {"id": n.template_id, "version": 1}})

        def do_GET(self) -> None:
            try:
                check_token(self.headers.get("Authorization"))
                url = urlparse(self.path)
                if url.path == "/v2/notifications":
                    reference = parse_qs(url.query).get("reference", [None])[0]
                    with fake.lock:
                        found = [n.as_json() for n in fake.sent
                                 if reference is None or n.reference == reference]
                    self._answer(200, {"notifications": found, "links": {}})
                    return
                match = re.fullmatch(r"/v2/notifications/([0-9a-f-]{36})", url.path)
                if match is None:
                    raise _Refuse(404, "BadRequestError", "Resource not found")
                with fake.lock:
                    n = next((n for n in fake.sent if n.id == match.group(1)), None)
                if n is None:
                    raise _Refuse(404, "NoResultFound", "No result found")
                self._answer(200, n.as_json())
            except _Refuse as error:
                self._refuse(error)

    return Handler


@contextmanager
def running() -> Iterator[FakeNotify]:
    """A fake Notify on a free local port, for as long as the block runs."""
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def app_pointed_at(app: Flask, fake: FakeNotify) -> Iterator[Flask]:
    """Point a running app (the browser tests' live server) at ``fake`` for
    as long as the block runs, then put its settings back."""
    before = app.config["CRM_SETTINGS"]
    app.config["CRM_SETTINGS"] = replace(before, **fake.settings_overrides())
    try:
        yield app
    finally:
        app.config["CRM_SETTINGS"] = before
