"""Coordinators: a session's page (access checklist, people confirmed with
their pre-meets and check-ins, further thoughts), the printable checklist,
the session's .ics, upcoming sessions, and each project's "you said, we
did" log (with a printable version for ward notice boards)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response as WerkzeugResponse

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import get_session, utcnow
from crm.matching.offers import london_today
from crm.meetings import queries, services
from crm.meetings.blueprint import bp
from crm.meetings.checklist import Item
from crm.meetings.forms import LogForm, SupportForm, TickForm
from crm.meetings.models import (
    SUPPORT_KIND_LABELS,
    SUPPORT_STATUS_LABELS,
    SupportKind,
    YouSaidWeDid,
)
from crm.permissions import Permission
from crm.projects.calendar import ICS_MIMETYPE, ics_filename, session_calendar, uid_host
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS, Project, RoleOpening, RoleSession
from crm.projects.queries import get_or_404, project_for_page, session_for_page
from crm.web.decorators import requires

STALE = ("Someone else changed this after you opened the page, so your change has not been "
         "saved. Check what is saved now, then try again.")
PER_PAGE = 25


def actor() -> User:
    return current_user._get_current_object()


def calendar_response(row: RoleSession) -> Response:
    host = uid_host(current_app.config["CRM_SETTINGS"].base_url)
    response = Response(session_calendar(row, host), content_type=ICS_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{ics_filename(row)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- upcoming sessions


@bp.route("/sessions")
@requires(Permission.MEETINGS_MANAGE)
def sessions() -> str:
    """Sessions from today on, soonest first."""
    return _session_list(past=False)


@bp.route("/sessions/past")
@requires(Permission.MEETINGS_MANAGE)
def past_sessions() -> str:
    """Sessions before today, latest first: where a coordinator goes after a
    session to record attendance and fees (the list from today on leaves
    them out)."""
    return _session_list(past=True)


def _session_list(*, past: bool) -> str:
    session = get_session()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    cutoff = utcnow() - dt.timedelta(hours=12)
    base = select(RoleSession).where(RoleSession.starts_at < cutoff if past
                                     else RoleSession.starts_at >= cutoff)
    order = (RoleSession.starts_at.desc(), RoleSession.id.desc()) if past else \
        (RoleSession.starts_at, RoleSession.id)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = list(session.scalars(
        base.options(joinedload(RoleSession.role).joinedload(RoleOpening.project),
                     joinedload(RoleSession.ward))
        .order_by(*order)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return render_template("meetings/sessions.html", title="Past sessions" if past else "Sessions",
                           rows=rows, page=page, past=past,
                           endpoint="meetings.past_sessions" if past else "meetings.sessions",
                           pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), total=total)


# ---------------------------------------------------------------- one session


def _context(row: RoleSession) -> dict[str, Any]:
    session = get_session()
    people = queries.confirmed(session, row)
    checklist = queries.checklist_of(people, row)
    ticks = queries.ticks(session, row.id)
    supports = queries.supports(session, row.id)
    recorded = {(row.id, cid, kind) for cid, kind in supports}
    ticked = {k for k, t in ticks.items() if t.is_arranged}
    items = [(item, ticks.get(item.key), queries.is_done(item, ticked, recorded, row.id))
             for item in checklist.items]
    return {"row": row, "role": row.role, "people": people, "checklist": checklist,
            "items": items, "open_count": sum(1 for _i, _t, done in items if not done),
            "supports": supports, "thoughts": queries.thoughts(session, row.id),
            "attendance": queries.attendance_of(session, row.id),
            "outcomes": ATTENDANCE_OUTCOME_LABELS,
            "kinds": SUPPORT_KIND_LABELS, "statuses": SUPPORT_STATUS_LABELS,
            "started": row.starts_at <= utcnow(), "late_papers": (
                checklist.papers_by is not None and row.papers_ready_on is not None
                and row.papers_ready_on > checklist.papers_by)}


def _page(row: RoleSession, status: int = 200, **extra: Any) -> tuple[str, int]:
    record(get_session(), Action.VIEW, entity_type=EntityType.SESSION, entity_id=row.id,
           actor=actor(), summary="Looked at a session's checklist and people")
    return render_template("meetings/session.html", title="Making the session work",
                           **_context(row), **extra), status


@bp.route("/sessions/<int:session_id>")
@requires(Permission.MEETINGS_MANAGE)
def session_page(session_id: int) -> tuple[str, int]:
    return _page(session_for_page(get_session(), session_id))


@bp.route("/sessions/<int:session_id>/checklist/print")
@requires(Permission.MEETINGS_MANAGE)
def print_checklist(session_id: int) -> str:
    row = session_for_page(get_session(), session_id)
    record(get_session(), Action.VIEW, entity_type=EntityType.SESSION, entity_id=row.id,
           actor=actor(), summary="Printed a session's access checklist")
    return render_template("meetings/checklist_print.html", title="Access checklist",
                           **_context(row))


def _item(row: RoleSession, key: str) -> Item | None:
    people = queries.confirmed(get_session(), row)
    return next((i for i in queries.checklist_of(people, row).items if i.key == key), None)


@bp.route("/sessions/<int:session_id>/checklist", methods=["POST"])
@requires(Permission.MEETINGS_MANAGE)
def tick(session_id: int) -> WerkzeugResponse | tuple[str, int]:
    session = get_session()
    row = session_for_page(session, session_id)
    form = TickForm()
    if not form.validate():
        return _page(row, 400, page_error="The page had expired. Nothing has been saved. "
                                          "Please try again.")
    item = _item(row, form.item_key.data or "")
    if item is None:
        return _page(row, 400, page_error="That item is no longer on the checklist, because "
                                          "the people confirmed have changed.")
    try:
        services.set_arranged(session, actor(), row, item, form.arranged.data == "1",
                              form.expected_version)
    except services.MeetingError as error:
        session.rollback()
        return _page(session_for_page(session, session_id), 400, page_error=error.message)
    except (services.StaleEdit, StaleDataError, IntegrityError):
        session.rollback()
        return _page(session_for_page(session, session_id), 409, page_error=STALE)
    flash(f"Marked arranged: {item.text}." if form.arranged.data == "1"
          else f"Marked not arranged yet: {item.text}.", "success")
    return redirect(url_for("meetings.session_page", session_id=row.id, _anchor="checklist"))


@bp.route("/sessions/<int:session_id>/support", methods=["POST"])
@requires(Permission.MEETINGS_MANAGE)
def support(session_id: int) -> WerkzeugResponse | tuple[str, int]:
    session = get_session()
    row = session_for_page(session, session_id)
    form = SupportForm()
    raw_id = form.person.data or ""
    person_id = int(raw_id) if raw_id.isdigit() else -1
    person = next((p for p in queries.confirmed(session, row) if p.id == person_id), None)
    if person is None or form.kind.data not in {k.value for k in SupportKind}:
        abort(404)
    if not form.validate():
        return _page(row, 400, support_errors={(person.id, form.kind.data): form.errors})
    try:
        services.record_support(session, actor(), row, person, form.kind.data or "",
                                form.status.data or "", form.expected_version,
                                note=form.note.data, note_agreed=bool(form.note_agreed.data))
    except services.MeetingError as error:
        session.rollback()
        row = session_for_page(session, session_id)
        return _page(row, 400, support_errors={(person_id, form.kind.data):
                                               {error.field or "status": [error.message]}})
    except (services.StaleEdit, StaleDataError, IntegrityError):
        session.rollback()
        return _page(session_for_page(session, session_id), 409, page_error=STALE)
    label = SUPPORT_KIND_LABELS[SupportKind(form.kind.data)]
    flash(f"{label} recorded for {person.name}.", "success")
    return redirect(url_for("meetings.session_page", session_id=row.id, _anchor="people"))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@requires(Permission.MEETINGS_MANAGE)
def session_ics(session_id: int) -> Response:
    return calendar_response(session_for_page(get_session(), session_id))


# ---------------------------------------------------------------- you said, we did


def _log_input(form: LogForm) -> services.LogInput:
    return services.LogInput(
        raised_on=form.raised_on.data, you_said=form.you_said.data, we_did=form.we_did.data,
        done_on=form.done_on.data, easy_read_you_said=form.easy_read_you_said.data,
        easy_read_we_did=form.easy_read_we_did.data)


def _log_page(project: Project, form: LogForm, status: int = 200,
              page_error: str | None = None) -> tuple[str, int]:
    return render_template("meetings/log.html", title=f"You said, we did: {project.title}",
                           project=project, rows=queries.project_log(get_session(), project.id),
                           form=form, page_error=page_error), status


@bp.route("/projects/<int:project_id>/you-said-we-did", methods=["GET", "POST"])
@requires(Permission.MEETINGS_MANAGE)
def project_log(project_id: int) -> WerkzeugResponse | tuple[str, int]:
    session = get_session()
    project = project_for_page(session, project_id)
    form = LogForm()
    if request.method == "GET":
        form.raised_on.set(london_today())
        return _log_page(project, form)
    if not form.validate():
        return _log_page(project, form, 400)
    try:
        services.add_log_entry(session, actor(), project, _log_input(form), london_today())
    except services.MeetingError as error:
        session.rollback()
        form.add_error(error.field, error.message)
        return _log_page(project_for_page(session, project_id), form, 400)
    flash("Added to you said, we did.", "success")
    return redirect(url_for("meetings.project_log", project_id=project.id))


@bp.route("/you-said-we-did/<int:entry_id>", methods=["GET", "POST"])
@requires(Permission.MEETINGS_MANAGE)
def edit_log_entry(entry_id: int) -> WerkzeugResponse | tuple[str, int]:
    session = get_session()
    row = get_or_404(session, YouSaidWeDid, entry_id)
    project = project_for_page(session, row.project_id)
    form = LogForm()
    conflict = False
    if request.method == "POST" and form.validate():
        try:
            services.update_log_entry(session, actor(), row, form.expected_version,
                                      _log_input(form), london_today())
        except services.MeetingError as error:
            session.rollback()
            form.add_error(error.field, error.message)
        except (services.StaleEdit, StaleDataError):
            session.rollback()
            conflict = True
        else:
            flash("Your changes have been saved.", "success")
            return redirect(url_for("meetings.project_log", project_id=project.id))
    if request.method == "GET":
        form.version.data = str(row.version)
        form.raised_on.set(row.raised_on)
        form.done_on.set(row.done_on)
        for name in ("you_said", "we_did", "easy_read_you_said", "easy_read_we_did"):
            getattr(form, name).data = getattr(row, name)
    html = render_template("meetings/log_edit.html", title="Change an entry", project=project,
                           row=session.get(YouSaidWeDid, entry_id), form=form,
                           conflict=conflict, stale=STALE)
    return html, (200 if request.method == "GET" else 409 if conflict else 400)


@bp.route("/projects/<int:project_id>/you-said-we-did/print")
@requires(Permission.MEETINGS_MANAGE)
def print_log(project_id: int) -> str:
    session = get_session()
    project = project_for_page(session, project_id)
    return render_template("meetings/log_print.html", title=f"You said, we did: {project.title}",
                           project=project, rows=queries.project_log(session, project.id))
