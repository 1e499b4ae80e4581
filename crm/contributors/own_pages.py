"""A contributor's own pages, wherever they live (self-service, meetings,
payments, reminders): the one decorator that loads the signed-in person's
own record and passes it to the view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user

from crm.audit.actions import EntityType
from crm.contributors import access
from crm.db import get_session
from crm.web.decorators import deny

View = Callable[..., Any]


def own(view: View) -> View:
    """Call ``view(contributor, ...)`` with the signed-in person's own record;
    show "not set up" when they have none. Defence in depth: refused unless
    they may see it, and a POST unless they may change it."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user._get_current_object()
        contributor = access.own_record(get_session(), user)
        if contributor is None:
            return render_template("selfservice/not_set_up.html", contributor=None,
                                   easy=False, return_to=request.path,
                                   title="Your record is not set up yet",
                                   back_href=url_for("home.index"), back_text="Back to home")
        if not access.can_view(user, contributor):
            deny("not their own record", EntityType.CONTRIBUTOR, contributor.id)
        if request.method == "POST" and not access.can_edit(user, contributor):
            deny("cannot edit this record", EntityType.CONTRIBUTOR, contributor.id)
        return view(contributor, *args, **kwargs)

    return wrapped
