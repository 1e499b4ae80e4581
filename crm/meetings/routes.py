"""Imports every module that adds routes to the meetings blueprint (and
connects the meetings receivers of crm.hooks); checks config/meetings.toml
when the blueprint is registered, so a bad file stops start-up."""

from flask.blueprints import BlueprintSetupState

from crm.meetings import feed_views, hooks, own_views, views  # noqa: F401 (adds routes)
from crm.meetings.blueprint import bp
from crm.meetings.config import meetings_config


@bp.record_once
def _check_config(_state: BlueprintSetupState) -> None:
    meetings_config()


__all__ = ["bp"]
