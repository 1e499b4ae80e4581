"""Easy Read and the person's own words on every page a contributor sees,
not only under /my: the home page, their account, the privacy notice and the
accessibility statement. Templates read ``own_easy`` (the person's Easy Read
choice), ``own_record``, ``own_name`` (to greet them) and ``own_helper`` (who
"ask your coordinator" means). Staff and signed-out visitors get none of
these, so those pages read as before for them."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from crm.contributors import access
from crm.db import get_session
from crm.permissions import Permission
from crm.selfservice import queries
from crm.selfservice.views.base import bp


@bp.app_context_processor
def own_pages() -> dict[str, Any]:
    if not has_request_context() or not current_user.is_authenticated:
        return {}
    if not current_user.can(Permission.OWN_RECORD_VIEW):
        return {}
    if "own_pages" not in g:
        user = current_user._get_current_object()
        try:
            c = access.own_record(get_session(), user)
        except SQLAlchemyError:  # a page after a failed save: read as standard
            return {}
        g.own_pages = {
            "own_record": c,
            "own_easy": bool(c and c.prefers_easy_read),
            "own_name": queries.greeting_name(c, user),
            "own_helper": queries.who_to_ask(c, current_app.config["CRM_SETTINGS"]),
        }
    return dict(g.own_pages)
