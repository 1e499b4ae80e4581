"""Home page per role, and the pages every service needs (health,
accessibility statement, privacy notice)."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from crm.db import get_session, utcnow
from crm.home import todo as _todo  # noqa: F401 (adds the to-do lists' routes)
from crm.home import todo_queries
from crm.home.blueprint import bp
from crm.matching import offer_queries
from crm.matching.offers import london_today
from crm.permissions import Permission, Role
from crm.web.decorators import public, requires
from crm.web.pagination import count_rows

__all__ = ["bp"]

HOME_TEMPLATES = {
    Role.ADMINISTRATOR: "home/administrator.html",
    Role.COORDINATOR: "home/coordinator.html",
    Role.FINANCE: "home/finance.html",
    Role.REPORT_VIEWER: "home/report_viewer.html",
    Role.CONTRIBUTOR: "home/contributor.html",
}


@bp.route("/")
@requires(Permission.HOME_VIEW)
def index() -> str:
    role = current_user.role_enum
    attention = None
    windows: dict[str, int] = {}
    if current_user.can(Permission.CONTRIBUTORS_VIEW):
        from crm.contributors import queries

        attention = queries.attention_counts(get_session())
        windows = {"review_days": queries.CONSENT_REVIEW_DAYS,
                   "pause_days": queries.PAUSE_ENDING_DAYS}
    ledger_counts: dict[str, tuple[int, int]] = {}
    if current_user.can(Permission.PAYMENTS_APPROVE):
        from crm.payments.ledger_queries import counts_by_state

        ledger_counts = counts_by_state(get_session())
    open_checklists: list[object] = []
    if current_user.can(Permission.MEETINGS_MANAGE):
        from crm.meetings.queries import sessions_needing_arrangements

        open_checklists = list(sessions_needing_arrangements(get_session(), utcnow()))
    return render_template(HOME_TEMPLATES[role], title="Home", role=role, attention=attention,
                           ledger_counts=ledger_counts, open_checklists=open_checklists,
                           to_do=_to_do(), **windows)


def _to_do() -> dict[str, int]:
    """What waits for the coordinator across every project, a count each
    (one query each, however many there are); each links to its list in
    crm.home.todo."""
    session = get_session()
    counts: dict[str, int] = {}
    if current_user.can(Permission.OFFERS_MANAGE):
        counts["questions"] = count_rows(session, offer_queries.waiting_questions_stmt())
        counts["another_way"] = count_rows(
            session, offer_queries.by_hand_stmt(london_today()))
    if current_user.can(Permission.CLAIMS_MANAGE):
        counts["drafted_claims"], counts["drafted_sessions"] = todo_queries.drafted_counts(
            session)
    if current_user.can(Permission.ATTENDANCE_RECORD):
        counts["attendance"] = count_rows(
            session, todo_queries.without_attendance_stmt(session, utcnow()))
    if current_user.can(Permission.OWN_ROLES_VIEW):
        counts["offers_to_answer"] = todo_queries.own_offers_to_answer(
            session, current_user.id, london_today())
    return counts


@bp.route("/health")
@public
def health() -> tuple[Response, int]:
    """For load balancers: 200 when the database answers."""
    try:
        get_session().execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@bp.route("/accessibility")
@public
def accessibility() -> str:
    return render_template("home/accessibility.html", title="Accessibility statement")


@bp.route("/privacy")
@public
def privacy() -> str:
    return render_template("home/privacy.html", title="Privacy notice")
