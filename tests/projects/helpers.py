"""Helpers for the projects tests: a signed-in coordinator, posting forms
with the CSRF token, reading audit events and checking that an error is
shown beside its field and linked from the error summary."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.models import AuditEvent
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_user


def coordinator(db: Session, client: FlaskClient, **fields: Any) -> User:
    user = make_user(db, Role.COORDINATOR, **fields)
    log_in(client, user)
    return user


def post(client: FlaskClient, path: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """POST ``data`` (lists for repeated names) with this client's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def events(db: Session, action: str | None = None,
           entity_type: str | None = None) -> list[AuditEvent]:
    db.expire_all()
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    return list(db.scalars(stmt))


def text_of(response: Any) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def field_error(response: Any, error_id: str, href: str | None = None) -> str:
    """The message shown beside the field (element ``<error_id>-error``),
    after checking the error summary links to ``href`` (default the field)."""
    page = response.get_data(as_text=True)
    summary = re.search(r'nhsuk-error-summary__list.*?</ul>', page, re.S)
    assert summary, "no error summary"
    assert f'href="#{href or error_id}"' in summary.group(0), summary.group(0)
    match = re.search(rf'id="{re.escape(error_id)}-error"[^>]*>(.*?)</span>\s*(.*?)<', page,
                      re.S)
    assert match, f"no error message beside {error_id}"
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1) + match.group(2))
                             .replace("Error:", "")).strip()
