"""Receipts for expenses: a photo (JPEG, PNG) or a PDF.

The type is read from the file's first bytes, not trusted from its name or
the browser: a file whose content is not one of these is refused, and so is
one whose name says something else. Size is limited (finance.toml). Files
are stored under the instance folder (``<instance>/receipts``, never the
web root) by a random name, written only once the claim is committed, and
served only through a view that checks the permission and audits it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import after_commit
from crm.payments.finance_config import finance_config
from crm.payments.ledger_models import Claim, Receipt

# content type -> (magic bytes at the start, names it may have)
KINDS: dict[str, tuple[tuple[bytes, ...], tuple[str, ...]]] = {
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "application/pdf": ((b"%PDF-",), (".pdf",)),
}
NOT_A_RECEIPT = "The receipt must be a photo (JPG or PNG) or a PDF"


class ReceiptError(ValueError):
    """The file cannot be kept as a receipt; the message is for the person."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str


def sniff(content: bytes) -> str | None:
    """The content type the bytes really are, or None."""
    for content_type, (magics, _names) in KINDS.items():
        if any(content.startswith(m) for m in magics):
            return content_type
    return None


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    kept = "".join(c for c in base if c.isalnum() or c in " ._-").strip(" .")
    return (kept or "receipt")[-120:]


def check(name: str, content: bytes, max_bytes: int | None = None) -> CheckedFile:
    """Check a receipt's size, content and name; raises ReceiptError."""
    limit = max_bytes if max_bytes is not None else finance_config().receipt_max_bytes
    if not content:
        raise ReceiptError("The selected file is empty")
    if len(content) > limit:
        raise ReceiptError(f"The receipt must be smaller than {limit // (1024 * 1024)} MB")
    content_type = sniff(content)
    if content_type is None:
        raise ReceiptError(NOT_A_RECEIPT)
    safe = _safe_name(name)
    if not safe.lower().endswith(KINDS[content_type][1]):
        raise ReceiptError(NOT_A_RECEIPT)
    return CheckedFile(content, content_type, safe)


def receipts_folder() -> Path:
    return Path(current_app.instance_path) / "receipts"


def path_of(receipt: Receipt) -> Path:
    return receipts_folder() / receipt.stored_name


def add_receipt(session: Session, actor: User, claim: Claim, checked: CheckedFile) -> Receipt:
    """Attach a checked file to an expense claim; the file is written once
    the claim is committed (nothing half-saved)."""
    stored = secrets.token_hex(16)
    receipt = Receipt(claim_id=claim.id, stored_name=stored, original_name=checked.original_name,
                      content_type=checked.content_type, size_bytes=len(checked.content),
                      sha256=hashlib.sha256(checked.content).hexdigest(),
                      uploaded_by_id=actor.id)
    session.add(receipt)
    session.flush()
    folder = receipts_folder()
    content = checked.content

    def write() -> None:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        (folder / stored).write_bytes(content)

    after_commit(session, write)
    record(session, Action.RECEIPT_ADDED, entity_type=EntityType.CLAIM, entity_id=claim.id,
           actor=actor, summary=f"Receipt added ({checked.content_type}, "
                                f"{len(checked.content)} bytes)")
    return receipt

