"""The person's record as a whole: the overview, each section's "check your
answers" page, training, who has looked, the data download, asking to be
removed, and the Easy Read switch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, url_for

from crm.contributors import removal
from crm.contributors.models import Contributor
from crm.contributors.services import ContributorError
from crm.db import get_session
from crm.permissions import Permission
from crm.reference import reference
from crm.selfservice import export, forms, history, services
from crm.selfservice.questions import SECTIONS, Section, words
from crm.selfservice.views.base import View, bp, me, own, render, safe_return
from crm.web.decorators import requires
from crm.web.forms import CsrfForm
from crm.web.pagination import paginate

# --- Overview ---------------------------------------------------------------

@bp.route("/")
@requires(Permission.OWN_RECORD_VIEW)
@own
def index(c: Contributor) -> tuple[str, int]:
    return render("selfservice/index.html", c, title="Your record", sections=SECTIONS,
                  back_href=url_for("home.index"), back_text="Back to home")


# --- Sections: "check your answers" pages -----------------------------------

def _section_view(section: Section) -> View:
    def view(c: Contributor) -> tuple[str, int]:
        easy = c.prefers_easy_read
        qs = section.questions()
        return render("selfservice/section.html", c, section=section,
                      title=words.section_title(section, c, easy),
                      questions_and_rows=[(q, q.rows(c, easy)) for q in qs],
                      first=qs[0])

    view.__name__ = section.key
    return view


for _section in SECTIONS.values():
    bp.add_url_rule(f"/{_section.key}", endpoint=_section.key,
                    view_func=requires(Permission.OWN_RECORD_VIEW)(own(_section_view(_section))))


# --- Training (read only) ----------------------------------------------------

@bp.route("/training")
@requires(Permission.OWN_RECORD_VIEW)
@own
def training(c: Contributor) -> tuple[str, int]:
    return render("selfservice/training.html", c, title="My training",
                  today=dt.date.today(), courses=reference().training,
                  back_href=url_for("my.index"), back_text="Back to your record")


# --- Who has looked at my record ---------------------------------------------

@bp.route("/record-views")
@requires(Permission.OWN_RECORD_VIEW)
@own
def record_views(c: Contributor) -> tuple[str, int]:
    page = paginate(get_session(), history.staff_events(c, me()))
    rows = [{"when": e.occurred_at, "who": history.who(e, me()), "what": history.what(e)}
            for e in page.items]
    return render("selfservice/record_views.html", c, title="Who has looked at my record",
                  page=page, rows=rows,
                  back_href=url_for("my.index"), back_text="Back to your record")


# --- Download my data ----------------------------------------------------------

@bp.route("/data")
@requires(Permission.OWN_RECORD_VIEW)
@own
def data(c: Contributor) -> tuple[str, int]:
    session = get_session()
    services.record_own_download(session, me(), c, "subject access download (printable page)")
    easy = c.prefers_easy_read
    return render("selfservice/data.html", c, title="Download my data",
                  data=export.subject_access(session, me(), c),
                  section_rows=[(s, [row for q in s.questions() for row in q.rows(c, easy)])
                                for s in SECTIONS.values()],
                  back_href=url_for("my.index"), back_text="Back to your record")


@bp.route("/data.json")
@requires(Permission.OWN_RECORD_VIEW)
@own
def data_json(c: Contributor) -> Response:
    session = get_session()
    services.record_own_download(session, me(), c, "subject access download")
    body = export.as_json(export.subject_access(session, me(), c))
    filename = f"my-involvement-record-{dt.date.today().isoformat()}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# --- Ask to be removed ---------------------------------------------------------

@bp.route("/remove")
@requires(Permission.OWN_RECORD_VIEW)
@own
def removal_page(c: Contributor) -> tuple[str, int]:
    return render("selfservice/remove.html", c, title="Ask to be removed", form=CsrfForm(),
                  back_href=url_for("my.index"), back_text="Back to your record")


@bp.route("/remove", methods=["POST"])
@requires(Permission.OWN_RECORD_EDIT)
@own
def request_removal(c: Contributor) -> Any:
    form = CsrfForm()
    if not form.validate():
        abort(400)
    try:
        removal.request_removal(get_session(), me(), c)
    except ContributorError:
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
    services.set_easy_read(get_session(), me(), c, form.enabled.data == "1")
    return redirect(safe_return(form.next.data))
