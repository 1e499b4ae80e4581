"""The personal calendar feed: public by its secret token (calendar apps
cannot sign in), in the permission matrix as public.

The address holds nothing but the random token; only its hash is stored,
so a reset makes the old address "not found" at once. The feed holds the
person's sessions with the role, project, time and place only (or, as the
person chose, only "Involvement meeting", the time and online or in
person): no name, health, adjustments or lived experience. Calendar services poll from shared
addresses, so the feed is cheap and never throttled by sign-in limits: one
indexed look-up, an ETag (a poll with nothing changed is answered 304) and
no writes on GET.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Response, abort, current_app, request

from crm.db import get_session
from crm.meetings import queries, services
from crm.meetings.blueprint import bp
from crm.meetings.config import meetings_config
from crm.projects.calendar import ICS_MIMETYPE, feed_calendar, uid_host, where_words
from crm.projects.models import RoleSession
from crm.web.decorators import public

FEED_NAME = "My involvement meetings"


def etag_of(rows: list[RoleSession], plain: bool = False) -> str:
    """Changes whenever anything a calendar shows changes."""
    parts = [(r.id, r.sequence, r.is_cancelled, r.starts_at.isoformat(), r.minutes,
              where_words(r), r.role.title, r.role.project.title) for r in rows]
    return hashlib.sha256(repr((plain, parts)).encode()).hexdigest()[:32]


@bp.route("/feed/<token>.ics")
@public
def feed(token: str) -> Response:
    session = get_session()
    found = services.feed_for_token(session, token)
    if found is None:
        abort(404)
    rows = queries.my_sessions(session, found.contributor_id)
    etag = etag_of(rows, found.plain_words)
    hours = meetings_config().feed_refresh_hours
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        body = feed_calendar(rows, uid_host(current_app.config["CRM_SETTINGS"].base_url),
                             FEED_NAME, refresh=dt.timedelta(hours=hours),
                             plain=found.plain_words)
        response = Response(body, content_type=ICS_MIMETYPE)
    response.set_etag(etag)
    # Cache-Control stays no-store (crm.web.security, as for every page of
    # personal data): no shared cache keeps it; calendars poll with the ETag.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
