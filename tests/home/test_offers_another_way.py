"""Offers that went by no channel (the person has no way to be messaged
that they agreed to, so nothing was queued and the offer is only marked
"by_hand") are on the coordinator's to-do, not only on that role's page
(walk finding 15: Frankie and Olivia were on no list)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from crm.audit.actions import Action
from crm.audit.models import AuditEvent
from crm.mail.models import OutboxMessage
from crm.matching.models import Offer, OfferStatus
from crm.permissions import Role
from tests.factories import communication, consent, log_in, make_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session

S = OfferStatus
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SOON = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0) + \
    dt.timedelta(days=40)


def test_an_offer_nobody_can_be_messaged_about_is_on_the_coordinators_to_do(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    role = make_role(db, title="Menu tasting", places=2, sessions=[role_session(SOON, 120)])
    frankie = make_contributor(db, full_name="Frankie Example", consents=[consent("contact")],
                               communication=communication(channel_order=["phone"]))
    emailed = make_contributor(db, full_name="Emma Example", consents=[consent("contact")],
                               communication=communication())
    page = f"/matching/roles/{role.id}/offers"
    token = CSRF_RE.search(client.get(page).get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    client.post(f"{page}/send", data={"csrf_token": token, "action": "offer",
                                      "contributor_id": [str(frankie.id), str(emailed.id)]})
    by_hand = db.scalars(select(Offer).where(Offer.contributor_id == frankie.id)).one()
    assert by_hand.channel == "by_hand"
    assert db.scalars(select(OutboxMessage).where(
        OutboxMessage.contributor_id == frankie.id)).all() == []  # on no Messages list
    # Others that are not to do: answered, past the closing date, sent by email.
    make_offer(db, make_role(db), make_contributor(db, full_name="Done Already"), S.DECLINED,
               channel="by_hand")
    make_offer(db, make_role(db), make_contributor(db, full_name="Too Late"), channel="by_hand",
               expires_on=dt.date.today() - dt.timedelta(days=2))

    home = client.get("/").get_data(as_text=True)
    assert '<a href="/to-do/tell-another-way">Offers to make by phone or letter: 1</a>' in home
    listing = client.get("/to-do/tell-another-way").get_data(as_text=True)
    assert "Frankie Example" in listing and f'href="{page}"' in listing
    for name in ("Emma Example", "Done Already", "Too Late"):
        assert name not in listing
    looks = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW,
                                                AuditEvent.endpoint == "home.another_way"))
    assert {e.entity_id for e in looks} == {None, frankie.id}
    messages = client.get("/messages/").get_data(as_text=True)
    assert 'href="/to-do/tell-another-way"' in messages

    # Once their reply is recorded it is no longer to do.
    client.post(f"/matching/offers/{by_hand.id}/reply", data={"csrf_token": token, "reply": "no"})
    assert "Offers to make by phone or letter" not in client.get("/").get_data(as_text=True)


def test_other_roles_are_refused_the_list(client, db) -> None:
    for role in (Role.FINANCE, Role.REPORT_VIEWER, Role.CONTRIBUTOR, Role.ADMINISTRATOR):
        log_in(client, make_user(db, role))
        assert client.get("/to-do/tell-another-way").status_code == 403
