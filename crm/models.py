"""Imports every feature's models so Base.metadata (and Alembic) sees them all."""

from crm.accounts.models import Invitation, SignInAttempt, User, UserSession
from crm.audit.models import AuditEvent
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
from crm.equality.models import EqualityAnswer
from crm.mail.models import OutboxMessage
from crm.matching.models import (
    MatchBatch,
    MatchingCodeBit,
    MatchingProfile,
    MatchProposal,
    Offer,
    RoleInterest,
)
from crm.meetings.models import (
    CalendarFeed,
    ChecklistTick,
    FurtherThought,
    SessionSupport,
    YouSaidWeDid,
)
from crm.messaging.models import ReminderTurnedOff
from crm.payments.choice_models import BenefitRecord, PaymentChoice, SessionFeeChoice
from crm.payments.ledger_models import Claim, LedgerEntry, PaymentExport, Receipt
from crm.projects.models import (
    Attendance,
    Organisation,
    Project,
    RoleOpening,
    RoleSession,
    Ward,
    WardConnection,
)
from crm.reporting.models import PopulationShare, UploadedPopulation
from crm.web.sessions import BrowserSession

__all__ = [
    "Adjustment", "Affiliation", "Attendance", "AuditEvent", "AvailabilitySlot", "BrowserSession",
    "Claim", "LedgerEntry", "PaymentExport", "Receipt",
    "BenefitRecord", "PaymentChoice", "SessionFeeChoice",
    "CommunicationPreference", "Consent", "Contributor", "EqualityAnswer", "ImportBatch",
    "Invitation", "LivedExperience", "MatchBatch", "MatchingCodeBit", "MatchingProfile",
    "MatchProposal", "Offer", "Organisation",
    "OutboxMessage", "PopulationShare", "Project", "RoleInterest", "RoleOpening", "RoleSession",
    "ReminderTurnedOff",
    "CalendarFeed", "ChecklistTick", "FurtherThought", "SessionSupport", "YouSaidWeDid",
    "ServiceKnown", "SignInAttempt", "Skill", "SupportInPlace", "TrainingCompletion",
    "UploadedPopulation", "User", "UserSession", "Ward", "WardConnection",
]
