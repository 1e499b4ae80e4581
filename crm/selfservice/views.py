"""A contributor's own pages (placeholder: being written)."""

from __future__ import annotations

from flask import Blueprint, abort

from crm.accounts.permissions import Permission
from crm.web.decorators import requires

bp = Blueprint("my", __name__, url_prefix="/my")


@bp.route("/")
@requires(Permission.OWN_RECORD_VIEW)
def index() -> str:
    abort(404)
