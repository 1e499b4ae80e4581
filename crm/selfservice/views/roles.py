"""A contributor's roles: "My roles" (offers waiting for an answer, roles
they are doing, what they have done), one offer with its answer and
question forms, and "Opportunities" (open roles they could do, with "I'm
interested").

No URL takes a record id. An ``offer_id`` or ``role_id`` that is not theirs
(or not open to them) is "not found", the same as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, url_for

from crm.contributors.models import Contributor
from crm.db import get_session
from crm.matching import offer_queries, offer_replies, offers
from crm.matching.models import Offer
from crm.matching.offer_words import (
    live_sessions,
    project_words,
    role_words,
    session_when,
    session_where,
)
from crm.matching.offers import OfferError, london_today
from crm.meetings import own_views as meetings_own
from crm.payments import choice_views as payment_choices
from crm.payments import my_views as payments_own
from crm.payments.choice_forms import FeeChoiceForm
from crm.permissions import Permission
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS
from crm.selfservice import roles_queries
from crm.selfservice.roles_forms import AnswerForm, AskForm
from crm.selfservice.views.base import OWN_PAGES_ELSEWHERE, bp, me, own, render
from crm.web.decorators import requires
from crm.web.forms import CsrfForm

# The person's own pages in other packages: payment choices, benefits and
# schedule (under /my too), My payments, My meetings and reminders. They use
# this package's layout and Easy Read switch, which brings the person back.
OWN_PAGES_ELSEWHERE.update(payment_choices.OWN_ENDPOINTS, payments_own.OWN_PAGES,
                           meetings_own.OWN_PAGES, {"messaging.my_reminders"})

# What happened at a session, said to the person.
OWN_OUTCOMES = {"attended": "You took part", "did_not_attend": "You could not come",
                "cancelled_by_us": "We cancelled it", "left_early": "You left early"}
assert set(OWN_OUTCOMES) == {o.value for o in ATTENDANCE_OUTCOME_LABELS}

THANKS = {
    "accepted": ("Thank you for saying yes.", "Thank you. You said yes."),
    "waiting": ("Thank you. All the places have been taken, so you are on the waiting list. "
                "We will tell you if a place comes free.",
                "Thank you. All the places are taken. You are on the waiting list."),
    "declined": ("Thank you for letting us know.", "Thank you for telling us."),
    "not_this_time": ("Thank you for letting us know. We will still ask you about other roles.",
                      "Thank you. We will still ask you about other roles."),
}


def _words(easy: bool) -> dict[str, Any]:
    return {"when": session_when, "where": lambda s: session_where(s, easy),
            "role_words": lambda r: role_words(r, easy),
            "project_words": lambda r: project_words(r, easy), "sessions_of": live_sessions,
            "outcomes": OWN_OUTCOMES}


def _back() -> dict[str, str]:
    return {"back_href": url_for("my.roles"), "back_text": "Back to my roles"}


@bp.route("/roles")
@requires(Permission.OWN_ROLES_VIEW)
@own
def roles(c: Contributor) -> tuple[str, int]:
    data = roles_queries.my_roles(get_session(), c, london_today())
    return render("selfservice/roles/index.html", c, title="My roles", data=data,
                  back_href=url_for("my.index"), back_text="Back to your record",
                  **_words(c.prefers_easy_read))


def _own_offer(c: Contributor, offer_id: int) -> Offer:
    offer = roles_queries.own_offer(get_session(), c, offer_id)
    if offer is None:
        abort(404)
    return offer


def _offer_page(c: Contributor, offer: Offer, answer_form: AnswerForm | None = None,
                ask_form: AskForm | None = None, status: int = 200,
                fee_form: FeeChoiceForm | None = None) -> tuple[str, int]:
    # The fee for each session, and before saying yes what it would do to the
    # limits of benefits they told us about (crm.payments).
    return render("selfservice/roles/offer.html", c, status, title=offer.role.title,
                  offer=offer, role=offer.role, answer_form=answer_form or AnswerForm(),
                  ask_form=ask_form or AskForm(), expired=offers.is_expired(offer, london_today()),
                  clashes=offer_queries.clashes_for(get_session(), c.id, offer.role,
                                                    london_today())
                  if offer.status in ("offered", "waiting") else [],
                  **payment_choices.offer_context(c, offer.role, fee_form,
                                                  said_yes=offer.status == "accepted"),
                  **_back(), **_words(c.prefers_easy_read))


@bp.route("/offers/<int:offer_id>")
@requires(Permission.OWN_ROLES_VIEW)
@own
def offer(c: Contributor, offer_id: int) -> tuple[str, int]:
    return _offer_page(c, _own_offer(c, offer_id))


@bp.route("/offers/<int:offer_id>/answer", methods=["POST"])
@requires(Permission.OWN_OFFERS_ANSWER)
@own
def answer_offer(c: Contributor, offer_id: int) -> Any:
    offer = _own_offer(c, offer_id)
    form = AnswerForm()
    if not form.validate():
        return _offer_page(c, offer, answer_form=form, status=400)
    fee_form = FeeChoiceForm()
    fee = None
    if offer.role.is_paid and form.reply.data == "yes":  # their choice about the fee
        fee = payment_choices.read_fee_choice(offer.role, fee_form)
        if fee is None:
            return _offer_page(c, offer, answer_form=form, fee_form=fee_form, status=400)
    try:
        offer_replies.answer(get_session(), me(), offer, form.reply.data or "",
                             settings=current_app.config["CRM_SETTINGS"])
    except OfferError as error:
        form.reply.errors = [error.own_message]
        return _offer_page(c, offer, answer_form=form, status=400)
    if fee is not None and offer.status in ("accepted", "waiting"):
        payment_choices.save_offer_fee_choice(c, offer.role, fee)
    standard, easy = THANKS[offer.status]
    flash(easy if c.prefers_easy_read else standard, "success")
    return redirect(url_for("my.offer", offer_id=offer.id))


@bp.route("/offers/<int:offer_id>/ask", methods=["POST"])
@requires(Permission.OWN_OFFERS_ANSWER)
@own
def ask_about_offer(c: Contributor, offer_id: int) -> Any:
    offer = _own_offer(c, offer_id)
    form = AskForm()
    if not form.validate():
        return _offer_page(c, offer, ask_form=form, status=400)
    try:
        offer_replies.ask(get_session(), me(), offer, form.question.data or "")
    except OfferError as error:
        form.question.errors = [error.own_message]
        return _offer_page(c, offer, ask_form=form, status=400)
    flash("We have your question. We will answer it soon." if c.prefers_easy_read
          else "Your question has been sent. Your coordinator will get back to you.", "success")
    return redirect(url_for("my.offer", offer_id=offer.id))


@bp.route("/opportunities")
@requires(Permission.OWN_ROLES_VIEW)
@own
def opportunities(c: Contributor) -> tuple[str, int]:
    data = roles_queries.opportunities(get_session(), c, london_today())
    return render("selfservice/roles/opportunities.html", c, title="Opportunities", data=data,
                  form=CsrfForm(), back_href=url_for("my.roles"), back_text="Back to my roles",
                  **_words(c.prefers_easy_read))


@bp.route("/opportunities/<int:role_id>/interested", methods=["POST"])
@requires(Permission.OWN_OFFERS_ANSWER)
@own
def interested(c: Contributor, role_id: int) -> Any:
    if not CsrfForm().validate():
        abort(400)
    session = get_session()
    role = roles_queries.role_they_could_do(session, c, role_id, london_today())
    if role is None:
        abort(404)
    offers.show_interest(session, me(), role, c)
    flash("Thank you. We know you like this role." if c.prefers_easy_read
          else "Thank you. Your coordinator can see you are interested.", "success")
    return redirect(url_for("my.opportunities", _anchor=f"role-{role.id}"))
