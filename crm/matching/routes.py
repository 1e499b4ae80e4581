"""Imports every module that adds routes to the matching blueprint."""

from crm.matching import attendance_views, batch_views, offer_views, views  # noqa: F401
from crm.matching.blueprint import bp

__all__ = ["bp"]
