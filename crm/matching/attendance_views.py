"""Coordinators: recording attendance at a session for everyone who said
yes to its role."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from crm.db import get_session
from crm.matching import attendance
from crm.matching.blueprint import bp
from crm.permissions import Permission
from crm.projects.models import ATTENDANCE_OUTCOME_LABELS
from crm.projects.queries import session_for_page
from crm.web.decorators import requires
from crm.web.forms import CsrfForm

STALE = ("Someone else saved attendance for this session after you opened this page, so "
         "nothing has been saved. Check what is saved now below, then save again.")


def _answers() -> tuple[dict[int, str], dict[int, int]]:
    """The posted outcomes and row versions, by contributor id."""
    outcomes: dict[int, str] = {}
    versions: dict[int, int] = {}
    for key, value in request.form.items():
        name, _, cid = key.partition("-")
        if not cid.isdigit():
            continue
        if name == "outcome" and value:
            outcomes[int(cid)] = value
        elif name == "version":
            versions[int(cid)] = int(value) if value.isdigit() else -1
    return outcomes, versions


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"],
          endpoint="attendance")
@requires(Permission.ATTENDANCE_RECORD)
def attendance_page(session_id: int) -> Response | str | tuple[str, int]:
    session = get_session()
    row = session_for_page(session, session_id)
    form = CsrfForm()
    errors: dict[int, str] = {}
    page_error: str | None = None
    posted: dict[int, str] = {}
    if form.is_submitted():
        posted, versions = _answers()
        if not form.validate():
            page_error = "The page had expired. Nothing has been saved. Please try again."
        else:
            try:
                saved = attendance.record_attendance(
                    session, current_user._get_current_object(), row, posted, versions)
            except attendance.AttendanceError as error:
                session.rollback()
                if error.contributor_id is None:
                    page_error = error.message
                else:
                    errors[error.contributor_id] = error.message
            except (attendance.StaleAttendance, StaleDataError, IntegrityError):
                session.rollback()
                page_error = STALE
                posted = {}  # show what is saved now
            else:
                flash("Attendance saved." if saved else "Nothing had changed.", "success")
                return redirect(url_for("matching.attendance", session_id=row.id))
        row = session_for_page(session, session_id)
    html = render_template(
        "matching/attendance.html", row=row, role=row.role, lines=attendance.sheet(session, row),
        reason=attendance.may_record(row), outcomes=ATTENDANCE_OUTCOME_LABELS, errors=errors,
        page_error=page_error, posted=posted, title="Attendance",
        error_title=bool(errors or page_error))
    return (html, 400) if form.is_submitted() else html

