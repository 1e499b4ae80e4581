"""Coordinators: the ranked candidates for a role, and "why not this person?".

Thin views over ``crm.matching.ranking``. Looking at the list is audited
(CANDIDATES_VIEWED on the role); asking about one person is audited on
that person's record. A name typed to find someone is posted, never put in
the URL: the search answers with a redirect to a page that carries only the
record numbers it found (not personal data), so Back from a person's answer
returns to the list instead of asking to send the form again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from werkzeug.wrappers import Response
from wtforms import StringField

from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import STATUS_LABELS, Contributor
from crm.db import get_session
from crm.matching import ranking
from crm.matching.blueprint import bp
from crm.matching.models import OFFER_STATUS_LABELS
from crm.matching.offer_words import session_when, session_where
from crm.permissions import Permission
from crm.projects.models import CONFLICT_LABELS, ROLE_STATUS_LABELS, RoleOpening
from crm.reference import reference
from crm.web.decorators import requires
from crm.web.pagination import requested_page

MAX_MATCHES = 20


class WhyNotForm(FlaskForm):
    """A name (part of one) or a record number."""

    q = StringField()


def _role(role_id: int) -> RoleOpening:
    role = ranking.load_role(get_session(), role_id)
    if role is None:
        abort(404)
    return role


def _words(role: RoleOpening) -> dict[str, Any]:
    return {"role": role, "ref": reference(), "when": session_when, "where": session_where,
            "offer_statuses": OFFER_STATUS_LABELS, "role_statuses": ROLE_STATUS_LABELS,
            "conflicts": CONFLICT_LABELS, "statuses": STATUS_LABELS,
            "sessions": [s for s in role.sessions if not s.is_cancelled],
            "can_offer": "matching.send_offers" in current_app.view_functions}


@bp.route("/roles/<int:role_id>/candidates")
@requires(Permission.MATCHING_RUN)
def candidates(role_id: int) -> str:
    """The people who meet every rule for the role, best first, with the
    parts of their score, notes, interest and any offer already made."""
    role = _role(role_id)
    session = get_session()
    page = ranking.rank(session, role, today=dt.date.today(), page=requested_page(),
                        per_page=current_app.config["CRM_SETTINGS"].per_page)
    record(session, Action.CANDIDATES_VIEWED, entity_type=EntityType.ROLE, entity_id=role.id,
           summary=f"Candidates page {page.page} ({page.total} eligible)")
    return render_template("matching/candidates.html", title=f"Candidates: {role.title}",
                           page=page, form=WhyNotForm(), **_words(role))


@bp.route("/roles/<int:role_id>/why-not", methods=["POST"])
@requires(Permission.MATCHING_RUN)
def why_not_search(role_id: int) -> Response | tuple[str, int]:
    """Find the person to ask about: a record number goes straight to them,
    a name redirects to the list of the people it matches (by record
    number, see ``why_not_matches``)."""
    role = _role(role_id)
    form = WhyNotForm()
    text = (form.q.data or "").strip() if form.validate_on_submit() else ""
    if text.isdigit():
        return redirect(url_for("matching.why_not", role_id=role.id, contributor_id=int(text)))
    if len(text) < 2:
        form.q.errors = ["Enter a name (at least 2 letters) or a record number"]
    else:
        ids = list(get_session().scalars(
            _match_query(text).with_only_columns(Contributor.id).limit(MAX_MATCHES)))
        if ids:
            return redirect(url_for("matching.why_not_matches", role_id=role.id,
                                    ids=",".join(map(str, ids))), code=303)
        form.q.errors = [f"Nobody found for “{text}”. Check the spelling or use the "
                         "record number"]
    html = render_template("matching/why_not.html", title="Why not this person?", form=form,
                           matches=[], person=None, **_words(role))
    return html, 400


@bp.route("/roles/<int:role_id>/why-not")
@requires(Permission.MATCHING_RUN)
def why_not_matches(role_id: int) -> str:
    """The people a name search found ("Who do you mean?"), by the record
    numbers in ``?ids=``: the address holds no name, and Back comes here
    again without sending the form."""
    role = _role(role_id)
    wanted = [int(i) for i in request.args.get("ids", "").split(",")
              if i.isascii() and i.isdigit() and len(i) < 10][:MAX_MATCHES]
    matches = list(get_session().scalars(
        _live_people().where(Contributor.id.in_(wanted)))) if wanted else []
    return render_template("matching/why_not.html", title="Who do you mean?" if matches
                           else "Why not this person?", form=WhyNotForm(), matches=matches,
                           person=None, **_words(role))


def _live_people() -> Select[Contributor]:
    return (select(Contributor).where(Contributor.anonymised_at.is_(None))
            .order_by(Contributor.full_name, Contributor.id))


def _match_query(text: str) -> Select[Contributor]:
    return _live_people().where(Contributor.search_text.contains(text.lower(), autoescape=True))


@bp.route("/roles/<int:role_id>/why-not/<int:contributor_id>")
@requires(Permission.MATCHING_RUN)
def why_not(role_id: int, contributor_id: int) -> str:
    """Each rule this person does not meet for the role, in plain words, or
    that they meet every rule, with the parts of their score."""
    role = _role(role_id)
    session = get_session()
    person = session.get(Contributor, contributor_id)
    if person is None or person.anonymised_at is not None:
        abort(404)
    answer = ranking.explain(session, role, contributor_id, today=dt.date.today())
    record(session, Action.VIEW, entity_type=EntityType.CONTRIBUTOR, entity_id=person.id,
           summary=f"Why not, for role {role.id}")
    return render_template("matching/why_not.html", title=f"Why not {person.full_name}?",
                           form=WhyNotForm(), matches=[], person=person, answer=answer,
                           **_words(role))
