"""Receipts: the type is read from the content, not the name; a name that
says something else, an empty file or one over the limit is refused; files
live under the instance folder (never the web root), are written only once
the claim is committed, and are served only to coordinators and finance,
each view audited."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.payments import receipts
from crm.payments.ledger_models import ClaimKind, Receipt
from crm.permissions import Role
from crm.settings import ROOT
from tests.conftest import csrf_token
from tests.factories import log_in, make_user
from tests.payments.ledger_factories import make_claim, paid_role
from tests.projects.helpers import events

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
PDF = b"%PDF-1.7\n" + b"\0" * 40


@pytest.mark.parametrize(("name", "content", "result"), [
    ("bus.jpg", JPEG, "image/jpeg"),
    ("BUS.JPEG", JPEG, "image/jpeg"),
    ("ticket.png", PNG, "image/png"),
    ("invoice.pdf", PDF, "application/pdf"),
    ("evil.pdf", b"<html><script>alert(1)</script>", "photo (JPG or PNG) or a PDF"),
    ("photo.png", PDF, "photo (JPG or PNG) or a PDF"),  # name and content disagree
    ("receipt.exe", PNG, "photo (JPG or PNG) or a PDF"),
    ("empty.png", b"", "empty"),
])
def test_type_is_checked_by_content_and_name(app, name, content, result) -> None:
    with app.app_context():
        if result.startswith(("image/", "application/")):
            assert receipts.check(name, content).content_type == result
        else:
            with pytest.raises(receipts.ReceiptError, match=re.escape(result)):
                receipts.check(name, content)


def test_size_limit_and_safe_names(app) -> None:
    with pytest.raises(receipts.ReceiptError, match="smaller than 1 MB"):
        receipts.check("big.png", PNG + b"\0" * (1024 * 1024), max_bytes=1024 * 1024)
    checked = receipts.check("../../etc/pass wd.png", PNG)
    assert checked.original_name == "pass wd.png"


def test_stored_under_the_instance_folder_only_after_commit(app, db) -> None:
    _role, when, (person,) = paid_role(db)
    claim = make_claim(db, person, when, kind=ClaimKind.TAXI)
    user = make_user(db)
    with app.test_request_context():
        row = receipts.add_receipt(db, user, claim, receipts.check("a.pdf", PDF))
        path = receipts.path_of(row)
        assert not path.exists()  # nothing written before the commit
        db.commit()
    assert path.read_bytes() == PDF
    assert Path(app.instance_path) in path.parents
    assert ROOT / "crm" / "static" not in path.parents


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.COORDINATOR, True), (Role.FINANCE, True), (Role.REPORT_VIEWER, False),
    (Role.CONTRIBUTOR, False), (Role.ADMINISTRATOR, False)])
def test_only_coordinators_and_finance_open_a_receipt(app, client, db, role, allowed) -> None:
    _role, when, (person,) = paid_role(db)
    claim = make_claim(db, person, when, kind=ClaimKind.PRINTING)
    user = make_user(db)
    with app.test_request_context():
        row = receipts.add_receipt(db, user, claim, receipts.check("p.jpg", JPEG))
        db.commit()
    log_in(client, make_user(db, role))
    response = client.get(f"/payments/receipts/{row.id}")
    if not allowed:
        assert response.status_code == 403
        return
    assert response.status_code == 200 and response.data == JPEG
    assert response.mimetype == "image/jpeg"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert [e.entity_id for e in events(db, "receipt_viewed")] == [claim.id]


def test_a_bad_receipt_on_the_form_saves_nothing(client, db) -> None:
    _role, when, (person,) = paid_role(db)
    log_in(client, make_user(db, Role.COORDINATOR))
    response = client.post(f"/payments/sessions/{when.id}/expenses/new", data={
        "csrf_token": csrf_token(client, "/"), "contributor": str(person.id),
        "kind": "printing", "amount": "3", "idempotency_key": "q" * 32,
        "receipt": (io.BytesIO(b"MZ\x90\0 not a receipt"), "receipt.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The receipt must be a photo (JPG or PNG) or a PDF" in response.get_data(as_text=True)
    assert list(db.scalars(select(Receipt))) == []
