"""Coordinators: a session's claims (the fees drafted from attendance and
any expenses), a different fee for one person with a reason, the public
body staff declaration, an expense with its receipt, and submitting claims
to finance. Views are thin: the rules are crm.payments.ledger's and
ledger_approval's."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.audit.actions import Action, EntityType
from crm.audit.services import record, record_each
from crm.contributors.models import Contributor
from crm.db import get_session
from crm.matching import attendance
from crm.payments import ledger, ledger_approval, ledger_queries, receipts, statement
from crm.payments.blueprint import bp
from crm.payments.finance_config import finance_config
from crm.payments.ledger_forms import DeclarationForm, ExpenseForm, FeeAmountForm
from crm.payments.ledger_models import Claim, Receipt
from crm.permissions import Permission
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS
from crm.projects.queries import session_for_page
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate


def _me() -> Any:
    return current_user._get_current_object()


def _claim(claim_id: int) -> Claim:
    claim = get_session().get(Claim, claim_id)
    if claim is None:
        abort(404)
    return claim


@bp.route("/sessions/<int:session_id>/claims", endpoint="session_claims")
@requires(Permission.CLAIMS_MANAGE)
def session_claims(session_id: int) -> str:
    session = get_session()
    row = session_for_page(session, session_id)
    page = paginate(session, ledger_queries.session_claims_stmt(row.id), scalars=False,
                    per_page=50)
    record_each(session, Action.VIEW, EntityType.CONTRIBUTOR,
                sorted({c.contributor_id for c, _n in page.items}),
                f"looked at the fees and expenses of session {row.id}, with those of")
    percent = finance_config().percent_by_outcome
    shares = [(label, percent.get(outcome.value, 0))
              for outcome, label in ATTENDANCE_OUTCOME_LABELS.items()]
    return render_template("payments/ledger_session.html", title="Fees and expenses", row=row,
                           role=row.role, page=page, form=CsrfForm(), shares=shares,
                           drafted=sum(1 for c, _n in page.items if c.state == "drafted"))


@bp.route("/sessions/<int:session_id>/claims/submit", methods=["POST"],
          endpoint="submit_session_claims")
@requires(Permission.CLAIMS_MANAGE)
def submit_session_claims(session_id: int) -> Response:
    session = get_session()
    row = session_for_page(session, session_id)
    if not CsrfForm().validate():
        abort(400)
    claims = list(session.scalars(ledger_queries.session_claims_stmt(row.id)))
    done = ledger_approval.submit_all(session, _me(), claims)
    flash(f"{done} {'claim' if done == 1 else 'claims'} sent to finance for approval."
          if done else "There were no drafted claims ready to send.", "success")
    return redirect(url_for("payments.session_claims", session_id=row.id))


def _amount_form(claim: Claim) -> FeeAmountForm:
    form = FeeAmountForm(version=str(claim.version))
    form.amount.data = f"{claim.amount_pence / 100:.2f}"
    return form


def _declaration_form(claim: Claim) -> DeclarationForm:
    return DeclarationForm(version=str(claim.version), public_body=claim.public_body_staff,
                           declared=claim.staff_declaration)


def _claim_page(claim_id: int, amount_form: FeeAmountForm | None = None,
                declaration: DeclarationForm | None = None, status: int = 200,
                page_error: str | None = None) -> tuple[str, int]:
    """The claim's page; each form not given is filled from the claim as it
    is now (so after a refused change, the other form is fresh)."""
    found = ledger_queries.claim_page(get_session(), claim_id)
    if found is None:
        abort(404)
    claim, name, role, row, _project = found
    return render_template(
        "payments/ledger_claim.html", title="Claim", claim=claim, name=name, role=role,
        row=row, amount_form=amount_form or _amount_form(claim),
        declaration=declaration or _declaration_form(claim), submit_form=CsrfForm(),
        page_error=page_error, error_title=status >= 400), status


def _refused(claim_id: int, error: Exception, form: Any, field: str | None = None,
             **forms: Any) -> tuple[str, int]:
    """A change refused: nothing kept, the message beside ``field`` (or in the
    summary), and 409 when someone changed the claim meanwhile."""
    get_session().rollback()
    stale = isinstance(error, StaleDataError)
    form.add_error(None if stale else field, ledger.STALE if stale else str(
        getattr(error, "message", error)))
    return _claim_page(claim_id, status=409 if stale else 400, **forms)


@bp.route("/claims/<int:claim_id>", methods=["GET"], endpoint="claim")
@requires(Permission.CLAIMS_MANAGE)
def claim_view(claim_id: int) -> tuple[str, int]:
    claim = _claim(claim_id)
    record(get_session(), Action.VIEW, entity_type=EntityType.CONTRIBUTOR,
           entity_id=claim.contributor_id, summary=f"looked at payment claim {claim.id} of")
    return _claim_page(claim.id)


@bp.route("/claims/<int:claim_id>/amount", methods=["POST"], endpoint="claim_amount")
@requires(Permission.CLAIMS_MANAGE)
def claim_amount(claim_id: int) -> Response | tuple[str, int]:
    claim = _claim(claim_id)
    form = FeeAmountForm()
    if not form.validate():
        return _claim_page(claim.id, amount_form=form, status=400)
    try:
        ledger.set_fee_amount(get_session(), _me(), claim, form.amount.pence or 0,
                              form.reason.data or "", form.expected_version)
    except (ledger.ClaimError, StaleDataError) as error:
        return _refused(claim_id, error, form, getattr(error, "field", None), amount_form=form)
    flash("The fee for this person and session is changed.", "success")
    return redirect(url_for("payments.claim", claim_id=claim.id))


@bp.route("/claims/<int:claim_id>/declaration", methods=["POST"], endpoint="claim_declaration")
@requires(Permission.CLAIMS_MANAGE)
def claim_declaration(claim_id: int) -> Response | tuple[str, int]:
    claim = _claim(claim_id)
    form = DeclarationForm()
    if not form.validate():
        return _claim_page(claim.id, declaration=form, status=400)
    try:
        ledger_approval.set_staff_declaration(get_session(), _me(), claim,
                                              public_body=form.public_body.data,
                                              declared=form.declared.data,
                                              expected_version=form.expected_version)
    except (ledger.ClaimError, StaleDataError) as error:
        return _refused(claim_id, error, form, declaration=form)
    flash("The declaration is saved.", "success")
    return redirect(url_for("payments.claim", claim_id=claim.id))


@bp.route("/claims/<int:claim_id>/submit", methods=["POST"], endpoint="submit_claim")
@requires(Permission.CLAIMS_MANAGE)
def submit_claim(claim_id: int) -> Response | tuple[str, int]:
    claim = _claim(claim_id)
    if not CsrfForm().validate():
        abort(400)
    version = request.form.get("version", "")
    try:
        ledger_approval.submit(get_session(), _me(), claim,
                               int(version) if version.isdigit() else -1)
    except ledger.ClaimError as error:
        get_session().rollback()
        return _claim_page(claim_id, status=400, page_error=error.message)
    except StaleDataError:
        get_session().rollback()
        return _claim_page(claim_id, status=409, page_error=ledger.STALE)
    flash("The claim is sent to finance for approval.", "success")
    return redirect(url_for("payments.session_claims", session_id=claim.session_id))


def _people(row: Any) -> list[tuple[str, str]]:
    return [(str(line.contributor.id), line.contributor.full_name)
            for line in attendance.sheet(get_session(), row)]


def _expense_page(row: Any, form: ExpenseForm, status: int = 200) -> tuple[str, int]:
    return render_template("payments/expense_form.html", title="Add an expense", row=row,
                           role=row.role, form=form, rate=finance_config().pence_per_mile,
                           max_mb=finance_config().receipt_max_bytes // (1024 * 1024),
                           error_title=status >= 400), status


@bp.route("/sessions/<int:session_id>/expenses/new", methods=["GET", "POST"],
          endpoint="new_expense")
@requires(Permission.CLAIMS_MANAGE)
def new_expense(session_id: int) -> Response | tuple[str, int]:
    session = get_session()
    row = session_for_page(session, session_id)
    form = ExpenseForm()
    form.contributor.choices = [("", "Select a person"), *_people(row)]
    if request.method == "GET":
        form.new_key()
        return _expense_page(row, form)
    if not form.validate():
        return _expense_page(row, form, 400)
    people = {cid for cid, _name in _people(row)}
    if form.contributor.data not in people:
        form.add_error("contributor", "Select someone who said yes to this role")
        return _expense_page(row, form, 400)
    upload = form.receipt.data
    checked = None
    if upload is not None and getattr(upload, "filename", None):
        try:
            checked = receipts.check(upload.filename, upload.read(
                finance_config().receipt_max_bytes + 1))
        except receipts.ReceiptError as error:
            form.add_error("receipt", str(error))
            return _expense_page(row, form, 400)
    data = ledger.ExpenseInput(
        kind=form.kind.data or "", pence=form.amount.pence, miles=form.miles.data,
        description=form.description.data or "", agreed_in_advance=bool(form.agreed.data),
        idempotency_key=form.idempotency_key.data or "")
    try:
        claim, created = ledger.add_expense(session, _me(), int(form.contributor.data), row,
                                            data)
        if created and checked is not None:
            receipts.add_receipt(session, _me(), claim, checked)
    except ledger.ClaimError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return _expense_page(row, form, 400)
    except IntegrityError:
        session.rollback()
        form.add_error("kind", "This person already has a claim of this kind for this session")
        return _expense_page(row, form, 400)
    flash("The expense is added." if created else "This expense was already added.",
          "success")
    return redirect(url_for("payments.session_claims", session_id=row.id))


@bp.route("/receipts/<int:receipt_id>", endpoint="receipt")
@requires(Permission.RECEIPTS_VIEW)
def receipt(receipt_id: int) -> Response:
    session = get_session()
    found = session.get(Receipt, receipt_id)
    if found is None or not receipts.path_of(found).is_file():
        abort(404)
    record(session, Action.RECEIPT_VIEWED, entity_type=EntityType.CLAIM,
           entity_id=found.claim_id, summary="Looked at a receipt")
    response = send_file(receipts.path_of(found), mimetype=found.content_type,
                         as_attachment=True,
                         download_name=f"receipt-{found.claim_id}-{found.id}"
                                       f"{receipts.KINDS[found.content_type][1][0]}")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/<int:session_id>/people/<int:contributor_id>/claim-form",
          endpoint="claim_form")
@requires(Permission.CLAIMS_MANAGE)
def claim_form(session_id: int, contributor_id: int) -> str:
    """The claim form (or invoice) filled in for one person and session, to print."""
    session = get_session()
    found = statement.claim_form_for(session, contributor_id, session_id)
    person = session.get(Contributor, contributor_id)
    if found is None or person is None:
        abort(404)
    row, role, project, claims = found
    record(session, Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
           summary=f"looked at the claim form for session {row.id} of")
    return render_template("payments/claim_form_print.html", title="Claim form", row=row,
                           role=role, project=project, claims=claims, person=person,
                           total=sum(c.amount_pence for c in claims))
