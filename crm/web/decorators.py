"""Every view says who may use it: ``@requires(Permission.X)`` or ``@public``.

``tests/test_permissions.py`` walks the URL map and fails on any view that
has neither, so a new route cannot forget.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import get_session
from crm.permissions import Permission

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"


def public(view: F) -> F:
    """Anyone may use this view, signed in or not."""
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def requires(permission: Permission) -> Callable[[F], F]:
    """Signed-in users whose role has ``permission`` may use this view.
    Others are sent to sign in (not signed in) or refused with 403 and an
    audit event."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.sign_in", next=request.full_path
                                        if request.method == "GET" else None))
            if not current_user.can(permission):
                deny(f"needs {permission.value}")
            return view(*args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def deny(reason: str, entity_type: EntityType | None = None,
         entity_id: int | None = None) -> None:
    """Refuse the request with 403 and record the denial."""
    record(get_session(), Action.PERMISSION_DENIED, entity_type=entity_type, entity_id=entity_id,
           summary=reason[:200], security=True)
    abort(403)
