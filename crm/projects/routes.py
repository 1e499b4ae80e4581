"""Imports every module that adds routes to the projects blueprint."""

from crm.projects import views  # noqa: F401
from crm.projects.blueprint import bp

__all__ = ["bp"]
