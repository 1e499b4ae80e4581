"""Payment choices and benefits pages: the person's own (under /my, in plain
words and Easy Read) and the coordinator's on the person's record. Thin: the
rules are choice_services', the reading choice_queries'.

Benefits are shown only to the person and to coordinators (the permissions
say so: finance and report viewers have neither). No URL of the person's own
pages takes a record id. Also the offer page's money part (used by
crm.selfservice.views.roles): the fee for each session, the warnings before
saying yes, and the fee choice saved with a yes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors import access
from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session
from crm.matching.offers import london_today
from crm.money import format_pence
from crm.payments import choice_queries, choice_services, ledger_queries
from crm.payments.benefits import (
    BENEFIT_EASY_LABELS,
    BENEFIT_LABELS,
    CLIFF_EDGE_SENTENCES,
    DISREGARD_LEVELS,
    LIMIT_PERIODS,
    WEEKDAYS,
    advice,
    general_notes,
)
from crm.payments.blueprint import bp
from crm.payments.choice_config import routes_config
from crm.payments.choice_forms import (
    FEE_CHOICE_WORDS,
    FEE_MODE_WORDS,
    WHEN_WORDS,
    BenefitsForm,
    ChoicesForm,
    ConversationForm,
    FeeChoiceForm,
)
from crm.payments.choice_models import NEEDS_CONVERSATION, FeeChoiceKind
from crm.payments.choice_queries import FeeChoice
from crm.payments.choice_services import STALE, ChoiceConflict, ChoiceError, FeeChoiceInput
from crm.payments.own_names import page_name, page_names
from crm.payments.schedule_queries import OfferMoney, SessionMoney, offer_money
from crm.permissions import Permission
from crm.projects.models import RoleOpening
from crm.web.decorators import deny, requires
from crm.web.fields import yes_or_no

# The person's own pages live under /my (the Easy Read switch brings them back).
own_bp = Blueprint("my_payments", __name__, url_prefix="/my")
OWN_ENDPOINTS = frozenset({"my_payments.choices", "my_payments.benefits",
                           "my_payments.schedule", "my_payments.session_fee"})

Page = str | tuple[str, int]


def _me() -> User:
    return current_user._get_current_object()


def render_own(template: str, c: Contributor, status: int = 200, **context: Any) -> Page:
    return render_template(template, contributor=c, easy=c.prefers_easy_read,
                           return_to=request.path, words=_words(),
                           names=page_names(c.prefers_easy_read), **context), status


def _words() -> dict[str, Any]:
    return {"benefits": BENEFIT_LABELS, "easy_benefits": BENEFIT_EASY_LABELS, "weekdays": WEEKDAYS,
            "levels": DISREGARD_LEVELS,
            "limit_periods": LIMIT_PERIODS, "fee_modes": FEE_MODE_WORDS, "when": WHEN_WORDS,
            "fee_choices": FEE_CHOICE_WORDS, "routes": routes_config().routes,
            "advice": advice(), "cliff": CLIFF_EDGE_SENTENCES}


def _fill_choices(form: ChoicesForm, c: Contributor, fresh: bool | None = None) -> ChoicesForm:
    """The form filled from what is saved when ``fresh`` (a first look, or a
    form shown beside another one sent: ``formdata=None``); a form sent keeps
    what was sent, its version included (missing: out of date)."""
    held = choice_queries.choices_of(get_session(), c.id)
    if fresh if fresh is not None else request.method == "GET":
        if held is not None:
            form.route.data = held.route
            form.fee_mode.data = held.fee_mode
            form.charity_name.data = held.charity_name
            form.when_paid.data = held.when_paid
            form.chosen_days.data = ", ".join(str(d) for d in held.chosen_days or [])
            form.version.data = str(held.version)
        else:
            form.fee_mode.data, form.when_paid.data = "fees", "after_each"
    return form


def _fill_benefits(form: BenefitsForm, c: Contributor,
                   fresh: bool | None = None) -> BenefitsForm:
    """As ``_fill_choices``, for the benefits form."""
    held = choice_queries.benefits_of(get_session(), c.id)
    if (fresh if fresh is not None else request.method == "GET") and held is not None:
        form.consent.data = yes_or_no(True)
        form.benefits.data = list(held.benefits or [])
        form.week_day.data = "" if held.week_day is None else str(held.week_day)
        form.assessment_day.data = held.assessment_day
        form.disregard_level.data = held.disregard_level
        form.limit_amount.data = (f"{held.limit_pence / 100:.2f}"
                                  if held.limit_pence is not None else "")
        form.limit_period.data = held.limit_period
        form.version.data = str(held.version)
    return form


def _save(c: Contributor, form: ChoicesForm | BenefitsForm, save: Any) -> bool:
    """Check ``form``, then ``save(session, actor, person, data, expected)``
    (choice_services.save_choices or save_benefits); errors go beside the
    fields, a stale page gets the version message."""
    if not form.validate():
        return False
    data = form.to_input()
    if data is None:
        return False
    expected = form.expected_version  # -1 when missing: out of date if a row exists
    try:
        save(get_session(), _me(), c, data, expected)
    except ChoiceError as error:
        form.add_error(error.field, error.message)
        return False
    except ChoiceConflict:
        form.add_error(None, STALE)
        return False
    return True


def _save_choices(c: Contributor, form: ChoicesForm) -> bool:
    return _save(c, form, choice_services.save_choices)


def _save_benefits(c: Contributor, form: BenefitsForm) -> bool:
    return _save(c, form, choice_services.save_benefits)


# --------------------------------------------------------------- the person's own

@own_bp.route("/payment-choices", methods=["GET", "POST"])
@requires(Permission.OWN_PAYMENT_CHOICES)
@own
def choices(c: Contributor) -> Any:
    form = _fill_choices(ChoicesForm(), c)
    if request.method == "POST":
        if _save_choices(c, form):
            flash("Saved. Thank you." if c.prefers_easy_read
                  else "Your payment choices are saved.", "success")
            return redirect(url_for("my_payments.choices"))
        return render_own("payments/my_choices.html", c, 400, form=form,
                          held=choice_queries.choices_of(get_session(), c.id),
                          title=page_name("choices", c.prefers_easy_read))
    return render_own("payments/my_choices.html", c, form=form,
                      held=choice_queries.choices_of(get_session(), c.id),
                      title=page_name("choices", c.prefers_easy_read))


@own_bp.route("/benefits", methods=["GET", "POST"])
@requires(Permission.OWN_PAYMENT_CHOICES)
@own
def benefits(c: Contributor) -> Any:
    form = _fill_benefits(BenefitsForm(), c)
    held = choice_queries.benefits_of(get_session(), c.id)
    if request.method == "POST":
        if _save_benefits(c, form):
            flash("Saved. Thank you." if c.prefers_easy_read
                  else "Saved. Thank you for telling us.", "success")
            return redirect(url_for("my_payments.benefits"))
        return render_own("payments/my_benefits.html", c, 400, form=form, held=held,
                          title=page_name("benefits", c.prefers_easy_read))
    return render_own("payments/my_benefits.html", c, form=form, held=held,
                      title=page_name("benefits", c.prefers_easy_read))


# --------------------------------------------------------------- the coordinator's

def _person(contributor_id: int) -> Contributor:
    c = get_session().get(Contributor, contributor_id)
    if c is None or c.anonymised_at is not None:
        abort(404)
    if not access.can_view(_me(), c):
        deny("not allowed to see this record", EntityType.CONTRIBUTOR, c.id)
    return c


def _person_page(c: Contributor, choices_form: ChoicesForm, benefits_form: BenefitsForm,
                 talk_form: ConversationForm, status: int = 200) -> Page:
    """The person's choices and benefits, each showing audited: the first
    look and every page shown again after a change that could not be saved
    (which still shows their benefits). A refused change rolls the request
    back, so that view is kept on its own (security=True)."""
    session = get_session()
    record(session, Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=c.id,
           summary="looked at the payment choices and benefits information of",
           security=status >= 400)
    return render_template("payments/choices_person.html", title="Payment choices and benefits",
                           person=c, choices_form=choices_form, benefits_form=benefits_form,
                           talk_form=talk_form, held=choice_queries.choices_of(session, c.id),
                           benefits_held=choice_queries.benefits_of(session, c.id),
                           words=_words(), needs_talk=NEEDS_CONVERSATION), status


@bp.route("/people/<int:contributor_id>/choices", methods=["GET"])
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def person_choices(contributor_id: int) -> Page:
    c = _person(contributor_id)
    return _person_page(c, _fill_choices(ChoicesForm(), c), _fill_benefits(BenefitsForm(), c),
                        ConversationForm())


@bp.route("/people/<int:contributor_id>/choices", methods=["POST"])
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def save_person_choices(contributor_id: int) -> Any:
    c = _person(contributor_id)
    form = _fill_choices(ChoicesForm(), c)
    if not _save_choices(c, form):
        return _person_page(c, form, _fill_benefits(BenefitsForm(formdata=None), c, fresh=True),
                            ConversationForm(formdata=None), 400)
    flash("Payment choices saved.", "success")
    return redirect(url_for("payments.person_choices", contributor_id=c.id))


@bp.route("/people/<int:contributor_id>/benefits", methods=["POST"])
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def save_person_benefits(contributor_id: int) -> Any:
    c = _person(contributor_id)
    form = _fill_benefits(BenefitsForm(), c)
    if not _save_benefits(c, form):
        return _person_page(c, _fill_choices(ChoicesForm(formdata=None), c, fresh=True), form,
                            ConversationForm(formdata=None), 400)
    flash("Benefits information saved.", "success")
    return redirect(url_for("payments.person_choices", contributor_id=c.id))


@bp.route("/people/<int:contributor_id>/conversation", methods=["POST"])
@requires(Permission.PAYMENT_CHOICES_MANAGE)
def record_conversation(contributor_id: int) -> Any:
    c = _person(contributor_id)
    form = ConversationForm()
    ok = form.validate()
    if ok and form.conversation_on.data is not None:
        try:
            choice_services.record_conversation(get_session(), _me(), c,
                                                form.conversation_on.data,
                                                form.conversation_note.data, london_today())
        except ChoiceError as error:
            form.add_error(error.field, error.message)
            ok = False
    if not ok or form.conversation_on.data is None:
        return _person_page(c, _fill_choices(ChoicesForm(formdata=None), c, fresh=True),
                            _fill_benefits(BenefitsForm(formdata=None), c, fresh=True), form, 400)
    flash("The conversation is noted. They can now choose vouchers or expenses only.",
          "success")
    return redirect(url_for("payments.person_choices", contributor_id=c.id))


# --------------------------------------------------------------- the offer page

# What the person chose for one session's fee, said back to them beside it
# (standard, Easy Read).
CHOSEN_WORDS = {
    FeeChoiceKind.ACCEPT.value: ("You chose the full fee.", "You chose all of it."),
    FeeChoiceKind.TAKE_LESS.value: ("You chose to be paid less: {amount}.",
                                    "You chose less: {amount}."),
    FeeChoiceKind.DECLINE.value: ("You chose not to be paid a fee.", "You chose no money."),
    FeeChoiceKind.CHARITY.value: ("You chose to give the fee to {charity}.",
                                  "You chose to give it to {charity}."),
    FeeChoiceKind.EXPENSES_ONLY.value: ("You chose to be paid your expenses only.",
                                        "You chose money back for costs only."),
    FeeChoiceKind.OTHER_PERIOD.value: ("You chose the day you are paid.",
                                       "You chose the day we pay you."),
}


@dataclass(frozen=True)
class OfferFee:
    """One coming session's fee on the offer page: the money, the day it is
    expected to be paid (none when nothing is paid: declined, expenses only),
    what the person chose for it (in words, if they chose), and once they said
    yes the link to change it (none when the fee is in the ledger already)."""

    money: SessionMoney
    pay_on: dt.date | None = None
    chosen: str | None = None
    change_href: str | None = None


def _chosen_words(choice: FeeChoice | None, easy: bool) -> str | None:
    if choice is None or choice.kind not in CHOSEN_WORDS:
        return None
    return CHOSEN_WORDS[choice.kind][1 if easy else 0].format(
        amount=format_pence(choice.amount_pence or 0), charity=choice.charity or "a charity")


def offer_context(c: Contributor, role: RoleOpening, fee_form: FeeChoiceForm | None = None,
                  *, said_yes: bool = False) -> dict[str, Any]:
    """What the offer page shows about money (the person's own warnings);
    ``said_yes``: each coming fee links to its own page, to change it."""
    session = get_session()
    ids = [s.id for s in role.sessions]
    chosen = choice_queries.fee_choices_of(session, c.id, ids)
    money: OfferMoney = offer_money(session, c.id, role, london_today(), chosen)
    claimed = (ledger_queries.sessions_with_a_fee_claim(session, c.id, ids) if said_yes
               else set())
    standing = choice_queries.choices_of(session, c.id) if money.sessions else None
    fees = []
    for s in money.sessions:
        own = chosen.get(s.role_session.id)
        paid, _counts = choice_queries.planned_pence(standing, own, s.pence)
        fees.append(OfferFee(
            s, s.pay_on if paid else None, _chosen_words(own, c.prefers_easy_read),
            url_for("my_payments.session_fee", session_id=s.role_session.id)
            if said_yes and s.fee is not None and s.role_session.id not in claimed else None))
    form = fee_form or FeeChoiceForm(formdata=None)
    live = [s for s in role.sessions if not s.is_cancelled]
    if fee_form is None and live:
        # what they chose for this role, or else what their standing choices say
        # (declining all fees, a charity, expenses only): never "accept" by default
        first = chosen.get(live[0].id) or choice_queries.fee_choice_for(session, c.id,
                                                                        live[0].id)
        if first is not None:
            form.fee_choice.data = first.kind
            form.fee_charity.data = first.charity
            if first.from_session:
                form.fee_pay_on.set(first.pay_on)
                if first.amount_pence:
                    form.fee_amount.data = f"{first.amount_pence / 100:.2f}"
    if not form.fee_choice.data:
        form.fee_choice.data = FeeChoiceKind.ACCEPT.value
    return {"money": money, "money_fees": fees, "fee_form": form,
            "money_words": {**_words(), "names": page_names(c.prefers_easy_read)},
            "money_notes": general_notes(money.profile)}


def read_fee_choice(role: RoleOpening, form: FeeChoiceForm) -> FeeChoiceInput | None:
    """The fee choice sent with a yes, checked against the role's sessions;
    None with the errors on ``form`` when it is not right. Saves nothing."""
    form.validate()
    kind = form.fee_choice.data or FeeChoiceKind.ACCEPT.value
    if kind != FeeChoiceKind.OTHER_PERIOD.value:
        form.fee_pay_on.errors = []
        form.fee_pay_on.data = None
    data = form.to_input()
    if data is None:
        return None
    days = [choice_queries.session_day(s.starts_at) for s in role.sessions if not s.is_cancelled]
    if not days:
        return data
    money = offer_money(get_session(), 0, role, min(days))
    full = min((s.pence for s in money.sessions), default=0)
    try:
        return choice_services.check_fee_choice(data, full_pence=full, first_day=min(days),
                                                last_day=max(days))
    except ChoiceError as error:
        field = getattr(form, error.field or "fee_choice", form.fee_choice)
        field.errors = [*field.errors, error.message]
        return None


def save_offer_fee_choice(c: Contributor, role: RoleOpening, data: FeeChoiceInput) -> None:
    """Save the person's fee choice for each coming session of the role."""
    session = get_session()
    ids = [s.id for s in role.sessions]
    if data.kind == FeeChoiceKind.ACCEPT.value and ids and not choice_queries.fee_choices_of(
            session, c.id, ids):
        standing = choice_queries.fee_choice_for(session, c.id, ids[0])
        if standing is None or standing.kind == FeeChoiceKind.ACCEPT.value:
            return  # the full fee as usual: nothing to record
    money = offer_money(session, c.id, role, london_today())
    for s in money.sessions:
        choice_services.set_fee_choice(session, _me(), c, s.role_session, data,
                                       full_pence=max(s.pence, (data.amount_pence or 0) + 1),
                                       session_day=choice_queries.session_day(
                                           s.role_session.starts_at))


__all__ = ["CHOSEN_WORDS", "OWN_ENDPOINTS", "OfferFee", "offer_context", "own_bp",
           "read_fee_choice", "save_offer_fee_choice"]
