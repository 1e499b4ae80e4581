"""Imports every module that adds routes to the payments blueprint."""

from crm.payments import hooks as _ledger_hooks  # noqa: F401 (connects receivers)
from crm.payments.blueprint import bp

__all__ = ["bp"]
