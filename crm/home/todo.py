"""The coordinator's to-do lists, linked from their home page with a count
each: questions contributors asked about offers and not yet marked answered
(with "Mark as answered"), offers to make by phone or letter (no channel we
send through reaches the person, so no message was queued: the offer is
only marked "by_hand"), sessions with claims drafted and not yet sent to
finance, and sessions that have happened with no attendance recorded. The
lists that name people are audited at each look."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.audit.services import record_list_view
from crm.db import get_session, utcnow
from crm.home import todo_queries
from crm.home.blueprint import bp
from crm.matching import offer_queries, offer_replies
from crm.matching.models import OFFER_STATUS_LABELS
from crm.matching.offers import OfferError, london_today
from crm.permissions import Permission
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import Page, paginate

PER_PAGE = 25


def _looked_at(page: Page[Any], what: str) -> None:
    """Audit a look at a list naming people: the list, then each person."""
    record_list_view(get_session(), what, page.page, (o.contributor_id for o in page.items))


@bp.route("/to-do/questions")
@requires(Permission.OFFERS_MANAGE)
def questions() -> str:
    session = get_session()
    page = paginate(session, offer_queries.waiting_questions_stmt(), per_page=PER_PAGE)
    if page.items:
        _looked_at(page, "questions waiting")
    return render_template("home/todo_questions.html", title="Questions waiting", page=page,
                           statuses=OFFER_STATUS_LABELS, form=CsrfForm())


# Where "Mark as answered" returns to: the page the button was on.
BACK_TO = {
    "role": lambda offer: url_for("matching.offers", role_id=offer.role_id),
    "person": lambda offer: url_for("matching.person_offers",
                                    contributor_id=offer.contributor_id),
    "questions": lambda offer: url_for("home.questions"),
}


@bp.route("/to-do/questions/<int:offer_id>/answered", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def question_answered(offer_id: int) -> Response:
    """The coordinator has answered the question another way: it stops
    waiting (the words stay on the person's offers page)."""
    if not CsrfForm().validate():
        abort(400)
    session = get_session()
    offer = offer_queries.offer_for_page(session, offer_id)
    if offer is None:
        abort(404)
    back = BACK_TO.get(request.form.get("back", ""), BACK_TO["questions"])
    try:
        offer_replies.mark_question_answered(session, current_user._get_current_object(), offer)
    except OfferError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        flash(f"{offer.contributor.full_name}'s question is marked as answered.", "success")
    return redirect(back(offer))


@bp.route("/to-do/tell-another-way")
@requires(Permission.OFFERS_MANAGE)
def another_way() -> str:
    session = get_session()
    page = paginate(session, offer_queries.by_hand_stmt(london_today()), per_page=PER_PAGE)
    if page.items:
        _looked_at(page, "offers to make by phone or letter")
    return render_template("home/todo_another_way.html", title="Offers to make by phone or letter",
                           page=page)


@bp.route("/to-do/claims-to-send")
@requires(Permission.CLAIMS_MANAGE)
def claims_to_send() -> str:
    page = paginate(get_session(), todo_queries.drafted_sessions_stmt(), per_page=PER_PAGE,
                    scalars=False)
    return render_template("home/todo_claims.html", title="Claims not yet sent to finance",
                           page=page)


@bp.route("/to-do/attendance")
@requires(Permission.ATTENDANCE_RECORD)
def attendance_to_record() -> str:
    session = get_session()
    page = paginate(session, todo_queries.without_attendance_stmt(session, utcnow()),
                    per_page=PER_PAGE)
    return render_template("home/todo_attendance.html", title="Attendance to record",
                           page=page)
