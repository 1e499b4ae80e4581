"""Imports every module that adds routes to the payments blueprint."""

from crm.payments import choice_hooks as _choice_hooks  # noqa: F401 (connects receivers)
from crm.payments import fee_choice_views as _fee_choice_views  # noqa: F401 (adds routes)
from crm.payments import finance_views as _finance_views  # noqa: F401 (adds routes)
from crm.payments import hooks as _ledger_hooks  # noqa: F401 (connects receivers)
from crm.payments import ledger_views as _ledger_views  # noqa: F401 (adds routes)
from crm.payments import my_views as _my_views  # noqa: F401 (adds routes)
from crm.payments import schedule_views as _schedule_views  # noqa: F401 (adds routes)
from crm.payments.blueprint import bp

__all__ = ["bp"]
