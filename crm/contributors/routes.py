"""Imports every module that adds routes to the contributors blueprint."""

from crm.contributors import record_actions, sections, transfer, views  # noqa: F401
from crm.contributors.blueprint import bp

__all__ = ["bp"]
