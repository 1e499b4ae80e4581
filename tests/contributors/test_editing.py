"""The rules for each section of a contributor record (crm.contributors.editing)."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.audit.models import AuditEvent
from crm.audit.services import REDACTED
from crm.contributors import editing, services
from crm.contributors.models import Contributor
from crm.permissions import Role
from crm.reference import reference
from tests.factories import make_contributor, make_user

TODAY = dt.date(2026, 11, 26)


def _save(db, contributor: Contributor, apply, section: str = "test") -> dict:
    actor = make_user(db, Role.COORDINATOR)
    changes = services.save_section(db, actor, contributor, contributor.version, section, apply)
    db.commit()
    return changes


def test_details_require_a_name_and_a_past_birth_date() -> None:
    with pytest.raises(services.ContributorError) as err:
        editing.set_details(editing.Details(full_name="  "))
    assert err.value.field == "full_name"
    with pytest.raises(services.ContributorError) as err:
        editing.set_details(editing.Details(full_name="A", date_of_birth=TODAY.replace(year=2030)),
                            today=TODAY)
    assert err.value.field == "date_of_birth"


def test_details_normalise_and_update_search_text(db) -> None:
    c = make_contributor(db, full_name="Old Name")
    _save(db, c, editing.set_details(editing.Details(full_name=" Amira Khan ",
                                                     email="Amira@Example.ORG",
                                                     postcode_area="ls6")))
    assert (c.full_name, c.email, c.postcode_area) == ("Amira Khan", "amira@example.org", "LS6")
    assert "amira khan" in c.search_text


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(services.ContributorError) as err:
        editing.set_experience(["astronaut"], [], None, False)
    assert err.value.field == "experiences"
    with pytest.raises(services.ContributorError) as err:
        editing.set_adjustments(["not_a_code"])
    assert err.value.field == "adjustments"


def test_special_category_changes_are_audited_without_values(db) -> None:
    c = make_contributor(db)
    service = next(iter(reference().service_kinds.codes))
    changes = _save(db, c, editing.set_experience(["carer"], [service], "My own words", True))
    assert changes["experiences"] == {"old": REDACTED, "new": REDACTED}
    assert changes["what_i_bring"] == {"old": REDACTED, "new": REDACTED}
    event = db.query(AuditEvent).filter_by(entity_type="contributor", entity_id=c.id).one()
    assert "My own words" not in str(event.changes) and "carer" not in str(event.changes)


def test_only_operational_values_are_audited_everything_else_is_redacted(db) -> None:
    c = make_contributor(db, full_name="Before")
    changes = _save(db, c, editing.set_details(editing.Details(full_name="After")))
    assert changes["full_name"] == {"old": REDACTED, "new": REDACTED}
    changes = _save(db, c, editing.set_availability([], "online", 12, 3, "clinic on Mondays"))
    assert changes["attendance_mode"] == {"old": "either", "new": "online"}
    assert changes["travel_max_miles"] == {"old": None, "new": 12}
    assert changes["availability_note"] == {"old": REDACTED, "new": REDACTED}


def test_no_marker_text_from_any_section_reaches_the_audit_log(db) -> None:
    """Every section edited with a marker string: none appears in the log."""
    c = make_contributor(db)
    mark = "ZQXMARK"
    code = reference().adjustments.items[0].code
    for apply in [
        editing.set_details(editing.Details(full_name=f"{mark} Name", email=f"{mark}@x.org",
                                            phone=f"{mark}1", postal_address=mark,
                                            pronouns=mark, preferred_name=mark)),
        editing.set_experience(["carer"], [], mark, True),
        editing.set_skills([], [mark]),
        editing.set_availability([], "online", None, None, mark),
        editing.set_affiliations(True, mark, [(mark, True)]),
        editing.set_adjustments([code], {code: mark}, mark),
        editing.set_communication(editing.Communication(
            information_format="translated", language=mark, via_supporter=True,
            supporter_name=mark, supporter_contact=mark, best_times=mark)),
        editing.set_support(["peer_support"], {"peer_support": mark}),
    ]:
        _save(db, c, apply)
    logged = " ".join(str(e.changes) + str(e.summary) for e in db.query(AuditEvent))
    assert mark not in logged


def test_save_section_refuses_a_stale_version(db) -> None:
    c = make_contributor(db)
    stale = c.version
    _save(db, c, editing.set_easy_read(True))
    assert c.version == stale + 1
    with pytest.raises(services.EditConflict):
        services.save_section(db, make_user(db), c, stale, "details",
                              editing.set_details(editing.Details(full_name="Overwrite")))
    assert c.full_name != "Overwrite"


def test_child_only_changes_bump_the_version(db) -> None:
    c = make_contributor(db)
    before = c.version
    _save(db, c, editing.set_adjustments(["quiet_room"] if "quiet_room" in
                                         reference().adjustments.codes else
                                         [reference().adjustments.items[0].code]))
    assert c.version == before + 1


def test_paused_and_left_are_different(db) -> None:
    c = make_contributor(db)
    _save(db, c, editing.set_status("paused", TODAY + dt.timedelta(days=30), None, None,
                                    today=TODAY))
    assert c.paused_until and c.left_on is None
    _save(db, c, editing.set_status("left", None, None, None, today=TODAY))
    assert c.paused_until is None and c.left_on == TODAY
    with pytest.raises(services.ContributorError):
        editing.set_status("paused", TODAY - dt.timedelta(days=1), None, None, today=TODAY)


def test_consent_withdrawal_is_one_step_and_kept_on_record(db) -> None:
    c = make_contributor(db)
    _save(db, c, editing.set_consent("contact", True, "online", TODAY, TODAY.replace(year=2027),
                                     today=TODAY))
    _save(db, c, editing.withdraw_consent("contact", today=TODAY))
    (consent,) = c.consents
    assert consent.is_given is False and consent.withdrawn_on == TODAY
    with pytest.raises(services.ContributorError):
        editing.set_consent("contact", True, "telepathy", TODAY, None, today=TODAY)


def test_communication_rules() -> None:
    with pytest.raises(services.ContributorError) as err:
        editing.set_communication(editing.Communication(channel_order=["email"],
                                                        do_not_use=["email"]))
    assert err.value.field == "do_not_use"
    with pytest.raises(services.ContributorError) as err:
        editing.set_communication(editing.Communication(information_format="translated"))
    assert err.value.field == "language"
    with pytest.raises(services.ContributorError) as err:
        editing.set_communication(editing.Communication(via_supporter=True))
    assert err.value.field == "supporter_name"


def test_training_expiry_comes_from_the_catalogue(db) -> None:
    c = make_contributor(db)
    course = next(i for i in reference().training.items if i.validity_months)
    _save(db, c, editing.add_training(course.code, dt.date(2026, 1, 31), "Trust", None,
                                      today=TODAY))
    (completion,) = c.training
    assert completion.expires_on == services.expiry_for(dt.date(2026, 1, 31),
                                                        course.validity_months)
    never = next(i for i in reference().training.items if not i.validity_months)
    _save(db, c, editing.add_training(never.code, TODAY, None, None, today=TODAY))
    assert any(t.course_code == never.code and t.expires_on is None for t in c.training)


@pytest.mark.parametrize(("completed", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2026, 11, 26), 36, dt.date(2029, 11, 26)),
    (dt.date(2026, 11, 26), None, None),
])
def test_expiry_dates(completed, months, expected) -> None:
    assert services.expiry_for(completed, months) == expected


def test_availability_slots_are_validated_and_synced(db) -> None:
    c = make_contributor(db)
    _save(db, c, editing.set_availability(["monday morning", "friday evening"], "online", 10, 7,
                                          None))
    assert sorted(f"{a.day} {a.part}" for a in c.availability) == ["friday evening",
                                                                   "monday morning"]
    with pytest.raises(services.ContributorError):
        editing.set_availability(["someday morning"], "online", None, None, None)


def test_resaving_a_withdrawn_consent_keeps_the_withdrawal_date(db) -> None:
    c = make_contributor(db)
    _save(db, c, editing.set_consent("contact", True, "online", TODAY, None, today=TODAY))
    _save(db, c, editing.withdraw_consent("contact", today=TODAY))
    _save(db, c, editing.set_consent("contact", False, "paper", TODAY, None, today=TODAY))
    assert c.consents[0].withdrawn_on == TODAY
    _save(db, c, editing.set_consent("contact", True, "paper", TODAY, None, today=TODAY))
    assert c.consents[0].withdrawn_on is None


def test_key_contact_must_be_an_active_coordinator(db) -> None:
    c = make_contributor(db)
    finance = make_user(db, Role.FINANCE)
    for bad in (finance.id, 999_999):
        with pytest.raises(services.ContributorError) as err:
            services.save_section(db, make_user(db), c, c.version, "status",
                                  editing.set_status("active", None, None, bad, today=TODAY))
        assert err.value.field == "key_contact_id"
        db.rollback()
    coordinator = make_user(db, Role.COORDINATOR)
    _save(db, c, editing.set_status("active", None, None, coordinator.id, today=TODAY))
    assert c.key_contact_id == coordinator.id


def test_skill_values_are_not_copied_into_the_audit_log(db) -> None:
    c = make_contributor(db)
    code = reference().skills.items[0].code
    changes = _save(db, c, editing.set_skills([code], ["Hearing voices group"]))
    assert changes["skills"] == {"old": REDACTED, "new": REDACTED}


def test_anonymising_removes_skills_in_their_own_words(db) -> None:
    from crm.contributors.removal import anonymise

    c = make_contributor(db)
    code = reference().skills.items[0].code
    _save(db, c, editing.set_skills([code], ["My own skill"]))
    anonymise(db, make_user(db), c)
    db.commit()
    assert [s.code for s in c.skills] == [code]


def test_two_current_records_cannot_share_an_email_address(db) -> None:
    make_contributor(db, email="priya@example.org")
    with pytest.raises(services.ContributorError) as err:
        services.create(db, make_user(db), services.NewContributor(full_name="Priya Shah",
                                                                   email="Priya@Example.org"))
    assert err.value.field == "email"
    other = make_contributor(db, email="someone@example.org")
    with pytest.raises(services.ContributorError):
        services.save_section(db, make_user(db), other, other.version, "details",
                              editing.set_details(editing.Details(full_name="X",
                                                                  email="priya@example.org")))
