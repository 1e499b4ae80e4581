"""The coordinators' contributor pages share one blueprint; its routes live
in views.py (list, add), sections.py (a record and its sections) and
transfer.py (import and export)."""

from flask import Blueprint

bp = Blueprint("contributors", __name__, url_prefix="/contributors")
