"""What each section of a contributor record may be changed to.

Each ``set_*`` function checks its input against the rules and the
reference catalogues (raising ContributorError naming the field) and
returns a function that applies the change; pass it to
``services.save_section``, which handles conflicts and auditing. Used by
coordinators' pages and by contributors' own pages alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import object_session

from crm.accounts.models import User
from crm.contributors.models import (
    CONSENT_METHODS,
    DAY_PARTS,
    DAYS,
    Adjustment,
    Affiliation,
    AttendanceMode,
    AvailabilitySlot,
    Channel,
    CommunicationPreference,
    Consent,
    ConsentKind,
    Contributor,
    ExperienceKind,
    InformationFormat,
    LivedExperience,
    ServiceKnown,
    Skill,
    Status,
    SupportInPlace,
    TrainingCompletion,
)
from crm.contributors.services import (
    DUPLICATE_EMAIL,
    ContributorError,
    email_in_use,
    expiry_for,
    search_text_for,
)
from crm.permissions import Role
from crm.reference import reference

Apply = Callable[[Contributor], None]


def _clean(value: str | None, limit: int, field_name: str, label: str) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ContributorError(f"{label} must be {limit} characters or fewer", field_name)
    return text or None


def _codes(values: Iterable[str], allowed: frozenset[str], field_name: str) -> list[str]:
    chosen = list(dict.fromkeys(v for v in values if v))
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ContributorError("Select from the list", field_name)
    return chosen


@dataclass
class Details:
    full_name: str
    preferred_name: str | None = None
    pronouns: str | None = None
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None
    postcode_area: str | None = None
    date_of_birth: dt.date | None = None


def set_details(d: Details, today: dt.date | None = None) -> Apply:
    today = today or dt.date.today()
    full_name = _clean(d.full_name, 200, "full_name", "Full name")
    if not full_name:
        raise ContributorError("Enter a full name", "full_name")
    if d.date_of_birth and not (dt.date(1900, 1, 1) <= d.date_of_birth <= today):
        raise ContributorError("Date of birth must be a real date in the past", "date_of_birth")
    values = {
        "full_name": full_name,
        "preferred_name": _clean(d.preferred_name, 100, "preferred_name", "Preferred name"),
        "pronouns": _clean(d.pronouns, 50, "pronouns", "Pronouns"),
        "email": (_clean(d.email, 254, "email", "Email address") or "").lower() or None,
        "phone": _clean(d.phone, 40, "phone", "Phone number"),
        "postal_address": _clean(d.postal_address, 500, "postal_address", "Postal address"),
        "postcode_area": (_clean(d.postcode_area, 20, "postcode_area", "Postcode district")
                          or "").upper() or None,
        "date_of_birth": d.date_of_birth,
    }

    def apply(c: Contributor) -> None:
        session = object_session(c)
        email = values["email"]
        assert email is None or isinstance(email, str)
        if session is not None and email_in_use(session, email, except_id=c.id):
            raise ContributorError(DUPLICATE_EMAIL, "email")
        for key, value in values.items():
            setattr(c, key, value)
        c.search_text = search_text_for(c)

    return apply


def set_experience(kinds: Iterable[str], service_kinds: Iterable[str], what_i_bring: str | None,
                   prefers_living_experience: bool) -> Apply:
    chosen = _codes(kinds, frozenset(k.value for k in ExperienceKind), "experiences")
    services = _codes(service_kinds, reference().service_kinds.codes, "service_kinds")
    words = _clean(what_i_bring, 2000, "what_i_bring", "What you bring")

    def apply(c: Contributor) -> None:
        _sync(c.experiences, chosen, lambda e: e.kind,
              lambda k: LivedExperience(kind=k))
        _sync(c.service_kinds, services, lambda s: s.code,
              lambda k: ServiceKnown(code=k))
        c.what_i_bring = words
        c.prefers_living_experience = prefers_living_experience

    return apply


def set_skills(codes: Iterable[str], others: Iterable[str]) -> Apply:
    chosen = _codes(codes, reference().skills.codes, "skills")
    free = list(dict.fromkeys(o.strip() for o in others if o and o.strip()))
    if any(len(o) > 100 for o in free):
        raise ContributorError("Each skill must be 100 characters or fewer", "other_skills")
    if len(free) > 20:
        raise ContributorError("Add up to 20 skills of your own", "other_skills")

    def apply(c: Contributor) -> None:
        c.skills.clear()
        c.skills.extend([Skill(code=code) for code in chosen] + [Skill(label=o) for o in free])

    return apply


def set_availability(slots: Iterable[str], attendance_mode: str, travel_max_miles: int | None,
                     notice_days: int | None, note: str | None) -> Apply:
    """``slots`` are "day part" strings such as "monday morning"."""
    parsed: list[tuple[str, str]] = []
    for slot in dict.fromkeys(slots):
        day, _, part = slot.partition(" ")
        if day not in DAYS or part not in DAY_PARTS:
            raise ContributorError("Select days and times from the list", "slots")
        parsed.append((day, part))
    if attendance_mode not in {m.value for m in AttendanceMode}:
        raise ContributorError("Select how they can take part", "attendance_mode")
    limits = ((travel_max_miles, "travel_max_miles", "Travel distance", 500),
              (notice_days, "notice_days", "Notice", 365))
    for value, name, label, limit in limits:
        if value is not None and not 0 <= value <= limit:
            raise ContributorError(f"{label} must be between 0 and {limit}", name)
    text = _clean(note, 1000, "availability_note", "Note")

    def apply(c: Contributor) -> None:
        _sync(c.availability, [f"{d} {p}" for d, p in parsed], lambda a: f"{a.day} {a.part}",
              lambda s: AvailabilitySlot(day=s.split()[0], part=s.split()[1]))
        c.attendance_mode = attendance_mode
        c.travel_max_miles = travel_max_miles
        c.notice_days = notice_days
        c.availability_note = text

    return apply


def set_status(status: str, paused_until: dt.date | None, left_on: dt.date | None,
               key_contact_id: int | None, today: dt.date | None = None) -> Apply:
    """Paused (stepping back for wellbeing) may carry a return date; left is
    not the same as paused, and only "left" carries a leaving date."""
    today = today or dt.date.today()
    if status not in {s.value for s in Status}:
        raise ContributorError("Select a status", "status")
    if status == Status.PAUSED and paused_until and paused_until <= today:
        raise ContributorError("The return date must be in the future", "paused_until")
    if status == Status.LEFT and left_on and left_on > today:
        raise ContributorError("The date they left must be today or in the past", "left_on")

    def apply(c: Contributor) -> None:
        # A key contact who has since left may stay; a new one must be active.
        if key_contact_id is not None and key_contact_id != c.key_contact_id:
            session = object_session(c)
            contact = session.get(User, key_contact_id) if session else None
            if contact is None or contact.role != Role.COORDINATOR or not contact.is_active:
                raise ContributorError("Select a key contact from the list", "key_contact_id")
        c.status = status
        c.paused_until = paused_until if status == Status.PAUSED else None
        c.left_on = (left_on or today) if status == Status.LEFT else None
        c.key_contact_id = key_contact_id

    return apply


def set_affiliations(is_peer_support_worker: bool, peer_employer: str | None,
                     organisations: Iterable[tuple[str, bool]]) -> Apply:
    employer = _clean(peer_employer, 200, "peer_employer", "Employer")
    if is_peer_support_worker and not employer:
        raise ContributorError("Enter who employs them as a peer support worker", "peer_employer")
    orgs = [(name.strip(), user_led) for name, user_led in organisations if name and name.strip()]
    if any(len(name) > 200 for name, _ in orgs):
        raise ContributorError("Each organisation name must be 200 characters or fewer",
                               "organisations")

    def apply(c: Contributor) -> None:
        c.is_peer_support_worker = is_peer_support_worker
        c.peer_employer = employer if is_peer_support_worker else None
        c.affiliations.clear()
        c.affiliations.extend(Affiliation(organisation=n, is_user_led=u) for n, u in orgs)

    return apply


def set_consent(kind: str, is_given: bool, method: str, recorded_on: dt.date,
                review_on: dt.date | None, today: dt.date | None = None) -> Apply:
    today = today or dt.date.today()
    if kind not in {k.value for k in ConsentKind}:
        raise ContributorError("Select which consent this is", "kind")
    if method not in CONSENT_METHODS:
        raise ContributorError("Select how consent was given", "method")
    if recorded_on > today:
        raise ContributorError("The date must be today or in the past", "recorded_on")
    if review_on and review_on <= recorded_on:
        raise ContributorError("The review date must be after the date it was given",
                               "review_on")

    def apply(c: Contributor) -> None:
        existing = next((x for x in c.consents if x.kind == kind), None)
        if existing is None:
            existing = Consent(kind=kind)
            c.consents.append(existing)
        existing.is_given = is_given
        existing.method = method
        existing.recorded_on = recorded_on
        existing.review_on = review_on
        # Giving consent again clears a withdrawal; otherwise keep its date.
        existing.withdrawn_on = None if is_given else existing.withdrawn_on

    return apply


def withdraw_consent(kind: str, today: dt.date | None = None) -> Apply:
    """Withdrawing is one step: the consent stays on record, marked withdrawn."""
    today = today or dt.date.today()

    def apply(c: Contributor) -> None:
        existing = next((x for x in c.consents if x.kind == kind), None)
        if existing is None or not existing.is_given:
            raise ContributorError("There is no consent to withdraw", "kind")
        existing.is_given = False
        existing.withdrawn_on = today

    return apply


def set_adjustments(codes: Iterable[str], notes: dict[str, str] | None = None,
                    other: str | None = None) -> Apply:
    chosen = _codes(codes, reference().adjustments.codes, "adjustments")
    notes = {k: (v or "").strip() for k, v in (notes or {}).items()}
    if any(len(v) > 500 for v in notes.values()):
        raise ContributorError("Each note must be 500 characters or fewer", "adjustments")
    own_words = _clean(other, 2000, "adjustments_other", "Other adjustments")

    def apply(c: Contributor) -> None:
        _sync(c.adjustments, chosen, lambda a: a.code,
              lambda code: Adjustment(code=code))
        for adjustment in c.adjustments:
            if adjustment.code in notes:
                adjustment.note = notes[adjustment.code] or None
        c.adjustments_other = own_words

    return apply


@dataclass
class Communication:
    channel_order: list[str] = field(default_factory=list)
    do_not_use: list[str] = field(default_factory=list)
    best_times: str | None = None
    information_format: str = InformationFormat.STANDARD.value
    language: str | None = None
    via_supporter: bool = False
    supporter_name: str | None = None
    supporter_contact: str | None = None
    papers_days_before: int | None = None
    camera_optional: bool = True


def set_communication(data: Communication) -> Apply:
    channels = frozenset(ch.value for ch in Channel)
    order = _codes(data.channel_order, channels, "channel_order")
    never = _codes(data.do_not_use, channels, "do_not_use")
    if set(order) & set(never):
        raise ContributorError("A way to contact them cannot be both preferred and not to use",
                               "do_not_use")
    if never and set(never) == channels:
        raise ContributorError("Leave at least one way to contact them", "do_not_use")
    if data.information_format not in {f.value for f in InformationFormat}:
        raise ContributorError("Select a format", "information_format")
    language = _clean(data.language, 80, "language", "Language")
    if data.information_format == InformationFormat.TRANSLATED and not language:
        raise ContributorError("Enter the language", "language")
    supporter = _clean(data.supporter_name, 200, "supporter_name", "Supporter's name")
    if data.via_supporter and not supporter:
        raise ContributorError("Enter the name of their supporter or advocate", "supporter_name")
    if data.papers_days_before is not None and not 0 <= data.papers_days_before <= 60:
        raise ContributorError("Enter a number of days between 0 and 60", "papers_days_before")
    values = {
        "channel_order": order,
        "do_not_use": never,
        "best_times": _clean(data.best_times, 300, "best_times", "Best times"),
        "information_format": data.information_format,
        "language": language if data.information_format == InformationFormat.TRANSLATED
        else None,
        "via_supporter": data.via_supporter,
        "supporter_name": supporter if data.via_supporter else None,
        "supporter_contact": _clean(data.supporter_contact, 300, "supporter_contact",
                                    "Supporter's contact details") if data.via_supporter
        else None,
        "papers_days_before": data.papers_days_before,
        "camera_optional": data.camera_optional,
    }

    def apply(c: Contributor) -> None:
        if c.communication is None:
            c.communication = CommunicationPreference()
        for key, value in values.items():
            setattr(c.communication, key, value)

    return apply


def add_training(course_code: str, completed_on: dt.date, provider: str | None,
                 note: str | None, today: dt.date | None = None) -> Apply:
    today = today or dt.date.today()
    course = reference().training.get(course_code)
    if course is None:
        raise ContributorError("Select a course", "course_code")
    if completed_on > today:
        raise ContributorError("The date must be today or in the past", "completed_on")
    completion = TrainingCompletion(
        course_code=course_code, completed_on=completed_on,
        provider=_clean(provider, 200, "provider", "Provider"),
        note=_clean(note, 500, "note", "Note"),
        expires_on=expiry_for(completed_on, course.validity_months))

    def apply(c: Contributor) -> None:
        c.training.append(completion)

    return apply


def remove_training(completion_id: int) -> Apply:
    def apply(c: Contributor) -> None:
        found = next((t for t in c.training if t.id == completion_id), None)
        if found is None:
            raise ContributorError("That training record was not found", "completion_id")
        c.training.remove(found)

    return apply


def set_support(kinds: Iterable[str], notes: dict[str, str] | None = None) -> Apply:
    chosen = _codes(kinds, reference().support.codes, "support")
    notes = {k: (v or "").strip() for k, v in (notes or {}).items()}
    if any(len(v) > 500 for v in notes.values()):
        raise ContributorError("Each note must be 500 characters or fewer", "support")

    def apply(c: Contributor) -> None:
        _sync(c.support, chosen, lambda s: s.kind, lambda k: SupportInPlace(kind=k))
        for item in c.support:
            if item.kind in notes:
                item.note = notes[item.kind] or None

    return apply


def set_easy_read(enabled: bool) -> Apply:
    def apply(c: Contributor) -> None:
        c.prefers_easy_read = enabled

    return apply


def _sync(rows: list, wanted: list[str], key: Callable, make: Callable) -> None:
    """Make ``rows`` hold exactly ``wanted`` keys: keep matches, drop the rest,
    add new ones (so unchanged rows keep their ids and notes)."""
    for row in [r for r in rows if key(r) not in wanted]:
        rows.remove(row)
    have = {key(r) for r in rows}
    for item in wanted:
        if item not in have:
            rows.append(make(item))
