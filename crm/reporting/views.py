"""Report pages: aggregate, protected figures only. The choices (which
question, stage, population, level, ward, project, quarter) are codes in
the query string; no page names or links to a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from crm.db import get_session
from crm.equality.questions import Question, equality_questions
from crm.permissions import Permission
from crm.projects.models import Project, Ward
from crm.reference import reference
from crm.reporting import exports
from crm.reporting.disclosure import load_rules
from crm.reporting.populations import (
    CSV_HEADERS,
    MAX_UPLOAD_BYTES,
    Population,
    UploadError,
    parse_population_csv,
)
from crm.reporting.queries import STAGE_LABELS, Quarter, Scope, Stage
from crm.reporting.representation import BROAD, pcref, representation, trend, who_is_missing
from crm.reporting.services import all_populations, save_population
from crm.web.decorators import requires
from crm.web.forms import CsrfForm

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Choices:
    """What the filter form offers, and what was chosen."""

    question: Question
    grouping: str | None
    stage: Stage
    population: Population | None
    scope: Scope

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question.code, "stage": self.stage.value}
        if self.grouping:
            out["grouping"] = self.grouping
        if self.population:
            out["population"] = self.population.code
        for key in ("level", "project_id", "ward_id"):
            value = getattr(self.scope, key)
            if value:
                out[key] = value
        if self.scope.quarter:
            out["quarter"] = self.scope.quarter.code
        return out


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _choices(default_stage: Stage = Stage.BANK) -> Choices:
    questions = equality_questions()
    question = questions.get(request.args.get("question", "ethnic_group")) or questions.asked[0]
    if not question.asked:
        abort(404)
    try:
        stage = Stage(request.args.get("stage", default_stage.value))
    except ValueError:
        stage = default_stage
    populations = {p.code: p for p in all_populations(get_session())}
    chosen = request.args.get("population")
    if chosen is None:
        population = next(iter(populations.values()), None)
    else:
        population = populations.get(chosen)
    level = request.args.get("level") or None
    if level not in reference().involvement_levels.codes:
        level = None
    scope = Scope(stage=stage, level=level, project_id=_int("project_id"),
                  ward_id=_int("ward_id"), quarter=Quarter.parse(request.args.get("quarter")))
    if stage == Stage.BANK:
        scope = Scope(stage=stage)  # the bank is everyone: filters are for participation
    grouping = BROAD if request.args.get("grouping", BROAD if question.code == "ethnic_group"
                                         else "") == BROAD else None
    return Choices(question, grouping, stage, population, scope)


def _quarters(today: dt.date, n: int = 8) -> list[Quarter]:
    latest = Quarter.of(today)
    return [latest.previous(k) for k in range(n)]


def _form_context() -> dict[str, Any]:
    session = get_session()
    return {
        "question_choices": [(q.code, q.text) for q in equality_questions().asked],
        "stages": {s.value: label for s, label in STAGE_LABELS.items()},
        "population_choices": [(p.code, p.title) for p in all_populations(session)],
        "levels": reference().involvement_levels.choices(),
        "wards": list(session.execute(select(Ward.id, Ward.name).order_by(Ward.name))),
        "projects": list(session.execute(select(Project.id, Project.title)
                                         .order_by(Project.title).limit(500))),
        "quarter_choices": [(q.code, q.label) for q in _quarters(dt.date.today())],
    }


@bp.route("/")
@requires(Permission.REPORTS_VIEW)
def index() -> str:
    return render_template("reporting/index.html", title="Reports")


@bp.route("/representation")
@requires(Permission.REPORTS_VIEW)
def representation_page() -> str:
    choices = _choices()
    report = representation(get_session(), choices.question, choices.scope, choices.population,
                            load_rules(), choices.grouping)
    return render_template("reporting/representation.html", title="Who is in the bank",
                           report=report, choices=choices, **_form_context())


def _table(report: Any) -> tuple[list[str], list[list[Any]]]:
    headers = ["Group", "People (rounded)", "Share of those who answered (%)",
               "Population share (%)", "Ratio", "Under-represented"]
    rows = [[r.group.label, r.count, r.share, r.population_share, r.ratio,
             "Yes" if r.is_under else ""] for r in report.rows]
    rows.append(["Everyone who answered", report.answered, None if report.too_few else 100.0,
                 None, None, ""])
    rows.append(["Did not say, or did not answer", report.not_stated, "", "", "", ""])
    return headers, rows


@bp.route("/representation.<format>")
@requires(Permission.REPORTS_VIEW)
def representation_export(format: str) -> Response:
    if format not in MIMETYPES:
        abort(404)
    choices = _choices()
    report = representation(get_session(), choices.question, choices.scope, choices.population,
                            load_rules(), choices.grouping)
    headers, rows = _table(report)
    note = (f"{choices.question.text} {STAGE_LABELS[choices.stage]}. Counts from 1 to 7 are "
            "hidden and others rounded to the nearest 5.")
    body = (exports.as_csv(headers, rows) if format == "csv"
            else exports.as_xlsx("Representation", headers, rows, note))
    return Response(body, mimetype=MIMETYPES[format], headers={
        "Content-Disposition": f"attachment; filename=representation-{choices.question.code}"
                               f".{format}"})


def _pcref_scope() -> tuple[Choices, Scope]:
    choices = _choices(default_stage=Stage.ACCEPTED)
    return choices, (choices.scope if choices.stage != Stage.BANK
                     else Scope(stage=Stage.ACCEPTED))


@bp.route("/pcref.<format>")
@requires(Permission.REPORTS_VIEW)
def pcref_export(format: str) -> Response:
    if format not in MIMETYPES:
        abort(404)
    _choices_, scope = _pcref_scope()
    grid = pcref(get_session(), scope, load_rules())
    headers = ["Ethnic group", *grid.column_labels, "All levels"]
    rows = [[label, *grid.table.cells[i], grid.table.row_totals[i]]
            for i, label in enumerate(grid.row_labels)]
    rows.append(["All groups", *grid.table.column_totals, grid.table.total])
    note = (f"Ethnic group by involvement level, {STAGE_LABELS[scope.stage].lower()}. Counts "
            "from 1 to 7 are hidden and others rounded to the nearest 5.")
    body = (exports.as_csv(headers, rows) if format == "csv"
            else exports.as_xlsx("PCREF", headers, rows, note))
    return Response(body, mimetype=MIMETYPES[format], headers={
        "Content-Disposition": f"attachment; filename=pcref.{format}"})


@bp.route("/pcref")
@requires(Permission.REPORTS_VIEW)
def pcref_page() -> str:
    choices, scope = _pcref_scope()
    rules = load_rules()
    grid = pcref(get_session(), scope, rules)
    latest = scope.quarter or Quarter.of(dt.date.today())
    trends = trend(get_session(), Scope(stage=scope.stage, level=scope.level,
                                        project_id=scope.project_id, ward_id=scope.ward_id),
                   latest, rules)
    return render_template("reporting/pcref.html",
                           title="PCREF: ethnic group by involvement level", grid=grid,
                           trends=trends, choices=choices, scope=scope, rules=rules,
                           **_form_context())


@bp.route("/missing")
@requires(Permission.REPORTS_VIEW)
def missing_page() -> str:
    populations = {p.code: p for p in all_populations(get_session())}
    population = populations.get(request.args.get("population", "")) or next(
        iter(populations.values()))
    rules = load_rules()
    return render_template("reporting/missing.html", title="Who is missing",
                           missing=who_is_missing(get_session(), population, rules),
                           population=population, rules=rules,
                           population_choices=[(p.code, p.title) for p in populations.values()])


@bp.route("/populations", methods=["GET", "POST"])
@requires(Permission.POPULATIONS_UPLOAD)
def populations() -> WerkzeugResponse | tuple[str, int]:
    """The populations reports can compare with, and uploading another."""
    session = get_session()
    form = CsrfForm()
    errors: dict[str, str] = {}
    problems: list[str] = []
    values = {"title": request.form.get("title", "").strip(),
              "source": request.form.get("source", "").strip()}
    if request.method == "POST" and form.validate():
        if not values["title"]:
            errors["title"] = "Enter a name for the population"
        elif len(values["title"]) > 200:
            errors["title"] = "The name must be 200 characters or fewer"
        if not values["source"]:
            errors["source"] = "Say where the figures come from"
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            errors["file"] = "Select a CSV file"
        if not errors and upload is not None:
            try:
                shares = parse_population_csv(upload.stream.read(MAX_UPLOAD_BYTES + 1))
                save_population(session, current_user, values["title"], values["source"],
                                shares)
            except UploadError as exc:
                problems = exc.problems
            else:
                flash(f"{values['title']} can now be chosen in the reports.")
                return redirect(url_for("reports.populations"))
    status = 400 if errors or problems else 200
    return render_template("reporting/populations.html", title="Comparison populations",
                           populations=all_populations(session), form=form, errors=errors,
                           problems=problems, values=values, headers=",".join(CSV_HEADERS),
                           questions=equality_questions().asked), status
