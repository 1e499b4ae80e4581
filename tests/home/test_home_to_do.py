"""The home pages say what needs doing (walk finding 16): the coordinator's
counts claims drafted and not yet sent to finance and past sessions with no
attendance recorded, each linking to its list; the contributor's says how
many offers wait for their answer, in standard and Easy Read. Each home page
runs the same number of queries however many there are."""

from __future__ import annotations

import datetime as dt

from crm.matching.models import OfferStatus
from crm.payments.ledger_models import Claim
from crm.permissions import Role
from tests.factories import log_in, make_contributor, make_signed_up_contributor, make_user
from tests.project_factories import make_attendance, make_offer, make_role, role_session

S = OfferStatus
NOW = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
PAST = NOW - dt.timedelta(days=3)
SOON = NOW + dt.timedelta(days=30)


def past_session_with(db, *, booked: bool = True, attended: bool = False,  # type: ignore[no-untyped-def]
                      cancelled: bool = False, starts=PAST, title: str | None = None):
    role = make_role(db, title=title or "Menu tasting",
                     sessions=[role_session(starts, 120, is_cancelled=cancelled)])
    person = make_contributor(db)
    if booked:
        make_offer(db, role, person, S.ACCEPTED, place_no=1)
    if attended:
        make_attendance(db, role.sessions[0], person, "attended")
    return role.sessions[0], person


def claim(db, role_session_, person, state: str = "drafted") -> Claim:  # type: ignore[no-untyped-def]
    row = Claim(contributor_id=person.id, session_id=role_session_.id, kind="fee",
                is_earnings=True, state=state, amount_pence=5000,
                pay_on=role_session_.starts_at.date())
    db.add(row)
    db.commit()
    return row


def test_coordinator_home_counts_claims_not_sent_and_links_their_sessions(client, db) -> None:
    first, a = past_session_with(db, attended=True, title="Menu tasting")
    second, b = past_session_with(db, attended=True, title="Interview panel")
    claim(db, first, a)
    claim(db, second, b)
    other = make_contributor(db)
    claim(db, first, other)
    claim(db, second, other, "submitted")  # already with finance
    log_in(client, make_user(db, Role.COORDINATOR))
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/to-do/claims-to-send">Claims not yet sent to finance: 3</a>' in home
    assert "drafted for 2 sessions" in home
    listing = client.get("/to-do/claims-to-send").get_data(as_text=True)
    assert f'href="/payments/sessions/{first.id}/claims"' in listing
    assert f'href="/payments/sessions/{second.id}/claims"' in listing
    assert "2 claims drafted" in listing and "1 claim drafted" in listing


def test_coordinator_home_counts_past_sessions_with_no_attendance(client, db) -> None:
    due, _ = past_session_with(db)
    done, _ = past_session_with(db, attended=True)
    nobody, _ = past_session_with(db, booked=False)
    called_off, _ = past_session_with(db, cancelled=True)
    to_come, _ = past_session_with(db, starts=SOON)
    going_on, _ = past_session_with(db, starts=NOW - dt.timedelta(minutes=30))
    log_in(client, make_user(db, Role.COORDINATOR))
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/to-do/attendance">Past sessions with no attendance recorded: 1</a>' in home
    listing = client.get("/to-do/attendance").get_data(as_text=True)
    assert f'href="/matching/sessions/{due.id}/attendance"' in listing
    for s in (done, nobody, called_off, to_come, going_on):
        assert f"/matching/sessions/{s.id}/attendance" not in listing


def test_nothing_to_do_shows_no_to_do_list(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    home = client.get("/").get_data(as_text=True)
    assert ">To do</h2>" not in home
    for path in ("/to-do/claims-to-send", "/to-do/attendance", "/to-do/questions"):
        assert client.get(path).status_code == 200


def test_contributor_home_says_how_many_offers_to_answer(client, db) -> None:
    user, me = make_signed_up_contributor(db, "Kit Example")
    for _ in range(2):
        make_offer(db, make_role(db), me)
    make_offer(db, make_role(db), me, expires_on=dt.date.today() - dt.timedelta(days=2))
    make_offer(db, make_role(db), me, S.ACCEPTED, place_no=1)
    make_offer(db, make_role(db), make_contributor(db))  # someone else's
    log_in(client, user)
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/my/roles">You have 2 offers to answer</a>' in html
    me.prefers_easy_read = True
    db.commit()
    easy = client.get("/").get_data(as_text=True)
    assert '<a href="/my/roles">You have 2 offers to answer</a>. Say yes or no.' in easy
    assert client.get("/my/roles").status_code == 200


def test_contributor_home_with_no_offers_says_nothing_about_them(client, db) -> None:
    user, _me = make_signed_up_contributor(db, "Kit Example")
    log_in(client, user)
    assert "offers to answer" not in client.get("/").get_data(as_text=True)


def test_coordinator_home_queries_do_not_grow_with_what_is_to_do(client, db,
                                                                  count_queries) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))

    def count() -> int:
        count_queries.statements.clear()
        assert client.get("/").status_code == 200
        return count_queries.count

    def add_some() -> None:
        s, person = past_session_with(db)
        claim(db, s, person)
        make_offer(db, make_role(db), make_contributor(db), question="Is there parking?",
                   question_at=NOW, channel="by_hand")

    add_some()
    few = count()
    for _ in range(5):
        add_some()
    assert count() == few
    home = client.get("/").get_data(as_text=True)
    assert "Questions waiting: 6" in home and "Offers to make by phone or letter: 6" in home


def test_contributor_home_queries_do_not_grow_with_offers(client, db, count_queries) -> None:
    user, me = make_signed_up_contributor(db, "Kit Example")
    log_in(client, user)

    def count() -> int:
        count_queries.statements.clear()
        assert client.get("/").status_code == 200
        return count_queries.count

    make_offer(db, make_role(db), me)
    few = count()
    for _ in range(5):
        make_offer(db, make_role(db), me)
    assert count() == few
    assert "You have 6 offers to answer" in client.get("/").get_data(as_text=True)


def test_the_to_do_lists_are_paged(client, db) -> None:
    """More sessions than a page: the lists show a page and a link to the
    next, and the home page's counts are of them all."""
    from crm.home.todo import PER_PAGE

    for n in range(PER_PAGE + 2):
        row, person = past_session_with(db, attended=True, title=f"Session {n:02d}",
                                        starts=PAST - dt.timedelta(hours=n))
        claim(db, row, person)
        past_session_with(db, title=f"Unrecorded {n:02d}", starts=PAST - dt.timedelta(hours=n))
    log_in(client, make_user(db, Role.COORDINATOR))
    home = client.get("/").get_data(as_text=True)
    assert f"Claims not yet sent to finance: {PER_PAGE + 2}</a>" in home
    assert f"Past sessions with no attendance recorded: {PER_PAGE + 2}</a>" in home
    for path, word in (("/to-do/claims-to-send", "Session "), ("/to-do/attendance",
                                                                "Unrecorded ")):
        page = client.get(path).get_data(as_text=True)
        assert page.count(word) == PER_PAGE and "page=2" in page, path
        assert client.get(f"{path}?page=2").get_data(as_text=True).count(word) == 2, path
