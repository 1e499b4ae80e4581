"""The coordinators' matching pages share one blueprint: ranked candidates
and "why not" (views.py), batches (batch_views.py), offers and replies
(offer_views.py) and attendance (attendance_views.py)."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")
