"""Imports every module that adds routes to the projects blueprint."""

from crm.projects import connection_views, project_views, role_views, views  # noqa: F401
from crm.projects.blueprint import bp

__all__ = ["bp"]
