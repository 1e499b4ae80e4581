"""A contributor's record and its sections (placeholder: being written)."""

from __future__ import annotations

from flask import abort

from crm.accounts.permissions import Permission
from crm.contributors.blueprint import bp
from crm.web.decorators import requires


@bp.route("/<int:contributor_id>")
@requires(Permission.CONTRIBUTORS_VIEW)
def show(contributor_id: int) -> str:
    abort(404)


@bp.route("/training-due")
@requires(Permission.TRAINING_VIEW)
def training_due() -> str:
    abort(404)
