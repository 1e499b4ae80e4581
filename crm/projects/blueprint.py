"""The coordinators' project pages share one blueprint: organisations, wards,
projects, their roles and sessions. Routes live in views.py."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
