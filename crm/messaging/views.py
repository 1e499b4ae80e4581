"""Coordinators' messages pages: what waits for staff (letters to print,
calls to make, messages not sent), the printable letters, and the buttons
that record each done. Views are thin: each step is one call to
crm.messaging.staff.

Each list names people with their addresses, phone numbers or message
bodies, so each look at one is audited: one event for the list (what list,
which page, how many; no names), and one on each person's record on the
page, so their "Who has looked at my record" shows it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.audit.services import record_list_view
from crm.db import get_session
from crm.mail.models import MessageStatus, OutboxMessage
from crm.messaging import staff
from crm.messaging.blueprint import bp
from crm.messaging.forms import PrintedForm
from crm.permissions import Permission
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import Page, paginate

M = MessageStatus
PRINT_BATCH = 50  # letters on one printable page


def _me() -> User:
    return current_user._get_current_object()


def _looked_at(page: Page[OutboxMessage], what: str) -> None:
    """Audit a look at a list of messages: the list, then each person on it."""
    people = {m.contributor_id for m in page.items if m.contributor_id is not None}
    n = len(page.items)
    record_list_view(get_session(), what, page.page, people,
                     counted=f"{n} message{'s' if n != 1 else ''} to {len(people)} "
                             f"{'person' if len(people) == 1 else 'people'}")


@bp.route("/")
@requires(Permission.MESSAGES_MANAGE)
def index() -> str:
    session = get_session()
    page = paginate(session, staff.listing(M.FAILED.value), per_page=20)
    if page.items:  # the Messages home page: audited when it lists someone
        _looked_at(page, "messages not sent")
    return render_template("messaging/index.html", title="Messages", counts=staff.counts(session),
                           page=page, form=CsrfForm(), M=M)


@bp.route("/letters")
@requires(Permission.MESSAGES_MANAGE)
def letters() -> str:
    page = paginate(get_session(), staff.listing(M.TO_PRINT.value), per_page=PRINT_BATCH)
    _looked_at(page, "letters to print")
    return render_template("messaging/letters.html", title="Letters to print", page=page,
                           form=PrintedForm())


@bp.route("/letters/print")
@requires(Permission.MESSAGES_MANAGE)
def print_letters() -> str:
    page = paginate(get_session(), staff.listing(M.TO_PRINT.value), per_page=PRINT_BATCH)
    _looked_at(page, "letters to print, printable")
    return render_template("messaging/print.html", title="Letters", page=page)


@bp.route("/letters/printed", methods=["POST"])
@requires(Permission.MESSAGES_MANAGE)
def letters_printed() -> Response:
    form = PrintedForm()
    if not form.validate():
        abort(400)
    session = get_session()
    try:
        n = staff.mark_printed(session, _me(), form.ids())
    except staff.MessageError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        flash(f"{n} letter{'s' if n != 1 else ''} marked as printed.", "success")
    return redirect(url_for("messaging.letters"))


@bp.route("/calls")
@requires(Permission.MESSAGES_MANAGE)
def calls() -> str:
    page = paginate(get_session(), staff.listing(M.BY_HAND.value), per_page=20)
    _looked_at(page, "calls to make")
    return render_template("messaging/calls.html", title="Calls to make", page=page,
                           form=CsrfForm())


@bp.route("/waiting")
@requires(Permission.MESSAGES_MANAGE)
def waiting() -> str:
    page = paginate(get_session(), staff.listing(M.HELD.value), per_page=20)
    _looked_at(page, "messages waiting in the outbox")
    return render_template("messaging/waiting.html", title="Messages waiting in the outbox",
                           page=page, form=CsrfForm())


def _step(work, done: str, back: str) -> Response:
    if not CsrfForm().validate():
        abort(400)
    session = get_session()
    try:
        work(session)
    except staff.MessageError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(back))


# Where "done" returns to: the list the button was on.
_BACK = {"calls": "messaging.calls", "waiting": "messaging.waiting"}


@bp.route("/<int:message_id>/done", methods=["POST"])
@requires(Permission.MESSAGES_MANAGE)
def done(message_id: int) -> Response:
    """A call made, or a message passed on another way."""
    back = _BACK.get(request.form.get("back", ""), "messaging.index")
    return _step(lambda s: staff.mark_done_by_hand(s, _me(), message_id),
                 "Recorded as done.", back)


@bp.route("/<int:message_id>/retry", methods=["POST"])
@requires(Permission.MESSAGES_MANAGE)
def retry(message_id: int) -> Response:
    return _step(lambda s: staff.try_again(s, _me(), message_id),
                 "It will be sent again in the next few minutes.", "messaging.index")
