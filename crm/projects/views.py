"""Coordinators: organisations, wards, projects, roles and sessions."""

from crm.projects.blueprint import bp  # noqa: F401
