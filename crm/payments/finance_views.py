"""Finance: claims waiting for approval (with the benefits warning, never
which benefit), approving (refused, plainly, for their own entry), exports
per period as CSV or XLSX with the project's cost code, and marking
payments as paid with the day and the reference.

Finance sees names, payment routes and amounts: never lived experience,
adjustments or anything else in a person's record.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.audit.actions import Action, EntityType
from crm.audit.services import record, record_each
from crm.db import get_session
from crm.payments import exports, ledger, ledger_approval, ledger_queries
from crm.payments.blueprint import bp
from crm.payments.ledger_forms import ApproveForm, ExportForm, PaidForm
from crm.payments.ledger_models import Claim, ClaimState, PaymentExport
from crm.payments.rate_cards import RateCardError, rate_cards
from crm.payments.schedule_queries import warnings_for_claim
from crm.permissions import Permission
from crm.web.decorators import requires
from crm.web.pagination import paginate


def _me() -> Any:
    return current_user._get_current_object()


def benefit_warnings(claim: Claim) -> list[str]:
    """Warnings for finance before approval (payment choices' schedule), in
    words that never say which benefit."""
    return warnings_for_claim(get_session(), claim)


def _card_unverified(card_id: str | None) -> bool:
    """Whether the fee's rate card is marked as not yet checked (verified = false)."""
    if not card_id:
        return False
    try:
        return not rate_cards().by_id(card_id).verified
    except RateCardError:
        return False


def _route_of(contributor_id: int) -> str:
    return exports.routes_of(get_session(), [contributor_id]).get(contributor_id) or \
        exports.NO_ROUTE


@bp.route("/finance/waiting", endpoint="finance_waiting")
@requires(Permission.PAYMENTS_APPROVE)
def finance_waiting() -> str:
    page = _listed(ClaimState.SUBMITTED, "looked at the claims waiting for approval, with "
                   "those of")
    return render_template("payments/finance_list.html", title="Claims waiting for approval",
                           heading="Claims waiting for approval", page=page, action="approve",
                           empty="There are no claims waiting for approval.")


def _listed(state: ClaimState, summary: str) -> Any:
    """A page of the claims in ``state``; each person named on it has the
    view in their history."""
    page = paginate(get_session(), ledger_queries.claims_in_state_stmt(state), scalars=False)
    record_each(get_session(), Action.VIEW, EntityType.CONTRIBUTOR,
                sorted({row[0].contributor_id for row in page.items}), summary)
    return page


@bp.route("/finance/to-pay", endpoint="finance_to_pay")
@requires(Permission.PAYMENTS_APPROVE)
def finance_to_pay() -> str:
    page = _listed(ClaimState.EXPORTED, "looked at the payments to mark as paid, with those of")
    return render_template("payments/finance_list.html", title="Payments to mark as paid",
                           heading="Payments to mark as paid", page=page, action="paid",
                           empty="There are no exported payments waiting to be marked as paid.")


def _claim_or_404(claim_id: int) -> tuple[Claim, str, Any, Any, Any]:
    found = ledger_queries.claim_page(get_session(), claim_id)
    if found is None:
        abort(404)
    return found


def _finance_claim_page(claim_id: int, paid_form: PaidForm | None = None,
                        error: str | None = None, status: int = 200) -> tuple[str, int]:
    claim, name, role, row, project = _claim_or_404(claim_id)
    if paid_form is None:
        paid_form = PaidForm(version=str(claim.version))
        paid_form.paid_on.set(dt.date.today())
    return render_template(
        "payments/finance_claim.html", title="Claim", claim=claim, name=name, role=role,
        row=row, project=project, route=_route_of(claim.contributor_id),
        warnings=benefit_warnings(claim) if claim.state == ClaimState.SUBMITTED.value else [],
        refusal=ledger_approval.may_approve(_me(), claim),
        card_unverified=_card_unverified(claim.card_id),
        amount_set_by=ledger_queries.amount_set_by(get_session(), claim.id,
                                                   ledger.OVERRIDE_ENTRY_REASON)
        if claim.override_reason else None,
        form=ApproveForm(version=str(claim.version)), paid_form=paid_form,
        error=error, error_title=status >= 400), status


@bp.route("/finance/claims/<int:claim_id>", endpoint="finance_claim")
@requires(Permission.PAYMENTS_APPROVE)
def finance_claim(claim_id: int) -> tuple[str, int]:
    claim = _claim_or_404(claim_id)[0]
    record(get_session(), Action.VIEW, entity_type=EntityType.CONTRIBUTOR,
           entity_id=claim.contributor_id, summary=f"looked at payment claim {claim.id} of")
    return _finance_claim_page(claim_id)


@bp.route("/finance/claims/<int:claim_id>/approve", methods=["POST"], endpoint="approve_claim")
@requires(Permission.PAYMENTS_APPROVE)
def approve_claim(claim_id: int) -> Response | tuple[str, int]:
    session = get_session()
    form = ApproveForm()
    if not form.validate():
        abort(400)
    try:
        ledger_approval.approve(session, _me(), claim_id, form.expected_version)
    except ledger.ClaimError as error:
        session.rollback()
        return _finance_claim_page(claim_id, error=error.message, status=400)
    flash("The claim is approved.", "success")
    return redirect(url_for("payments.finance_waiting"))


@bp.route("/finance/claims/<int:claim_id>/paid", methods=["POST"], endpoint="mark_paid")
@requires(Permission.PAYMENTS_APPROVE)
def mark_paid(claim_id: int) -> Response | tuple[str, int]:
    session = get_session()
    claim = _claim_or_404(claim_id)[0]
    form = PaidForm()
    if not form.validate():
        return _finance_claim_page(claim_id, form, status=400)
    try:
        ledger_approval.mark_paid(session, _me(), claim, form.paid_on.data,
                                  form.reference.data or "", form.expected_version)
    except ledger.ClaimError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return _finance_claim_page(claim_id, form, status=400)
    except StaleDataError:
        session.rollback()
        form.add_error(None, ledger.STALE)
        return _finance_claim_page(claim_id, form, status=409)
    flash("The payment is marked as paid.", "success")
    return redirect(url_for("payments.finance_to_pay"))


def _exports_page(form: ExportForm, status: int = 200) -> tuple[str, int]:
    page = paginate(get_session(), ledger_queries.exports_stmt())
    return render_template("payments/finance_exports.html", title="Exports for payment",
                           form=form, page=page, error_title=status >= 400,
                           unpaid=ledger_queries.unpaid_in_exports(
                               get_session(), [e.id for e in page.items])), status


def _export_paid_page(made: PaymentExport, form: PaidForm, status: int = 200
                      ) -> tuple[str, int]:
    unpaid = ledger_queries.unpaid_in_exports(get_session(), [made.id]).get(made.id, 0)
    return render_template("payments/finance_export_paid.html", title="Mark an export as paid",
                           export=made, unpaid=unpaid, form=form,
                           error_title=status >= 400), status


@bp.route("/finance/exports/<int:export_id>/mark-paid", methods=["GET", "POST"],
          endpoint="export_paid")
@requires(Permission.PAYMENTS_APPROVE)
def export_paid(export_id: int) -> Response | tuple[str, int]:
    """Mark every claim of an export still waiting as paid: one payment run,
    one day, one reference."""
    session = get_session()
    made = session.get(PaymentExport, export_id)
    if made is None:
        abort(404)
    form = PaidForm()
    if request.method == "GET":
        form.paid_on.set(dt.date.today())
        return _export_paid_page(made, form)
    if not form.validate():
        return _export_paid_page(made, form, 400)
    try:
        count = ledger_approval.mark_export_paid(session, _me(), made.id, form.paid_on.data,
                                                 form.reference.data or "")
    except ledger.ClaimError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return _export_paid_page(session.get_one(PaymentExport, export_id), form, 400)
    flash(f"{count} {'claim' if count == 1 else 'claims'} of export {export_id} marked as "
          "paid.", "success")
    return redirect(url_for("payments.finance_exports"))


@bp.route("/finance/exports", methods=["GET", "POST"], endpoint="finance_exports")
@requires(Permission.PAYMENTS_APPROVE)
def finance_exports() -> Response | tuple[str, int]:
    session = get_session()
    form = ExportForm()
    if request.method == "GET":
        today = dt.date.today()
        form.start.set(today.replace(day=1))
        form.end.set(today)
        return _exports_page(form)
    if not form.validate():
        return _exports_page(form, 400)
    try:
        made = ledger_approval.export_period(session, _me(), form.start.data, form.end.data)
    except ledger.ClaimError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return _exports_page(form, 400)
    flash(f"Export {made.id} is ready: {made.claim_count} "
          f"{'claim' if made.claim_count == 1 else 'claims'}. Download it below.", "success")
    return redirect(url_for("payments.finance_exports"))


@bp.route("/finance/exports/<int:export_id>/<format>", endpoint="download_export")
@requires(Permission.PAYMENTS_APPROVE)
def download_export(export_id: int, format: str) -> Response:
    session = get_session()
    made = session.get(PaymentExport, export_id)
    if made is None or format not in exports.WRITERS:
        abort(404)

    def rows() -> Iterator[list[Any]]:
        yield from exports.export_rows(session, made.id)

    # Up to 8 MB in memory, then on disk: a 50,000-row export never sits in memory.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    count = exports.WRITERS[format](rows(), out)
    out.seek(0)
    record(session, Action.CLAIMS_EXPORTED, entity_type=EntityType.PAYMENT_EXPORT,
           entity_id=made.id, summary=f"Downloaded {count} claim lines as {format.upper()}")
    return send_file(out, mimetype=exports.MIMETYPES[format], as_attachment=True,
                     download_name=f"payments-export-{made.id}.{format}")
