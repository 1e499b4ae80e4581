"""Messages in the person's data download; anonymising deletes what was
never sent to them and scrubs the words and addresses of what was."""

from __future__ import annotations

from sqlalchemy import select

from crm import hooks
from crm.mail.models import OutboxMessage
from crm.messaging import services
from tests.messaging.helpers import WORDS, messages, someone


def test_download_lists_messages_and_anonymising_scrubs_them(app, db, settings) -> None:
    c = someone(db, order=["letter"])
    services.queue(db, settings, c, "offer", WORDS)  # to print: never sent
    sent = services.queue(db, settings, c, "confirmation", WORDS)
    assert sent is not None
    sent.status, sent.sent_at = "printed", sent.created_at
    db.commit()

    data = hooks.personal_data_everywhere(db, c.id, user_id=0)
    assert [(m["what"], m["how"], m["status"]) for m in data["messages_to_you"]] == [
        ("offer", "letter", "to_print"), ("confirmation", "letter", "printed")]
    assert all("body" not in m and "postal_address" not in m for m in data["messages_to_you"])

    hooks.anonymise_everywhere(db, c.id, None, [c.email or ""])
    db.commit()
    [left] = messages(db)
    assert (left.kind, left.status) == ("confirmation", "printed")
    assert (left.body, left.subject, left.postal_address, left.to_name) == (
        "(removed)", "(removed)", None, None)
    assert db.scalars(select(OutboxMessage.to_address)).all() == ["(removed)"]
