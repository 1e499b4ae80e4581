"""A contributor's own meeting pages, under /meetings/my: their sessions
(with an .ics of each), their personal calendar feed (turn on, get a new
address, turn off), further thoughts after a session, and "you said, we
did" for the projects they are in. Standard or Easy Read, as they chose.

No URL names a record; a ``session_id`` that is not one of theirs is "not
found", the same as one that does not exist.

The meetings package sits below the self-service pages in the layers, so
it cannot join their Easy Read switch's list of pages to return to; these
pages carry their own switch (the same preference, the same audit), which
brings the person back to the page they were on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session, utcnow
from crm.matching.offer_words import session_when, session_where
from crm.meetings import queries, services
from crm.meetings.blueprint import bp
from crm.meetings.config import meetings_config
from crm.meetings.forms import FEED_WORDS, FeedWordsForm, ThoughtForm
from crm.meetings.models import CalendarFeed
from crm.meetings.views import calendar_response
from crm.permissions import Permission
from crm.projects.models import RoleSession
from crm.web.decorators import requires
from crm.web.forms import CsrfForm

View = Callable[..., Any]


def me() -> User:
    return current_user._get_current_object()


def render(template: str, c: Contributor, status: int = 200, **context: Any
           ) -> tuple[str, int]:
    easy = c.prefers_easy_read
    return render_template(template, contributor=c, easy=easy, return_to=request.path,
                           when=session_when, where=lambda s: session_where(s, easy),
                           **context), status


def _own_session(c: Contributor, session_id: int) -> RoleSession:
    row = queries.own_session(get_session(), c.id, session_id)
    if row is None:
        abort(404)
    return row


def _back() -> dict[str, str]:
    return {"back_href": url_for("meetings.my_sessions"), "back_text": "Back to my meetings"}


@bp.route("/my/sessions")
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_sessions(c: Contributor) -> tuple[str, int]:
    rows = queries.my_sessions(get_session(), c.id)
    now = utcnow()
    coming = [r for r in rows if r.ends_at >= now and not r.is_cancelled]
    past = [r for r in rows if r.ends_at < now and not r.is_cancelled][::-1]
    cancelled = [r for r in rows if r.is_cancelled and r.ends_at >= now]
    return render("meetings/my_sessions.html", c, title="My meetings", coming=coming,
                  past=past, cancelled=cancelled, may_add=services.may_add_thoughts,
                  open_until=services.thoughts_open_until,
                  feed_on=get_session().get(CalendarFeed, c.id) is not None,
                  back_href=url_for("my.roles"), back_text="Back to my roles")


@bp.route("/my/sessions/<int:session_id>/calendar.ics")
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_session_ics(c: Contributor, session_id: int) -> Any:
    return calendar_response(_own_session(c, session_id))


def _thought_page(c: Contributor, row: RoleSession, form: ThoughtForm,
                  status: int = 200) -> tuple[str, int]:
    mine = [t for t, _name in queries.thoughts(get_session(), row.id) if t.contributor_id == c.id]
    return render("meetings/my_thoughts.html", c, status, title="Add more thoughts", row=row,
                  form=form, mine=mine, open=services.may_add_thoughts(row),
                  open_until=services.thoughts_open_until(row),
                  days=meetings_config().thoughts_days, **_back())


@bp.route("/my/sessions/<int:session_id>/thoughts", methods=["GET", "POST"])
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_thoughts(c: Contributor, session_id: int) -> Any:
    row = _own_session(c, session_id)
    form = ThoughtForm()
    if request.method == "GET":
        return _thought_page(c, row, form)
    if not form.validate():
        return _thought_page(c, row, form, 400)
    try:
        services.add_thought(get_session(), me(), c, row, form.body.data)
    except services.MeetingError as error:
        get_session().rollback()
        form.body.errors = [error.own_message]
        return _thought_page(c, row, form, 400)
    flash("Thank you. We have your thoughts." if c.prefers_easy_read
          else "Thank you. Your coordinator will read your thoughts.", "success")
    return redirect(url_for("meetings.my_thoughts", session_id=row.id))


# ---------------------------------------------------------------- calendar feed


def feed_address(token: str) -> str:
    base = current_app.config["CRM_SETTINGS"].base_url.rstrip("/")
    return base + url_for("meetings.feed", token=token)


def _feed_page(c: Contributor, address: str | None = None,
               words_form: FeedWordsForm | None = None, status: int = 200) -> tuple[str, int]:
    feed = get_session().get(CalendarFeed, c.id)
    if words_form is None:
        words_form = FeedWordsForm(formdata=None)
        words_form.words.data = "plain" if feed is not None and feed.plain_words else "full"
    return render("meetings/my_feed.html", c, status, title="My calendar", feed=feed,
                  address=address,
                  webcal=("webcal://" + address.split("://", 1)[1]) if address else None,
                  form=CsrfForm(), words_form=words_form, feed_words=FEED_WORDS, **_back())


@bp.route("/my/calendar-feed")
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_feed(c: Contributor) -> tuple[str, int]:
    return _feed_page(c)


@bp.route("/my/calendar-feed", methods=["POST"], endpoint="my_feed_new")
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_feed_new(c: Contributor) -> tuple[str, int]:
    """Turn the feed on, or give it a new address. The page answers the
    POST itself, so the address (shown once, never stored) is in no
    cookie, log or redirect."""
    if not CsrfForm().validate():
        abort(400)
    token = services.turn_on_feed(get_session(), me(), c)
    return _feed_page(c, feed_address(token))


@bp.route("/my/calendar-feed/words", methods=["POST"])
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_feed_words(c: Contributor) -> Response | tuple[str, int]:
    form = FeedWordsForm()
    if form.validate():
        try:
            services.set_feed_words(get_session(), me(), c, plain=form.words.data == "plain")
        except services.MeetingError as error:
            form.words.errors = [error.message]
        else:
            flash("Saved." if c.prefers_easy_read
                  else "Saved. Calendars show the change when they next look, within a few "
                  "hours.", "success")
            return redirect(url_for("meetings.my_feed"))
    return _feed_page(c, words_form=form, status=400)


@bp.route("/my/calendar-feed/off", methods=["POST"])
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_feed_off(c: Contributor) -> Response:
    if not CsrfForm().validate():
        abort(400)
    services.turn_off_feed(get_session(), me(), c)
    flash("Your calendar link is turned off." if c.prefers_easy_read
          else "Your calendar feed is turned off. The old address no longer works.", "success")
    return redirect(url_for("meetings.my_feed"))


# ---------------------------------------------------------------- you said, we did


@bp.route("/my/you-said-we-did")
@requires(Permission.OWN_SESSIONS_USE)
@own
def my_log(c: Contributor) -> tuple[str, int]:
    session = get_session()
    projects = queries.my_projects(session, c.id)
    return render("meetings/my_log.html", c, title="You said, we did", projects=projects,
                  logs=queries.logs_of(session, [p.id for p in projects]),
                  back_href=url_for("my.roles"), back_text="Back to my roles")


OWN_PAGES = frozenset({"meetings.my_sessions", "meetings.my_thoughts", "meetings.my_feed",
                       "meetings.my_log"})
