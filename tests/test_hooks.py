"""Cross-feature duties go through crm.hooks: a feature that holds data
about a person takes part in anonymisation and the data download without
the contributors package importing it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm import hooks
from crm.accounts.models import User
from crm.contributors import removal
from crm.contributors.models import Contributor
from crm.mail.models import OutboxMessage
from crm.permissions import Role
from crm.selfservice.export import subject_access
from tests.factories import make_contributor, make_user


def test_a_feature_takes_part_in_anonymisation_and_the_data_download(app, db) -> None:
    seen: list[dict[str, Any]] = []

    def on_anonymised(session: Any, **kwargs: Any) -> None:
        seen.append(kwargs)

    def on_download(session: Any, **kwargs: Any) -> dict[str, Any]:
        return {"payments": [f"for record {kwargs['contributor_id']}"]}

    hooks.person_anonymised.connect(on_anonymised)
    hooks.personal_data_requested.connect(on_download)
    try:
        account = make_user(db, Role.CONTRIBUTOR, email="ruth@example.org")
        record = make_contributor(db, user=account, email="ruth.o@example.org")
        db.add(OutboxMessage(to_address="ruth@example.org", subject="Hello", body="Hi Ruth",
                             created_at=record.created_at))
        db.commit()

        data = subject_access(db, account, record)
        assert data["payments"] == [f"for record {record.id}"]
        assert data["account"]["email"] == "ruth@example.org"  # from crm.accounts.hooks

        with app.test_request_context():
            removal.anonymise(db, make_user(db, Role.COORDINATOR), record)
        db.commit()
    finally:
        hooks.person_anonymised.disconnect(on_anonymised)
        hooks.personal_data_requested.disconnect(on_download)

    assert seen == [{"contributor_id": record.id, "user_id": account.id,
                     "emails": {"ruth@example.org", "ruth.o@example.org"}}]
    db.expire_all()
    # The account's and the outbox's own receivers did their part.
    assert db.scalars(select(User).where(User.email == "ruth@example.org")).all() == []
    assert db.scalars(select(OutboxMessage.to_address)).all() == ["(removed)"]
    assert db.get(Contributor, record.id).user_id is None
