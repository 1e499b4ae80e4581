"""One planned fee's own page: what should happen to the fee for one
session of a role the person said yes to (the full fee, less, to a charity,
none, expenses only, or paid on another date). The person's own (under /my,
plain words and Easy Read) and the coordinator's on the person's record,
after talking it through with them. Reached from each planned fee in the
schedule, so each session of a role can be paid its own way (one on a later
date, the next in full).

Only until the fee is in the ledger: then a coordinator changes its amount
there, with a reason. The page shows the period the fee is paid in, with
its warnings, as it stands. Thin: the rules are choice_services'.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session
from crm.matching.offers import london_today
from crm.payments import choice_services
from crm.payments.benefits import advice
from crm.payments.blueprint import bp
from crm.payments.choice_forms import FEE_CHOICE_STAFF_WORDS, SessionFeeForm
from crm.payments.choice_models import FeeChoiceKind
from crm.payments.choice_queries import session_day
from crm.payments.choice_services import STALE, ChoiceConflict, ChoiceError
from crm.payments.choice_views import _person, own_bp, render_own
from crm.payments.own_names import page_name, page_names
from crm.payments.schedule import STATE_WORDS
from crm.payments.schedule_queries import PlannedFee, planned_fee
from crm.payments.schedule_views import STAFF_STATE_WORDS
from crm.permissions import Permission
from crm.web.decorators import requires

OWN_ENDPOINT = "my_payments.session_fee"
IN_THE_LEDGER = ("This fee is already with finance, so it cannot be changed here. "
                 "Ask the coordinator.")


def _fee(contributor_id: int, role_session_id: int) -> PlannedFee:
    found = planned_fee(get_session(), contributor_id, role_session_id)
    if found is None:
        abort(404)
    return found


def _form(fee: PlannedFee) -> SessionFeeForm:
    """The form as sent, or on a first look filled from their choice."""
    if request.method == "POST":
        return SessionFeeForm()
    form = SessionFeeForm(formdata=None)
    own = fee.own
    form.fee_choice.data = own.choice if own else FeeChoiceKind.ACCEPT.value
    if own is not None:
        form.fee_amount.data = f"{own.amount_pence / 100:.2f}" if own.amount_pence else ""
        form.fee_charity.data = own.charity_name or ""
        form.fee_pay_on.set(own.pay_on)
    form.stamp.data = choice_services.fee_choice_stamp(own)
    return form


def _save(c: Contributor, fee: PlannedFee, form: SessionFeeForm) -> bool:
    """Check and save; errors beside the fields, a change made meanwhile
    (or a fee now in the ledger) in the summary. Saves nothing on error."""
    if fee.claimed:
        form.fee_choice.errors = [IN_THE_LEDGER]
        return False
    form.validate()
    if (form.fee_choice.data or "") != FeeChoiceKind.OTHER_PERIOD.value:
        form.fee_pay_on.errors = []
        form.fee_pay_on.data = None
    data = form.to_input()
    if data is None:
        return False
    try:
        choice_services.set_fee_choice(
            get_session(), current_user._get_current_object(), c, fee.role_session, data,
            full_pence=fee.full_pence, session_day=session_day(fee.role_session.starts_at),
            expected_stamp=form.stamp.data or "")
    except ChoiceError as error:
        field = getattr(form, error.field or "fee_choice", form.fee_choice)
        field.errors = [*field.errors, error.message]
        return False
    except ChoiceConflict:
        get_session().rollback()
        form.fee_choice.errors = [STALE]
        # shown again with the change made meanwhile, so saving again is possible
        form.stamp.data = choice_services.fee_choice_stamp(
            _fee(c.id, fee.role_session.id).own)
        return False
    return True


def _context(fee: PlannedFee, form: SessionFeeForm, staff: bool = False) -> dict[str, Any]:
    return {"fee": fee, "form": form, "states": STAFF_STATE_WORDS if staff else STATE_WORDS,
            "today": london_today(), "advice": advice(), "in_the_ledger": IN_THE_LEDGER,
            **({"names": page_names(False)} if staff else {})}


@own_bp.route("/payment-schedule/sessions/<int:session_id>", methods=["GET", "POST"],
              endpoint="session_fee")
@requires(Permission.OWN_PAYMENT_CHOICES)
@own
def own_session_fee(c: Contributor, session_id: int) -> Any:
    fee = _fee(c.id, session_id)
    form = _form(fee)
    if request.method == "POST":
        if _save(c, fee, form):
            flash("Saved. Thank you." if c.prefers_easy_read
                  else "Your choice for this fee is saved.", "success")
            return redirect(url_for("my_payments.schedule"))
        fee = _fee(c.id, session_id)  # as it is now
        return render_own("payments/session_fee_mine.html", c, 400,
                          title=page_name("session_fee", c.prefers_easy_read),
                          **_context(fee, form))
    return render_own("payments/session_fee_mine.html", c,
                      title=page_name("session_fee", c.prefers_easy_read), **_context(fee, form))


@bp.route("/people/<int:contributor_id>/sessions/<int:session_id>/fee",
          methods=["GET", "POST"])
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def person_session_fee(contributor_id: int, session_id: int) -> Any:
    c = _person(contributor_id)
    fee = _fee(c.id, session_id)
    form = _form(fee)
    status = 200
    if request.method == "POST":
        if _save(c, fee, form):
            flash("Their choice for this fee is saved.", "success")
            return redirect(url_for("payments.person_schedule", contributor_id=c.id))
        fee, status = _fee(c.id, session_id), 400  # as it is now
    # Shown again after a refused change, the page still shows the fee and its
    # benefit warnings: audited too, kept though the request rolls back.
    record(get_session(), Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=c.id,
           summary=f"looked at the fee choice for session {session_id} of",
           security=status >= 400)
    staff_words = {k: (v, v) for k, v in FEE_CHOICE_STAFF_WORDS.items()}
    return render_template("payments/session_fee_person.html",
                           title=page_name("session_fee", False), person=c,
                           words={"fee_choices": staff_words},
                           **_context(fee, form, staff=True)), status


__all__ = ["OWN_ENDPOINT", "own_session_fee", "person_session_fee"]
