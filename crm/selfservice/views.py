"""A contributor's own pages: their record, and nobody else's.

No URL here takes a record id: the record always comes from the signed-in
user (``access.own_record``), so nobody can reach another person's record by
changing a URL. A contributor whose account is not linked to a record yet
sees a kind page saying so, never someone else's record.

Changes go through the same rules as coordinators' pages
(crm.contributors.editing) via ``services.save_section``: every form carries
the version it was loaded from, so if a coordinator saved in between, the
person sees a calm page with what they entered, and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from crm.accounts.models import User
from crm.audit.actions import EntityType
from crm.contributors import access, editing, removal, services
from crm.contributors.models import (
    DAY_PARTS,
    DAYS,
    AttendanceMode,
    Channel,
    ConsentKind,
    Contributor,
    ExperienceKind,
    InformationFormat,
)
from crm.db import get_session
from crm.permissions import Permission
from crm.reference import reference
from crm.selfservice import export, forms, history, questions
from crm.selfservice.questions import SECTIONS, Question, Section
from crm.web.decorators import deny, requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate

bp = Blueprint("my", __name__, url_prefix="/my")

View = Callable[..., Any]

# Choices for the templates.
CHOICES = {
    "channels": [ch.value for ch in Channel],
    "formats": [f.value for f in InformationFormat],
    "attendance": [m.value for m in AttendanceMode],
    "experiences": [k.value for k in ExperienceKind],
    "days": DAYS,
    "parts": DAY_PARTS,
}


# --- Helpers ----------------------------------------------------------------

def _me() -> User:
    return current_user._get_current_object()


def _return_to() -> str:
    """Where the Easy Read switch brings the person back to: this page, if it
    is one of ours that can be shown again; otherwise the overview."""
    return _safe_return(request.path)


def _safe_return(path: str | None) -> str:
    if path and path.startswith(bp.url_prefix or "/my") and "//" not in path:
        adapter = current_app.url_map.bind("localhost")
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except HTTPException:
            endpoint = ""
        if endpoint.startswith("my.") and endpoint != "my.data_json":
            return path
    return url_for("my.index")


def _render(template: str, c: Contributor | None, status: int = 200,
            **context: Any) -> tuple[str, int]:
    easy = bool(c and c.prefers_easy_read)
    return render_template(template, contributor=c, easy=easy, return_to=_return_to(),
                           ref=reference(), words=questions, choices=CHOICES,
                           **context), status


def _not_set_up() -> tuple[str, int]:
    return _render("my/not_set_up.html", None, title="Your record is not set up yet",
                   back_href=url_for("home.index"), back_text="Back to home")


def own(view: View) -> View:
    """Load the signed-in person's own record and pass it to the view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        contributor = access.own_record(get_session(), _me())
        if contributor is None:
            return _not_set_up()
        if not access.can_view(_me(), contributor):  # defence in depth
            deny("not their own record", EntityType.CONTRIBUTOR, contributor.id)
        if request.method == "POST" and not access.can_edit(_me(), contributor):
            deny("cannot edit this record", EntityType.CONTRIBUTOR, contributor.id)
        return view(contributor, *args, **kwargs)

    return wrapped


# The rules are shared with coordinators' pages and speak about "them"; here
# the person reads about themselves.
OWN_WORDS = {
    "Select how they can take part": "Select how you can take part",
    "A way to contact them cannot be both preferred and not to use":
        "You chose the same way in both lists. Untick it in one of them",
    "Leave at least one way to contact them": "Leave at least one way we can contact you",
    "Enter the name of their supporter or advocate":
        "Enter the name of the person who helps you",
    "Enter a full name": "Enter your full name",
}

# Rule field names that are shown under another name on these pages.
FIELD_ALIASES = {"date_of_birth": "date_of_birth_day"}


def _field_error(form: forms.VersionedForm, error: services.ContributorError) -> None:
    """Put a rule's message next to its field, or at the top if the field is
    not on this page."""
    message = OWN_WORDS.get(error.message, error.message)
    name = FIELD_ALIASES.get(error.field or "", error.field)
    target = form._fields.get(name) if name and name not in ("version", "then") else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def _fresh() -> Contributor:
    """After a failed save, forget what this request did and read the record again."""
    session = get_session()
    session.rollback()
    fresh = access.own_record(session, _me())
    if fresh is None:
        abort(409)
    return fresh


# --- Overview ---------------------------------------------------------------

@bp.route("/")
@requires(Permission.OWN_RECORD_VIEW)
@own
def index(c: Contributor) -> tuple[str, int]:
    return _render("my/index.html", c, title="Your record", sections=SECTIONS,
                   back_href=url_for("home.index"), back_text="Back to home")


# --- Sections: "check your answers" pages -----------------------------------

