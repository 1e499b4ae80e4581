"""People and messages for the messaging tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.mail.models import OutboxMessage
from crm.messaging.services import Version, Words
from crm.settings import Settings
from tests.factories import communication, consent, make_contributor
from tests.fake_notify import FakeNotify

WORDS = Words(
    Version("Your meeting on Tuesday", "Hello,\n\nThe long standard letter.\n",
            "Short standard text."),
    Version("Your meeting", "Hello\n\nThe Easy Read letter.\n", "Short Easy Read text."))


def with_notify(settings: Settings, fake: FakeNotify) -> Settings:
    return replace(settings, **fake.settings_overrides())


def with_smtp(settings: Settings, port: int) -> Settings:
    return replace(settings, mail_host="127.0.0.1", mail_port=port, mail_use_tls=False)


def someone(db: Session, *, order: list[str] | None = None, **fields: Any) -> Contributor:
    comm = fields.pop("comm", {})
    fields.setdefault("phone", "07700 900123")
    fields.setdefault("postal_address", "1 High Street\nLeeds\nLS1 1AA")
    fields.setdefault("consents", [consent("contact")])
    return make_contributor(db, communication=communication(channel_order=order or ["email"],
                                                        **comm), **fields)


def messages(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
