"""Coordinators: the contributor list (search, filters, pages) and adding someone."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.accounts.models import User
from crm.contributors import services
from crm.contributors.blueprint import bp
from crm.contributors.forms import NewContributorForm
from crm.contributors.models import STATUS_LABELS
from crm.contributors.queries import (
    LIST_FILTERS,
    MAX_SEARCH,
    ContributorFilters,
    column_text,
    for_list,
)
from crm.db import get_session
from crm.permissions import Permission, Role
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate


def coordinators() -> list[User]:
    return list(get_session().scalars(
        select(User).where(User.role == Role.COORDINATOR.value, User.is_active.is_(True))
        .order_by(User.display_name)))


# Kept in the server-side session (crm.web.sessions), never in a URL or
# the cookie: the name or email search, and the last list the coordinator
# looked at (codes and a page number), for "Back to contributors".
SEARCH_KEY = "contributor_search"
LAST_LIST_KEY = "contributor_list"


def remember_search(text: str) -> None:
    text = text.strip()[:MAX_SEARCH]
    if text:
        session[SEARCH_KEY] = text
    else:
        session.pop(SEARCH_KEY, None)


def current_filters(args: Any) -> ContributorFilters:
    """The filters in ``args``, with the search text from the session."""
    return ContributorFilters.from_args(args, q=str(session.get(SEARCH_KEY, "")))


@bp.route("/")
@requires(Permission.CONTRIBUTORS_VIEW)
def index() -> Response | str:
    if "back" in request.args:
        # "Back to contributors" from a record: the same filters and page.
        last = session.get(LAST_LIST_KEY) or {}
        return redirect(url_for("contributors.index", **last))
    filters = current_filters(request.args)
    page = paginate(get_session(), for_list(filters))
    session[LAST_LIST_KEY] = {**filters.as_args(), **({"page": page.page} if page.page > 1
                                                       else {})}
    columns = [(f, dict(f.choices())) for f in filters.columns()]
    return render_template(
        "contributors/index.html", title="Contributors", page=page, filters=filters,
        list_filters=LIST_FILTERS, statuses=STATUS_LABELS, columns=columns,
        column_text=column_text,
    )


@bp.route("/search", methods=["POST"])
@requires(Permission.CONTRIBUTORS_VIEW)
def search() -> Response:
    """Search by name or email: posted, so the text never appears in a URL.
    The other filters come with it and go on in the URL, as codes."""
    form = CsrfForm()
    if form.validate_on_submit():
        clear = "clear" in request.form or "clear_search" in request.form
        remember_search("" if clear else request.form.get("q", ""))
    if "clear" in request.form:
        return redirect(url_for("contributors.index"))
    return redirect(url_for("contributors.index",
                            **ContributorFilters.from_args(request.form).as_args()))


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.CONTRIBUTORS_EDIT)
def new() -> Response | str | tuple[str, int]:
    form = NewContributorForm()
    form.key_contact_id.choices = [("", "No key contact yet")] + [
        (str(u.id), u.display_name) for u in coordinators()]
    if request.method == "GET":
        form.key_contact_id.data = str(current_user.id)
    status = 200
    if form.validate_on_submit():
        key_contact = form.key_contact_id.data
        try:
            contributor = services.create(get_session(), current_user._get_current_object(),
                                          services.NewContributor(
                                              full_name=form.full_name.data or "",
                                              preferred_name=form.preferred_name.data,
                                              email=form.email.data, phone=form.phone.data,
                                              postcode_area=form.postcode_area.data,
                                              key_contact_id=int(key_contact) if key_contact
                                              else None))
        except services.ContributorError as error:
            getattr(form, error.field or "full_name").errors = [error.message]
            status = 400
        else:
            flash(f"{contributor.name} has been added.", "success")
            return redirect(url_for("contributors.show", contributor_id=contributor.id))
    elif form.is_submitted():
        status = 400
    return render_template("contributors/new.html", form=form, title="Add a contributor",
                           settings=current_app.config["CRM_SETTINGS"]), status
