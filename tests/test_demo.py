"""The synthetic demo data set: accounts, a few hundred invented contributors."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from crm import demo
from crm.accounts.models import User
from crm.contributors.models import (
    CommunicationPreference,
    Consent,
    Contributor,
    LivedExperience,
    ServiceKnown,
    Skill,
    TrainingCompletion,
)
from crm.permissions import Role
from tests.factories import make_user


def count(db, model, *where) -> int:
    return db.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def loaded(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_load_creates_accounts_and_contributors(loaded, db) -> None:
    assert "synthetic demo data (no real people)" in loaded
    for account in demo.DEMO_ACCOUNTS:
        assert account.email in loaded
    emails = set(db.scalars(select(User.email)))
    assert emails == {a.email for a in demo.DEMO_ACCOUNTS}
    assert count(db, Contributor) == demo.DEMO_CONTRIBUTORS
    # Clearly not real people: no deliverable email address.
    assert all(e.endswith("@demo.example") for e in db.scalars(
        select(Contributor.email).where(Contributor.email.is_not(None))))


def test_demo_contributor_account_is_linked_to_a_full_record(loaded, db) -> None:
    kit = db.scalars(select(User).where(User.email == demo.DEMO_CONTRIBUTOR_EMAIL)).one()
    record = db.scalars(select(Contributor).where(Contributor.user_id == kit.id)).one()
    assert record.full_name == kit.display_name
    assert record.status == "active" and record.key_contact.email == "coordinator@demo.example"
    assert record.experiences and record.service_kinds and record.adjustments
    assert record.communication is not None and record.consents and record.training


def test_demo_data_varies_like_a_real_bank(loaded, db) -> None:
    today = dt.date.today()
    statuses = dict(db.execute(select(Contributor.status, func.count())
                               .group_by(Contributor.status)).all())
    assert set(statuses) == {"active", "paused", "left"}
    assert statuses["active"] > statuses["paused"] > 0 and statuses["left"] > 0
    assert count(db, Contributor, Contributor.paused_until > today) > 0
    assert count(db, Contributor, Contributor.left_on <= today) == statuses["left"]
    kinds = set(db.scalars(select(LivedExperience.kind).distinct()))
    assert kinds == {"patient_current", "patient_former", "carer", "family_member"}
    assert count(db, ServiceKnown, ServiceKnown.code == "picu") > 0
    assert count(db, Skill, Skill.label.is_not(None)) > 0  # in their own words
    formats = set(db.scalars(select(CommunicationPreference.information_format).distinct()))
    assert {"standard", "easy_read", "large_print", "translated"} <= formats
    assert count(db, CommunicationPreference, CommunicationPreference.via_supporter) > 0
    assert count(db, Consent, Consent.withdrawn_on.is_not(None)) > 0
    assert count(db, Consent, Consent.review_on.is_not(None)) > 0
    assert count(db, Contributor, Contributor.attendance_mode == "online") > 0
    assert count(db, Contributor, Contributor.key_contact_id.is_(None)) > 0


def test_some_training_expires_in_the_next_60_days(loaded, db) -> None:
    today = dt.date.today()
    due = count(db, TrainingCompletion, TrainingCompletion.expires_on >= today,
                TrainingCompletion.expires_on <= today + dt.timedelta(days=60))
    assert due >= 10


def test_loading_twice_does_not_duplicate(app, loaded, db) -> None:
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0
    assert "already has accounts: demo data not loaded" in again.output
    assert count(db, User) == len(demo.DEMO_ACCOUNTS)
    assert count(db, Contributor) == demo.DEMO_CONTRIBUTORS


def test_demo_sign_ins_are_printed_only_when_the_database_holds_them(app, db) -> None:
    """A database of real accounts never gets the demo password printed."""
    make_user(db, Role.ADMINISTRATOR, email="real.admin@trust.example")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert demo.DEMO_PASSWORD not in result.output and "Demo sign-ins" not in result.output
    assert count(db, Contributor) == 0


def test_the_generator_is_deterministic() -> None:
    today, now = dt.date(2026, 11, 26), dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)

    def people(seed: int) -> list[object]:
        return [vars(p) for p in demo.generate(random.Random(seed), 200, today, [7], now=now)]

    first = people(demo.DEMO_SEED)
    assert first == people(demo.DEMO_SEED)
    assert first != people(demo.DEMO_SEED + 1)
    names = [p["row"]["full_name"] for p in first]
    assert len(set(names)) > 150  # varied


def test_bulk_contributors_writes_in_batches(db) -> None:
    first_id = demo.bulk_contributors(db, 1200, seed=5, batch_size=500)
    db.commit()
    assert count(db, Contributor) == 1200
    assert first_id == db.scalar(select(func.min(Contributor.id)))
    assert count(db, LivedExperience) >= 1200  # everyone has at least one kind
    # The ids written match the rows (children point at real contributors).
    orphans = count(db, LivedExperience, LivedExperience.contributor_id.not_in(
        select(Contributor.id)))
    assert orphans == 0
    # And ordinary inserts still work afterwards (sequences not disturbed).
    extra = Contributor(full_name="After Bulk", search_text="after bulk")
    db.add(extra)
    db.commit()
    assert extra.id > first_id


def test_demo_email_addresses_pass_the_forms_email_check(db, settings) -> None:
    """Demo records must be editable: their addresses must be ones the
    forms accept (the reserved .invalid domain is refused by the check)."""
    from email_validator import validate_email

    from crm import demo
    from crm.contributors.models import Contributor

    demo.load(db, settings)
    db.commit()
    for email in db.scalars(select(Contributor.email).where(Contributor.email.is_not(None))):
        validate_email(email, check_deliverability=False)
