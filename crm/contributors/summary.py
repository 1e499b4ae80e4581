"""What a coordinator needs first when they open a record, worked out from
the rows the record page has already loaded (no queries): contact consent,
key needs, status, key contact and what is due next; and where a person's
format for information disagrees with their adjustments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crm.contributors import queries
from crm.contributors.models import (
    CONSENT_LABELS,
    FORMAT_LABELS,
    STATUS_LABELS,
    ConsentKind,
    Contributor,
    InformationFormat,
    Status,
)
from crm.reference import reference
from crm.web.templating import format_date

# Adjustments that are themselves a format for information.
FORMAT_OF_ADJUSTMENT: dict[str, InformationFormat] = {
    "large_print": InformationFormat.LARGE_PRINT,
    "easy_read": InformationFormat.EASY_READ,
    "bsl_interpreter": InformationFormat.BSL,
    "translated_information": InformationFormat.TRANSLATED,
}
KEY_NEEDS_SHOWN = 4


@dataclass
class Due:
    on: dt.date
    text: str
    anchor: str


@dataclass
class RecordSummary:
    contact: str
    may_contact: bool
    status: str
    key_contact: str
    key_needs: list[str]
    more_needs: int
    due: list[Due] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def format_conflicts(contributor: Contributor) -> list[str]:
    """Sentences saying where the chosen format (say "Standard") disagrees
    with an adjustment that is a format (say "Large print")."""
    comm = contributor.communication
    if comm is None or not comm.information_format:
        return []
    chosen = comm.information_format
    chosen_label = FORMAT_LABELS.get(chosen, chosen)  # type: ignore[call-overload]
    catalogue = reference().adjustments
    out = []
    for adjustment in contributor.adjustments:
        needed = FORMAT_OF_ADJUSTMENT.get(adjustment.code)
        if needed is None or needed == chosen:
            continue
        item = catalogue.get(adjustment.code)
        label = item.label if item else FORMAT_LABELS[needed]
        out.append(f"Their format for information is \u201c{chosen_label}\u201d, but their "
                   f"adjustments include \u201c{label}\u201d. Check with them which they need.")
    return out


def _contact(contributor: Contributor) -> str:
    consent = next((c for c in contributor.consents
                    if c.kind == ConsentKind.CONTACT.value), None)
    if consent is None:
        return "Not recorded: do not contact them"
    if consent.is_given:
        review = f", review by {format_date(consent.review_on)}" if consent.review_on else ""
        return f"Given on {format_date(consent.recorded_on)}{review}"
    if consent.withdrawn_on:
        return f"Withdrawn on {format_date(consent.withdrawn_on)}: do not contact them"
    return "Not given: do not contact them"


def _status(contributor: Contributor) -> str:
    label = STATUS_LABELS.get(contributor.status, contributor.status)  # type: ignore[call-overload]
    if contributor.status == Status.PAUSED and contributor.paused_until:
        return f"{label} until {format_date(contributor.paused_until)}"
    if contributor.status == Status.LEFT and contributor.left_on:
        return f"{label} on {format_date(contributor.left_on)}"
    return str(label)


def _key_needs(contributor: Contributor) -> list[str]:
    catalogue = reference().adjustments
    order = {item.code: i for i, item in enumerate(catalogue.items)}
    chosen = sorted(contributor.adjustments, key=lambda a: order.get(a.code, len(order)))
    needs = [catalogue.label(a.code) for a in chosen]
    comm = contributor.communication
    if comm and comm.information_format and comm.information_format != InformationFormat.STANDARD:
        label = FORMAT_LABELS.get(comm.information_format,  # type: ignore[call-overload]
                                  comm.information_format)
        if label not in needs:
            needs.insert(0, f"Information in {label}" if comm.information_format != "translated"
                         else f"Information translated ({comm.language or 'language not given'})")
    return needs


def _due(contributor: Contributor, today: dt.date) -> list[Due]:
    soon = today + dt.timedelta(days=queries.TRAINING_DUE_DAYS)
    training = reference().training
    due: list[Due] = []
    for t in contributor.training:
        if t.expires_on and t.expires_on <= soon:
            word = "ran out" if t.expires_on < today else "runs out"
            due.append(Due(t.expires_on, f"{training.label(t.course_code)} training {word} on "
                                         f"{format_date(t.expires_on)}", "training"))
    review_by = today + dt.timedelta(days=queries.CONSENT_REVIEW_DAYS)
    for c in contributor.consents:
        if c.is_given and c.review_on and c.review_on <= review_by:
            label = CONSENT_LABELS.get(c.kind, c.kind)  # type: ignore[call-overload]
            due.append(Due(c.review_on, f"Review their consent \u201c{label}\u201d by "
                                        f"{format_date(c.review_on)}", "consents"))
    if contributor.status == Status.PAUSED and contributor.paused_until:
        due.append(Due(contributor.paused_until,
                       f"Their pause ends on {format_date(contributor.paused_until)}", "status"))
    return sorted(due, key=lambda d: d.on)


def record_summary(contributor: Contributor, today: dt.date) -> RecordSummary:
    needs = _key_needs(contributor)
    return RecordSummary(
        contact=_contact(contributor),
        may_contact=contributor.may_contact,
        status=_status(contributor),
        key_contact=(contributor.key_contact.display_name if contributor.key_contact
                     else "No key contact"),
        key_needs=needs[:KEY_NEEDS_SHOWN],
        more_needs=max(0, len(needs) - KEY_NEEDS_SHOWN),
        due=_due(contributor, today),
        conflicts=format_conflicts(contributor),
    )
