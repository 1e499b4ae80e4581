"""The messaging pages share one blueprint; routes.py imports every module that adds to it."""

from flask import Blueprint

bp = Blueprint("messaging", __name__, url_prefix="/messages")
