"""The coordinators' project pages share one blueprint: organisations, wards,
projects, their roles and sessions. Routes live in views.py, project_views.py,
role_views.py and connection_views.py, all imported by routes.py."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
