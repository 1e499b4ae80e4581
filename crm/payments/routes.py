"""Imports every module that adds routes to the payments blueprint."""

from crm.payments.blueprint import bp

__all__ = ["bp"]
