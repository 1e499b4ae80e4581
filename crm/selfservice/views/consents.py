"""The person's consents: give one, or withdraw one in one step."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from sqlalchemy.orm.exc import StaleDataError

from crm.contributors.models import ConsentKind, Contributor
from crm.contributors.services import ContributorError, EditConflict
from crm.db import get_session
from crm.permissions import Permission
from crm.selfservice import export, forms, services
from crm.selfservice.views.base import bp, fresh, me, own, render
from crm.web.decorators import requires


def _consents_page(c: Contributor, status: int = 200, form: forms.ConsentForm | None = None,
                   conflict: dict[str, str] | None = None) -> tuple[str, int]:
    return render("selfservice/consents.html", c, status, title="My consents",
                  consents=export.consent_rows(c), form=form, conflict=conflict,
                  error_title=bool(form and (form.errors or form.form_errors)),
                  back_href=url_for("my.index"), back_text="Back to your record")


@bp.route("/consents")
@requires(Permission.OWN_RECORD_VIEW)
@own
def consents(c: Contributor) -> tuple[str, int]:
    return _consents_page(c)


def _consent_change(c: Contributor, give: bool) -> Any:
    form = forms.ConsentForm()
    if not form.validate() or form.kind.data not in {k.value for k in ConsentKind}:
        if not form.errors:
            form.form_errors.append("Choose a consent from the list")
        return _consents_page(c, 400, form)
    kind = ConsentKind(form.kind.data)
    try:
        services.change_own_consent(get_session(), me(), c, form.version.data, kind, give)
    except (EditConflict, StaleDataError) as error:
        if isinstance(error, StaleDataError):
            c = fresh()
        return _consents_page(c, 409, conflict={"kind": kind.value, "give": "yes" if give
                                                else "no"})
    except ContributorError as error:
        form.form_errors.append(error.message)
        return _consents_page(c, 400, form)
    consent_words = export.CONSENT_WORDS[kind]
    if c.prefers_easy_read:
        flash("Done. We have changed your choice.", "success")
    elif give:
        flash(f"You have given consent to: {consent_words.lower()}.", "success")
    else:
        flash(f"You have withdrawn consent to: {consent_words.lower()}.", "success")
    return redirect(url_for("my.consents"))


@bp.route("/consents/withdraw", methods=["POST"])
@requires(Permission.OWN_RECORD_EDIT)
@own
def withdraw_consent(c: Contributor) -> Any:
    return _consent_change(c, give=False)


@bp.route("/consents/give", methods=["POST"])
@requires(Permission.OWN_RECORD_EDIT)
@own
def give_consent(c: Contributor) -> Any:
    return _consent_change(c, give=True)
