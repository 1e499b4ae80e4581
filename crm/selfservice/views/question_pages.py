"""One question per page: show it filled from the record, save it, and go
on to the next question (or back to the section's summary)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from crm.contributors.models import Contributor
from crm.contributors.services import ContributorError, EditConflict
from crm.db import get_session
from crm.permissions import Permission
from crm.selfservice import forms, services
from crm.selfservice.questions import SECTIONS, Question, Section, words
from crm.selfservice.views.base import View, bp, field_error, fresh, me, own, render
from crm.web.decorators import requires


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
    return render(q.template, c, status, form=form, question=q, section=section,
                  title=q.heading(easy), conflict=conflict, error_title=has_errors,
                  saved_now=q.rows(c, easy) if conflict else None,
                  back_href=_back_from(section, q, then), back_text="Back",
                  section_url=url_for(section.summary_endpoint),
                  action=_question_url(q, then), number=number, total=len(all_questions),
                  one_answer=then == forms.THEN_SUMMARY)


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
            services.save_answer(get_session(), me(), c, section, q, form)
        except EditConflict:
            return _conflict(c, section, q, form)
        except StaleDataError:
            return _conflict(fresh(), section, q, form)
        except ContributorError as error:
            field_error(form, error)
            return _question_page(c, section, q, form, 400)

        return _after_save(c, section, q, form.then.data)

    view.__name__ = endpoint
    return view


def _after_save(c: Contributor, section: Section, q: Question, then: str | None) -> Any:
    """Where to go after a save, and whether to say so. The "Saved" banner
    means "this is done": it shows when one answer changed from the summary
    is saved, or when the last question of a section is, never part way
    through (the page caption shows how far along the person is)."""
    easy = c.prefers_easy_read
    summary = url_for(section.summary_endpoint)
    if then == forms.THEN_SUMMARY:
        flash("Saved." if easy else "Your answer has been saved.", "success")
        return redirect(summary)
    after = section.after(q)
    if after is not None:
        return redirect(_question_url(after))
    flash("Saved. You have answered all the questions." if easy
          else f"You have finished \u201c{words.section_title(section, c, easy)}\u201d. "
               "Your answers have been saved.", "success")
    return redirect(summary)


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
