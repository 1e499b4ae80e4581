"""Imports every module that adds routes to the messaging blueprint."""

from crm.messaging.blueprint import bp

__all__ = ["bp"]
