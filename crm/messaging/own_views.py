"""A contributor's own reminders page, under /messages/my: which reminders
they want (the day before a meeting, papers ready, consent review, training
running out). Standard or Easy Read, as they chose.

No URL names a record: the person is always the one signed in. Messaging
sits below the self-service pages in the layers, so this page carries its
own Easy Read switch (the same preference, the same audit), like the
payments and meetings pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors import access
from crm.contributors.models import Contributor
from crm.contributors.own_pages import own
from crm.db import get_session
from crm.messaging import reminders
from crm.messaging.blueprint import bp
from crm.messaging.forms import RemindersForm
from crm.messaging.models import ReminderKind
from crm.permissions import Permission
from crm.web.decorators import requires

View = Callable[..., Any]


def _me() -> Any:
    return current_user._get_current_object()


@bp.route("/my/reminders", methods=["GET", "POST"], endpoint="my_reminders")
@requires(Permission.OWN_RECORD_VIEW)
@own
def my_reminders(c: Contributor) -> Any:
    session = get_session()
    form = RemindersForm()
    if request.method == "POST":
        if not access.can_edit(_me(), c) or not form.validate():
            abort(400)
        wanted = set(form.wanted.data or [])
        off = [k.value for k in ReminderKind if k.value not in wanted]
        reminders.set_reminders(session, c, off)
        record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=c.id,
               actor=_me(), summary="reminders chosen; turned off: "
               + (", ".join(k.replace("_", " ") for k in off) or "none"))
        flash("Saved." if c.prefers_easy_read else "Your reminders are saved.", "success")
        return redirect(url_for("messaging.my_reminders"))
    turned = reminders.kinds_turned_off(session, c.id)
    form.wanted.data = [k.value for k in ReminderKind if k not in turned]
    easy = c.prefers_easy_read
    options = [{"value": k.value, "text": reminders.REMINDER_LABELS[k][1 if easy else 0]}
               for k in ReminderKind]
    return render_template("messaging/my_reminders.html", contributor=c, easy=easy,
                           return_to=request.path,
                           form=form, options=options, title="Reminders",
                           back_href=url_for("my.index"), back_text="Back to your record")
