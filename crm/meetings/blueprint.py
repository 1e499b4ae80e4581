"""The meetings pages share one blueprint; routes.py imports every module that adds to it."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
