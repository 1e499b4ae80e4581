"""Equality monitoring pages.

A contributor's own questions live under /my/equality (the person sees and
changes only their own answers; no URL names a record or an answer). A
coordinator may type in a paper form at /equality/paper/<contributor_id>:
the page is always blank and never shows what anyone answered, so the
answers cannot be read back by any URL.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.audit.actions import EntityType
from crm.contributors import access
from crm.contributors.models import Contributor
from crm.db import get_session
from crm.equality import forms, services
from crm.equality.questions import PREFER_NOT, Question, equality_questions
from crm.permissions import Permission
from crm.selfservice.views.base import OWN_PAGES_ELSEWHERE, me, own, render
from crm.web.decorators import deny, requires
from crm.web.forms import CsrfForm

bp = Blueprint("equality", __name__)
OWN_PAGES_ELSEWHERE.update({"equality.start", "equality.question", "equality.delete_answer",
                            "equality.delete_all"})


def _question(code: str) -> Question:
    q = equality_questions().get(code)
    if q is None or not q.asked:
        abort(404)
    return q


def _rows(c: Contributor, easy: bool) -> list[dict[str, Any]]:
    questions = equality_questions()
    answers = services.answers_of(get_session(), c.id)
    rows = []
    for q in questions.asked:
        if not questions.applies(q, answers):
            continue
        option = q.option(answers[q.code]) if q.code in answers else None
        rows.append({"question": q, "answer": option.text(easy) if option else None})
    return rows


@bp.route("/my/equality")
@requires(Permission.OWN_EQUALITY_ANSWER)
@own
def start(c: Contributor) -> tuple[str, int]:
    easy = c.prefers_easy_read
    first = equality_questions().next_after(None, {})
    return render("equality/start.html", c, title="About you: equality questions",
                  rows=_rows(c, easy), first=first, back_href=url_for("my.index"),
                  back_text="Back to your record", delete_form=CsrfForm())


@bp.route("/my/equality/<question>", methods=["GET", "POST"])
@requires(Permission.OWN_EQUALITY_ANSWER)
@own
def question(c: Contributor, question: str) -> Any:
    q = _question(question)
    questions = equality_questions()
    session = get_session()
    answers = services.answers_of(session, c.id)
    easy = c.prefers_easy_read
    form = forms.answer_form(q, easy, data={"answer": answers.get(q.code)}
                             if request.method == "GET" else None)
    if request.method == "POST" and form.validate():
        if request.form.get("action") == forms.SKIP:
            chosen = None
        elif form.answer.data:
            try:
                services.save_answer(session, me(), c, q.code, form.answer.data)
            except services.AnswerError as exc:
                form.answer.errors = [str(exc)]
                return _question_page(c, q, form, 400)
            chosen = form.answer.data
        else:
            form.answer.errors = ["Choose an answer, or skip this question" if not easy
                                  else "Choose an answer. Or press: Skip this question"]
            return _question_page(c, q, form, 400)
        answers = {**answers, **({q.code: chosen} if chosen else {})}
        after = questions.next_after(q.code, answers)
        if request.form.get("then") == "summary" or after is None:
            flash("Your answers are saved." if chosen else "You skipped that question.")
            return redirect(url_for("equality.start"))
        return redirect(url_for("equality.question", question=after.code))
    return _question_page(c, q, form, 400 if form.errors else 200)


def _question_page(c: Contributor, q: Question, form: forms.AnswerForm,
                   status: int) -> tuple[str, int]:
    questions = equality_questions()
    answers = services.answers_of(get_session(), c.id)
    asked = [x for x in questions.asked if questions.applies(x, answers)]
    number = next((i for i, x in enumerate(asked, start=1) if x.code == q.code), 1)
    before = questions.before(q.code, answers)
    then = request.values.get("then")
    return render("equality/question.html", c, status, form=form, question=q,
                  title=q.heading(c.prefers_easy_read), number=number, total=len(asked),
                  then=then if then == "summary" else None,
                  back_href=url_for("equality.question", question=before.code)
                  if before and then != "summary" else url_for("equality.start"),
                  error_title=bool(form.errors), prefer_not=PREFER_NOT)


@bp.route("/my/equality/<question>/delete", methods=["GET", "POST"])
@requires(Permission.OWN_EQUALITY_ANSWER)
@own
def delete_answer(c: Contributor, question: str) -> Any:
    q = _question(question)
    if request.method == "POST":
        form = CsrfForm()
        if form.validate():
            services.delete_answer(get_session(), me(), c, q.code)
            flash("We deleted that answer." if c.prefers_easy_read
                  else "Your answer has been deleted.")
            return redirect(url_for("equality.start"))
        abort(400)
    return render("equality/delete.html", c, title="Delete this answer?", question=q,
                  form=CsrfForm(), back_href=url_for("equality.start"))


@bp.route("/my/equality/delete-all", methods=["GET", "POST"])
@requires(Permission.OWN_EQUALITY_ANSWER)
@own
def delete_all(c: Contributor) -> Any:
    if request.method == "POST":
        if CsrfForm().validate():
            services.delete_all(get_session(), me(), c)
            flash("We deleted all your answers." if c.prefers_easy_read
                  else "All your equality answers have been deleted.")
            return redirect(url_for("equality.start"))
        abort(400)
    return render("equality/delete.html", c, title="Delete all your answers?", question=None,
                  form=CsrfForm(), back_href=url_for("equality.start"))


@bp.route("/equality/paper/<int:contributor_id>", methods=["GET", "POST"])
@requires(Permission.EQUALITY_ENTER_PAPER)
def paper(contributor_id: int) -> Response | tuple[str, int]:
    """Type in a paper form. Always blank: what is saved is never shown."""
    session = get_session()
    c = session.get(Contributor, contributor_id)
    if c is None or c.anonymised_at is not None:
        abort(404)
    if not access.can_edit(me(), c):
        deny("cannot edit this record", EntityType.CONTRIBUTOR, c.id)
    questions = equality_questions()
    form = forms.paper_form(questions)
    if request.method == "POST" and form.validate():
        given = {q.code: getattr(form, q.code).data or "" for q in questions.asked}
        try:
            saved = services.save_paper_form(session, me(), c, given)
        except services.AnswerError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(f"{saved} answers from the paper form are saved. You will not be able to "
                  "see them again: only the person can, in their own pages."
                  if saved else "Nothing was saved: every question was left blank.")
            return redirect(url_for("contributors.show", contributor_id=c.id))
    return render_template("equality/paper.html", title="Type in a paper equality form",
                           form=form, contributor=c, questions=questions), \
        400 if form.errors or form.form_errors else 200