def _section_view(section: Section) -> View:
    def view(c: Contributor) -> tuple[str, int]:
        easy = c.prefers_easy_read
        qs = section.questions()
        return _render("my/section.html", c, section=section,
                       title=questions.section_title(section, c, easy),
                       questions_and_rows=[(q, q.rows(c, easy)) for q in qs],
                       first=qs[0])

    view.__name__ = section.key
    return view


for _section in SECTIONS.values():
    bp.add_url_rule(f"/{_section.key}", endpoint=_section.key,
                    view_func=requires(Permission.OWN_RECORD_VIEW)(own(_section_view(_section))))


# --- Questions: one per page -------------------------------------------------

def _question_url(q: Question, then: str | None = None) -> str:
    args: dict[str, Any] = dict(q.args)
    if then == forms.THEN_SUMMARY:
        args["then"] = then
    return url_for(q.endpoint, **args)


def _back_from(section: Section, q: Question, then: str) -> str:
    if then == forms.THEN_SUMMARY:
        return url_for(section.summary_endpoint)
    before = section.before(q)
    return _question_url(before) if before else url_for(section.summary_endpoint)


def _question_page(c: Contributor, section: Section, q: Question, form: forms.VersionedForm,
                   status: int = 200, conflict: bool = False) -> tuple[str, int]:
    easy = c.prefers_easy_read
    then = form.then.data or forms.THEN_NEXT
    all_questions = section.questions()
    number = next(i for i, other in enumerate(all_questions, start=1)
                  if other.endpoint == q.endpoint and other.args == q.args)
    has_errors = bool(form.errors or form.form_errors) and not conflict
    return _render(q.template, c, status, form=form, question=q, section=section,
                   title=q.heading(easy), conflict=conflict, error_title=has_errors,
                   saved_now=q.rows(c, easy) if conflict else None,
                   back_href=_back_from(section, q, then), back_text="Back",
                   section_url=url_for(section.summary_endpoint),
                   action=_question_url(q, then), number=number, total=len(all_questions))


def _question_view(section: Section, endpoint: str) -> View:
    def view(c: Contributor) -> Any:
        q = section.find(f"my.{endpoint}", request.args.to_dict())
        if q is None:
            abort(404)
        if request.method == "GET":
            then = request.args.get("then")
            form = q.form_class(data={
                **q.initial(c), "version": c.version,
                "then": then if then in (forms.THEN_NEXT, forms.THEN_SUMMARY)
                else forms.THEN_NEXT})
            return _question_page(c, section, q, form)

        form = q.form_class()
        if not form.validate():
            return _question_page(c, section, q, form, 400)
        try:
            if isinstance(form, forms.BirthForm):
                try:
                    form.date_of_birth()
                except ValueError as error:
                    raise services.ContributorError(str(error), "date_of_birth") from None
            apply = q.change(c, form)
            services.save_section(get_session(), _me(), c, form.version.data, section.key,
                                  apply)
        except services.EditConflict:
            return _conflict(c, section, q, form)
        except StaleDataError:
            return _conflict(_fresh(), section, q, form)
        except services.ContributorError as error:
            _field_error(form, error)
            return _question_page(c, section, q, form, 400)

        easy = c.prefers_easy_read
        flash("Saved." if easy else "Your answer has been saved.", "success")
        if form.then.data == forms.THEN_SUMMARY:
            return redirect(url_for(section.summary_endpoint))
        after = section.after(q)
        return redirect(_question_url(after) if after else url_for(section.summary_endpoint))

    view.__name__ = endpoint
    return view


def _conflict(c: Contributor, section: Section, q: Question,
              form: forms.VersionedForm) -> tuple[str, int]:
    """Someone saved in between: keep what the person entered, on the form,
    with the record's new version so they can save it again if they want."""
    form.version.data = c.version
    return _question_page(c, section, q, form, 409, conflict=True)


QUESTION_ROUTES = [
    ("details", "/details/name", "details_name"),
    ("details", "/details/contact", "details_contact"),
    ("details", "/details/date-of-birth", "details_birth"),
    ("experience", "/experience/words", "experience_words"),
    ("experience", "/experience/how-you-know-services", "experience_kinds"),
    ("experience", "/experience/services", "experience_services"),
    ("experience", "/experience/in-your-words", "experience_in_your_words"),
    ("adjustments", "/adjustments/choose", "adjustments_group"),
    ("adjustments", "/adjustments/in-your-words", "adjustments_other"),
    ("communication", "/communication/ways", "communication_ways"),
    ("communication", "/communication/times", "communication_times"),
    ("communication", "/communication/format", "communication_format"),
    ("communication", "/communication/supporter", "communication_supporter"),
    ("communication", "/communication/papers", "communication_papers"),
    ("communication", "/communication/camera", "communication_camera"),
    ("availability", "/availability/days", "availability_days"),
    ("availability", "/availability/how", "availability_how"),
    ("availability", "/availability/travel", "availability_travel"),
    ("availability", "/availability/notice", "availability_notice"),
    ("availability", "/availability/anything-else", "availability_note"),
]

