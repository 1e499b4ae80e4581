"""Factories for test data. Committed so the app (and a live server) sees it."""

from __future__ import annotations

import datetime as dt
import itertools
from functools import lru_cache
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.accounts.models import SignInAttempt, User
from crm.accounts.passwords import TEST_HASHER
from crm.contributors.models import (
    Adjustment,
    Affiliation,
    AvailabilitySlot,
    CommunicationPreference,
    Consent,
    Contributor,
    ImportBatch,
    LivedExperience,
    ServiceKnown,
    Skill,
    SupportInPlace,
    TrainingCompletion,
)
from crm.contributors.services import expiry_for, search_text_for
from crm.db import utcnow
from crm.permissions import Role
from crm.reference import reference

PASSWORD = "correct-horse-battery-staple-9"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # The test apps hash with argon2id's cheapest parameters (see
    # crm.accounts.passwords); verifying reads the parameters from the hash.
    return TEST_HASHER.hash(PASSWORD)


def make_user(session: Session, role: Role = Role.COORDINATOR, *, email: str | None = None,
              name: str | None = None, active: bool = True, with_password: bool = True) -> User:
    n = next(_seq)
    user = User(
        email=email or f"person{n}@example.org",
        display_name=name or f"Test Person {n}",
        role=role.value,
        is_active=active,
        password_hash=_password_hash() if with_password else None,
        password_changed_at=utcnow() if with_password else None,
    )
    session.add(user)
    session.commit()
    return user


def make_contributor(session: Session, *, full_name: str | None = None,
                     user: User | None = None, **fields: object) -> Contributor:
    """A contributor record (committed). ``fields`` set any Contributor column."""
    n = next(_seq)
    contributor = Contributor(full_name=full_name or f"Contributor {n}", user=user,
                              email=fields.pop("email", f"contributor{n}@example.org"),
                              **fields)
    contributor.search_text = search_text_for(contributor)
    session.add(contributor)
    session.commit()
    return contributor


# -- rows that belong to a contributor ---------------------------------------
# Pass them to make_contributor (adjustments=[adjustment("quiet_room")], ...)
# or append them to a loaded contributor; each fills in what a real save would.

def experience(kind: str = "patient_former") -> LivedExperience:
    return LivedExperience(kind=kind)


def service_known(code: str = "acute_adult_ward") -> ServiceKnown:
    return ServiceKnown(code=code)


def skill(code: str | None = "interview_panels", label: str | None = None) -> Skill:
    return Skill(code=None if label else code, label=label)


def slot(day: str = "tuesday", part: str = "morning") -> AvailabilitySlot:
    return AvailabilitySlot(day=day, part=part)


def affiliation(organisation: str = "Hearing Voices Group", *,
                user_led: bool = True) -> Affiliation:
    return Affiliation(organisation=organisation, is_user_led=user_led)


def support(kind: str = "supervision", note: str | None = None) -> SupportInPlace:
    return SupportInPlace(kind=kind, note=note)


def adjustment(code: str = "quiet_room", note: str | None = None) -> Adjustment:
    return Adjustment(code=code, note=note)


def consent(kind: str = "contact", *, given: bool = True,
            recorded_on: dt.date = dt.date(2026, 1, 5), method: str = "online",
            review_on: dt.date | None = None, withdrawn_on: dt.date | None = None) -> Consent:
    return Consent(kind=kind, is_given=given, recorded_on=recorded_on, method=method,
                   review_on=review_on, withdrawn_on=withdrawn_on)


def training(course_code: str = "safeguarding", completed_on: dt.date = dt.date(2026, 1, 5),
             *, provider: str | None = None, note: str | None = None) -> TrainingCompletion:
    """A completed course, its expiry worked out from the catalogue as a save does."""
    course = reference().training.get(course_code)
    assert course is not None, f"no course {course_code!r} in the training catalogue"
    return TrainingCompletion(course_code=course_code, completed_on=completed_on,
                              provider=provider, note=note,
                              expires_on=expiry_for(completed_on, course.validity_months))


def communication(**fields: Any) -> CommunicationPreference:
    """How to contact them; unset fields take the column defaults."""
    fields.setdefault("channel_order", ["email"])
    fields.setdefault("do_not_use", [])
    return CommunicationPreference(**fields)


def make_import_batch(session: Session, by: User | None,
                      people: list[Contributor]) -> ImportBatch:
    """A CSV import that added ``people`` (committed)."""
    batch = ImportBatch(upload_key=f"{next(_seq):064d}", imported_by=by, imported_at=utcnow(),
                        rows_imported=len(people), rows_skipped=0)
    session.add(batch)
    session.flush()
    for person in people:
        person.import_batch_id = batch.id
    session.commit()
    return batch


def failed_sign_ins(session: Session, n: int, *, email: str, ip: str = "198.51.100.1",
                    at: dt.datetime | None = None) -> None:
    """``n`` refused sign-ins for ``email`` from ``ip`` (committed)."""
    from crm.accounts.throttle import account_key

    when = at or utcnow()
    session.add_all([SignInAttempt(account_key=account_key(email), ip_address=ip,
                                   succeeded=False, attempted_at=when) for _ in range(n)])
    session.commit()


def make_signed_up_contributor(session: Session, name: str = "Alex Example", *,
                               email: str | None = None) -> tuple[User, Contributor]:
    """A contributor who has accepted their invitation: (account, record)."""
    slug = name.split()[0].lower()
    user = make_user(session, Role.CONTRIBUTOR, name=name, email=email or f"{slug}@example.org")
    record = make_contributor(session, full_name=name, user=user,
                              email=f"{slug}.contact@example.org")
    return user, record


def session_cookie(app: Flask, user: User) -> tuple[str, str]:
    """A signed-in session for ``user`` made the way the sign-in page makes
    one (crm.accounts.sessions.start, saved by the server-side session
    store), without the form: (cookie name, value). Only tests of signing in
    itself need the form."""
    from flask import session as cookie_session

    from crm.accounts.sessions import start
    from crm.db import get_session

    with app.test_request_context("/"):
        db_session = get_session()
        start(db_session, db_session.get_one(User, user.id))
        db_session.commit()
        response = app.response_class()
        app.session_interface.save_session(app, cookie_session._get_current_object(),
                                           response)
    name = app.config["SESSION_COOKIE_NAME"]
    value = response.headers["Set-Cookie"].split(";", 1)[0].removeprefix(f"{name}=")
    return name, value


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    """``client`` signed in as ``user`` by its session cookie (no form)."""
    assert client.application is not None
    name, value = session_cookie(client.application, user)
    client.set_cookie(name, value)
    return client


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Sign ``user`` in on ``client`` through the real form. Returns the
    response. For tests of signing in; others use ``log_in``."""
    from tests.conftest import csrf_token

    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"email": user.email, "password": password,
                                         "csrf_token": token})


def invitation_token(session: Session, email: str) -> str:
    """The token of the newest sign-in link sent to ``email``, made the way
    the app makes it for its sender (the outbox never holds it)."""
    from sqlalchemy import select

    from crm.accounts.models import Invitation
    from crm.accounts.services import token_from_seed
    from tests.conftest import TEST_SECRET

    session.expire_all()
    invitation = session.scalars(
        select(Invitation).join(Invitation.user).where(User.email == email.lower())
        .order_by(Invitation.id.desc())).first()
    assert invitation is not None and invitation.link_seed, f"no open link for {email}"
    return token_from_seed(TEST_SECRET, invitation.link_seed)
