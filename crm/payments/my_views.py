"""A contributor's own payments, under /payments/my: what has been paid,
what is waiting, their payment choices, their yearly statement (to read,
print or download) and a claim form for a session filled in for them.
Standard or Easy Read, as they chose.

No URL names a record: the person is always the one signed in, and a
session that is not one of theirs is "not found". Payments sits below the
self-service pages in the layers, so these pages carry their own Easy Read
switch (the same preference, the same audit), like the meetings pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session, utcnow
from crm.payments import ledger, ledger_queries, statement
from crm.payments.blueprint import bp
from crm.payments.own_names import back_to, page_name, page_names
from crm.payments.schedule import STATE_WORDS
from crm.permissions import Permission
from crm.web.decorators import requires
from crm.web.pagination import paginate

View = Callable[..., Any]
OWN_PAGES = frozenset({"payments.my_payments", "payments.my_statement",
                       "payments.my_claim_form"})
# Part of payment choices (their own page), linked when it is there.
CHOICES_ENDPOINT = "my_payments.choices"


def _me() -> Any:
    return current_user._get_current_object()


def render(template: str, c: Contributor, status: int = 200, **context: Any
           ) -> tuple[str, int]:
    return render_template(template, contributor=c, easy=c.prefers_easy_read,
                           return_to=request.path, names=page_names(c.prefers_easy_read),
                           **context), status


def _choices_href() -> str | None:
    if CHOICES_ENDPOINT in current_app.view_functions:
        return url_for(CHOICES_ENDPOINT)
    return None


def _today() -> Any:
    return utcnow().astimezone(ledger.LONDON).date()


@bp.route("/my", endpoint="my_payments")
@requires(Permission.OWN_PAYMENTS_VIEW)
@own
def my_payments(c: Contributor) -> tuple[str, int]:
    session = get_session()
    page = paginate(session, ledger_queries.my_claims_stmt(c.id), scalars=False)
    return render("payments/my_payments.html", c,
                  title=page_name("my_payments", c.prefers_easy_read), page=page,
                  states=STATE_WORDS, today=_today(),
                  totals=ledger_queries.my_totals(session, c.id),
                  years=statement.statement_years(session, c.id, _today()),
                  year_label=statement.tax_year_label, choices_href=_choices_href(),
                  back_href=url_for("home.index"), back_text="Back to home")


def _statement(c: Contributor, year: int) -> statement.Statement:
    if not 2000 <= year <= _today().year + 1:
        abort(404)
    return statement.statement_for(get_session(), c.id, year)


@bp.route("/my/statement/<int:year>", endpoint="my_statement")
@requires(Permission.OWN_PAYMENTS_VIEW)
@own
def my_statement(c: Contributor, year: int) -> tuple[str, int]:
    return render("payments/statement.html", c,
                  title=page_name("statement", c.prefers_easy_read, statement.tax_year_label(year)),
                  st=_statement(c, year), download=False,
                  allowance=statement.TRADING_ALLOWANCE_PENCE,
                  back_href=url_for("payments.my_payments"),
                  back_text=back_to("my_payments", c.prefers_easy_read))


@bp.route("/my/statement/<int:year>/download", endpoint="my_statement_download")
@requires(Permission.OWN_PAYMENTS_VIEW)
@own
def my_statement_download(c: Contributor, year: int) -> Response:
    html, _status = render("payments/statement_file.html", c,
                           title=f"Statement for {year} to {year + 1}", st=_statement(c, year),
                           allowance=statement.TRADING_ALLOWANCE_PENCE,
                           organisation=current_app.config["CRM_SETTINGS"].organisation_name)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="payments-statement-{year}-{year + 1}.html"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my/sessions/<int:session_id>/claim-form", endpoint="my_claim_form")
@requires(Permission.OWN_PAYMENTS_VIEW)
@own
def my_claim_form(c: Contributor, session_id: int) -> tuple[str, int]:
    found = statement.claim_form_for(get_session(), c.id, session_id)
    if found is None:
        abort(404)
    row, role, project, claims = found
    return render("payments/claim_form.html", c,
                  title=page_name("claim_form", c.prefers_easy_read), row=row, role=role,
                  project=project, claims=claims, person=c,
                  total=sum(x.amount_pence for x in claims),
                  back_href=url_for("payments.my_payments"),
                  back_text=back_to("my_payments", c.prefers_easy_read))
