"""Routes of the matching blueprint (being built)."""

from crm.matching.blueprint import bp  # noqa: F401
