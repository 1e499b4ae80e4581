"""Imports every module that adds routes to the messaging blueprint."""

from crm.messaging import own_views as _own_views  # noqa: F401 (adds its routes)
from crm.messaging import views as _views  # noqa: F401 (adds its routes)
from crm.messaging.blueprint import bp

__all__ = ["bp"]