for _key, _path, _endpoint in QUESTION_ROUTES:
    bp.add_url_rule(_path, endpoint=_endpoint, methods=["GET", "POST"],
                    view_func=requires(Permission.OWN_RECORD_EDIT)(
                        own(_question_view(SECTIONS[_key], _endpoint))))


# --- Training (read only) ----------------------------------------------------

@bp.route("/training")
@requires(Permission.OWN_RECORD_VIEW)
@own
def training(c: Contributor) -> tuple[str, int]:
    return _render("my/training.html", c, title="My training",
                   today=dt.date.today(), courses=reference().training,
                   back_href=url_for("my.index"), back_text="Back to your record")


# --- Consents: give, or withdraw in one step --------------------------------

def _consents_page(c: Contributor, status: int = 200, form: forms.ConsentForm | None = None,
                   conflict: dict[str, str] | None = None) -> tuple[str, int]:
    return _render("my/consents.html", c, status, title="My consents",
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
        apply = (editing.set_consent(kind.value, True, "online", dt.date.today(), None)
                 if give else editing.withdraw_consent(kind.value))
        services.save_section(get_session(), _me(), c, form.version.data, "consents", apply)
    except (services.EditConflict, StaleDataError) as error:
        if isinstance(error, StaleDataError):
            c = _fresh()
        return _consents_page(c, 409, conflict={"kind": kind.value, "give": "yes" if give
                                                else "no"})
    except services.ContributorError as error:
        form.form_errors.append(error.message)
        return _consents_page(c, 400, form)
    words = export.CONSENT_WORDS[kind]
    if c.prefers_easy_read:
        flash("Done. We have changed your choice.", "success")
    elif give:
        flash(f"You have given consent to: {words.lower()}.", "success")
    else:
        flash(f"You have withdrawn consent to: {words.lower()}.", "success")
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


# --- Who has looked at my record ---------------------------------------------

@bp.route("/record-views")
@requires(Permission.OWN_RECORD_VIEW)
@own
def record_views(c: Contributor) -> tuple[str, int]:
    page = paginate(get_session(), history.staff_events(c, _me()))
    rows = [{"when": e.occurred_at, "who": history.who(e, _me()), "what": history.what(e)}
            for e in page.items]
    return _render("my/record_views.html", c, title="Who has looked at my record",
                   page=page, rows=rows,
                   back_href=url_for("my.index"), back_text="Back to your record")


# --- Download my data ----------------------------------------------------------

@bp.route("/data")
@requires(Permission.OWN_RECORD_VIEW)
@own
def data(c: Contributor) -> tuple[str, int]:
    session = get_session()
    services.record_view(session, _me(), c, "subject access download (printable page)")
    session.flush()
    easy = c.prefers_easy_read
    return _render("my/data.html", c, title="Download my data",
                   data=export.subject_access(session, _me(), c),
                   section_rows=[(s, [row for q in s.questions() for row in q.rows(c, easy)])
                                 for s in SECTIONS.values()],
                   back_href=url_for("my.index"), back_text="Back to your record")


@bp.route("/data.json")
@requires(Permission.OWN_RECORD_VIEW)
@own
def data_json(c: Contributor) -> Response:
    session = get_session()
    services.record_view(session, _me(), c, "subject access download")
    session.flush()
    body = export.as_json(export.subject_access(session, _me(), c))
    filename = f"my-involvement-record-{dt.date.today().isoformat()}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# --- Ask to be removed ---------------------------------------------------------

@bp.route("/remove")
@requires(Permission.OWN_RECORD_VIEW)
@own
def removal_page(c: Contributor) -> tuple[str, int]:
    return _render("my/remove.html", c, title="Ask to be removed", form=CsrfForm(),
                   back_href=url_for("my.index"), back_text="Back to your record")


@bp.route("/remove", methods=["POST"])
@requires(Permission.OWN_RECORD_EDIT)
@own
def request_removal(c: Contributor) -> Any:
    form = CsrfForm()
    if not form.validate():
        abort(400)
    try:
        removal.request_removal(get_session(), _me(), c)
    except services.ContributorError:
        abort(400)
    flash("We have your request." if c.prefers_easy_read
          else "Your request has been sent. A coordinator will remove your details.",
          "success")
    return redirect(url_for("my.index"))


# --- Easy Read switch ------------------------------------------------------------

@bp.route("/easy-read", methods=["POST"])
@requires(Permission.OWN_RECORD_EDIT)
@own
def easy_read(c: Contributor) -> Any:
    form = forms.EasyReadForm()
    if not form.validate() or form.enabled.data not in ("1", "0"):
        abort(400)
    # No version check: this sets one preference the person has just chosen
    # and cannot overwrite anything a coordinator saved.
    services.save_section(get_session(), _me(), c, None, "easy read",
                          editing.set_easy_read(form.enabled.data == "1"))
    return redirect(_safe_return(form.next.data))
