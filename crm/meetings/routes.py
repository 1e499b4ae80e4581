"""Imports every module that adds routes to the meetings blueprint."""

from crm.meetings.blueprint import bp

__all__ = ["bp"]
