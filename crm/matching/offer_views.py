"""Coordinators' offers pages: send offers (from the candidates page), a
role's offers and replies with its waiting list, and one person's offers
and attendance. Each step is one call to crm.matching.offers
or crm.matching.offer_replies."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.contributors.services import record_view
from crm.db import get_session
from crm.matching import offer_queries, offer_replies, offers
from crm.matching.blueprint import bp
from crm.matching.models import OFFER_STATUS_LABELS, Offer, OfferStatus
from crm.matching.offer_forms import REPLY_CHOICES, RecordReplyForm, SendOffersForm
from crm.matching.offer_words import session_when, session_where
from crm.matching.offers import OfferError
from crm.permissions import Permission
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS, RoleOpening
from crm.web.decorators import requires
from crm.web.forms import CsrfForm

Page = str | tuple[str, int]


def _me() -> User:
    return current_user._get_current_object()


def _role(role_id: int) -> RoleOpening:
    role = offer_queries.role_for_offers(get_session(), role_id)
    if role is None:
        abort(404)
    return role


def _offer(offer_id: int) -> Offer:
    offer = offer_queries.offer_for_page(get_session(), offer_id)
    if offer is None:
        abort(404)
    return offer


def _to_offers(role_id: int) -> Response:
    return redirect(url_for("matching.offers", role_id=role_id))


def _role_href(role: RoleOpening) -> str:
    """The role's own page (projects), or home while that page is not there."""
    try:
        return url_for("projects.role", role_id=role.id)
    except BuildError:
        return url_for("home.index")


def _words() -> dict[str, Any]:
    return {"statuses": OFFER_STATUS_LABELS, "when": session_when, "where": session_where,
            "S": OfferStatus, "is_expired": offers.is_expired, "today": offers.london_today()}


@bp.route("/roles/<int:role_id>/offers/send", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def send_offers(role_id: int) -> Response:
    """Offer the role to the people ticked, or put them on its waiting list."""
    role = _role(role_id)
    form = SendOffersForm()
    if not form.validate():
        abort(400)
    ids = form.ids()
    if not ids:
        flash("Choose at least one person.", "error")
        return _to_offers(role.id)
    session, settings = get_session(), current_app.config["CRM_SETTINGS"]
    try:
        if form.action.data == "wait":
            made = offers.add_to_waiting_list(session, _me(), role, ids)
            flash(f"{len(made)} added to the waiting list.", "success")
        else:
            made = offers.send_offers(session, settings, _me(), role, ids)
            by_hand = sum(1 for o in made if o.channel == offers.BY_HAND)
            for_staff = sum(1 for o in made if o.channel in ("letter", "phone"))
            flash(f"{len(made)} offered."
                  + (f" Tell {by_hand} of them another way (see below)." if by_hand else "")
                  + (f" {for_staff} are letters to print or calls to make: see Messages."
                     if for_staff else ""),
                  "success")
    except OfferError as error:
        session.rollback()
        flash(error.message, "error")
        return _to_offers(role.id)
    if len(made) < len(set(ids)):
        flash("People who already had an offer for this role were left as they were.", "info")
    return _to_offers(role.id)


@bp.route("/roles/<int:role_id>/offers", endpoint="offers")
@requires(Permission.OFFERS_MANAGE)
def offers_page(role_id: int) -> Page:
    """The role's offers, replies, waiting list and interest, with the "may
    affect benefits" notes: it names people, so each look is audited on the
    role (how many people, never who)."""
    role = _role(role_id)
    session = get_session()
    data = offer_queries.role_offers(session, role)
    notes = offer_queries.benefit_notes_of(session, role, data, offers.london_today())
    people = {o.contributor_id for group in data.groups.values() for o in group} | {
        c.id for c in data.interested}
    record(session, Action.VIEW, entity_type=EntityType.ROLE, entity_id=role.id,
           summary=f"offers, replies and waiting list: {len(people)} people listed")
    return render_template("matching/offers.html", title=f"Offers: {role.title}", role=role,
                           data=data, reply_choices=REPLY_CHOICES, form=CsrfForm(),
                           benefit_notes=notes,
                           role_href=_role_href(role), **_words())


@bp.route("/roles/<int:role_id>/offers/next", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def offer_next(role_id: int) -> Response:
    role = _role(role_id)
    if not CsrfForm().validate():
        abort(400)
    session = get_session()
    try:
        offer = offers.offer_next(session, current_app.config["CRM_SETTINGS"], _me(), role)
    except OfferError as error:
        flash(error.message, "error")
        return _to_offers(role.id)
    if offer is None:
        flash("Nobody on the waiting list can be offered the place now.", "info")
    else:
        flash(f"Offered to {offer.contributor.full_name}.", "success")
    return _to_offers(role.id)


@bp.route("/offers/<int:offer_id>/reply", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def record_reply(offer_id: int) -> Response:
    """A reply the person gave another way, recorded for them."""
    offer = _offer(offer_id)
    form = RecordReplyForm()
    if not form.validate():
        flash("Select their reply.", "error")
        return _to_offers(offer.role_id)
    return _step(offer, lambda: offer_replies.answer(get_session(), _me(), offer,
                                                     form.reply.data or "",
                                                     settings=current_app.config["CRM_SETTINGS"]),
                 "Their reply is recorded.")


@bp.route("/offers/<int:offer_id>/withdraw")
@requires(Permission.OFFERS_MANAGE)
def confirm_withdraw(offer_id: int) -> Page:
    offer = _offer(offer_id)
    return render_template("matching/offers_withdraw.html", title="Withdraw this offer?",
                           offer=offer, form=CsrfForm(),
                           can_withdraw=offer.status in (OfferStatus.OFFERED, OfferStatus.WAITING),
                           **_words())


@bp.route("/offers/<int:offer_id>/withdraw", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def withdraw_offer(offer_id: int) -> Response:
    offer = _offer(offer_id)
    return _step(offer, lambda: offers.withdraw(get_session(), _me(), offer,
                                                settings=current_app.config["CRM_SETTINGS"]),
                 "The offer is withdrawn. They are told the way they asked to be contacted.")


@bp.route("/offers/<int:offer_id>/drop-out", methods=["POST"])
@requires(Permission.OFFERS_MANAGE)
def drop_out(offer_id: int) -> Response:
    offer = _offer(offer_id)
    return _step(offer, lambda: offer_replies.drop_out(get_session(), _me(), offer),
                 "Their place is free. You can offer it to the next person.")


def _step(offer: Offer, work: Any, done: str) -> Response:
    if not CsrfForm().validate():
        abort(400)
    try:
        work()
    except OfferError as error:
        get_session().rollback()
        flash(error.message, "error")
    else:
        flash(done, "success")
    return _to_offers(offer.role_id)


@bp.route("/people/<int:contributor_id>/offers")
@requires(Permission.OFFERS_MANAGE)
def person_offers(contributor_id: int) -> Page:
    session = get_session()
    c = session.get(Contributor, contributor_id)
    if c is None or c.anonymised_at is not None:
        abort(404)
    record_view(session, _me(), c, "offers and attendance")
    data = offer_queries.person_offers(session, c.id)
    return render_template("matching/person_offers.html", title=f"Offers: {c.full_name}", c=c,
                           data=data, outcomes=ATTENDANCE_OUTCOME_LABELS, **_words())
