"""Import from CSV and export to CSV/XLSX (placeholder: being written)."""

from __future__ import annotations

from flask import abort

from crm.accounts.permissions import Permission
from crm.contributors.blueprint import bp
from crm.web.decorators import requires


@bp.route("/import")
@requires(Permission.CONTRIBUTORS_IMPORT)
def import_start() -> str:
    abort(404)


@bp.route("/export.<any(csv, xlsx):format>")
@requires(Permission.CONTRIBUTORS_EXPORT)
def export(format: str) -> str:
    abort(404)
