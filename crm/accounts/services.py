"""Account rules: signing in, changing a password, inviting people and
accepting an invitation. Services flush and audit; they never commit."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts import emails, sessions, throttle
from crm.accounts.models import Invitation, User
from crm.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import utcnow
from crm.mail import services as mail
from crm.permissions import Permission, Role
from crm.settings import Settings


class AccountError(Exception):
    """A rule was broken. ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SignInLocked(Exception):
    def __init__(self, lockout: throttle.Lockout) -> None:
        super().__init__("too many attempts")
        self.lockout = lockout


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def sign_in(session: Session, settings: Settings, email: str, password: str, ip: str) -> User:
    """Check the password and start a session. Raises SignInLocked when this
    account or address has failed too often, AccountError when the details
    are wrong (the same message whether or not the account exists)."""
    lockout = throttle.check(session, settings, email, ip)
    if lockout:
        record(session, Action.SIGN_IN_THROTTLED, summary="sign-in refused: too many attempts",
               security=True)
        raise SignInLocked(lockout)
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        throttle.note(session, email, ip, succeeded=False)
        record(session, Action.SIGN_IN_FAILED, entity_type=EntityType.USER,
               entity_id=user.id if user else None, actor=False, security=True)
        raise AccountError("Enter a correct email address and password", field="email")
    throttle.note(session, email, ip, succeeded=True)
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    sessions.start(session, user)
    record(session, Action.SIGN_IN, entity_type=EntityType.USER, entity_id=user.id, actor=user)
    return user


def sign_out(session: Session, user: User) -> None:
    record(session, Action.SIGN_OUT, entity_type=EntityType.USER, entity_id=user.id, actor=user)
    sessions.end_current(session, user)


def _check_new_password(settings: Settings, user: User, new_password: str) -> None:
    local = user.email.split("@")[0]
    problem = password_problem(new_password, settings.password_min_length,
                               settings.password_max_length,
                               (local, *user.display_name.split()))
    if problem:
        raise AccountError(problem, field="new_password")


def change_password(session: Session, settings: Settings, user: User,
                    current_password: str, new_password: str, ip: str) -> None:
    """Needs the current password, with wrong guesses limited as at sign-in
    (someone at an unlocked screen must not be able to guess it). Ends the
    person's other sessions."""
    lockout = throttle.check(session, settings, user.email, ip)
    if lockout:
        record(session, Action.PASSWORD_CHANGE_THROTTLED, entity_type=EntityType.USER,
               entity_id=user.id,
               summary="password change refused: too many wrong passwords", security=True)
        raise SignInLocked(lockout)
    if not verify_password(user.password_hash, current_password):
        throttle.note(session, user.email, ip, succeeded=False)
        record(session, Action.PASSWORD_CHANGE_FAILED, entity_type=EntityType.USER,
               entity_id=user.id,
               security=True)
        raise AccountError("Your current password is not right", field="current_password")
    _check_new_password(settings, user, new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    ended = sessions.end_all_for(session, user, "password_changed", keep_current=True)
    record(session, Action.PASSWORD_CHANGED, entity_type=EntityType.USER, entity_id=user.id,
           changes={"password": {"old": "(not recorded)", "new": "(not recorded)"}},
           summary=f"{ended} other session(s) ended")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str


def may_invite(inviter: User, role: Role) -> bool:
    needed = (Permission.INVITATIONS_SEND_CONTRIBUTOR if role is Role.CONTRIBUTOR
              else Permission.INVITATIONS_SEND_STAFF)
    return inviter.can(needed)


def invite(session: Session, settings: Settings, inviter: User, email: str,
           display_name: str, role: Role) -> SentInvitation:
    """Create the account (no password yet) and email a single-use link."""
    if not may_invite(inviter, role):
        raise AccountError("You cannot invite someone with that role", field="role")
    email = normalise_email(email)
    if find_user_by_email(session, email):
        raise AccountError("Someone with this email address already has an account",
                           field="email")
    user = User(email=email, display_name=display_name.strip(), role=role.value, is_active=True)
    session.add(user)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.USER, entity_id=user.id,
           changes={"role": {"old": None, "new": role.value}}, summary="invited")
    return _send_invitation(session, settings, inviter, user)


LINK_NOT_KEPT = ("(The link is not shown here. Only the person who sent it can show it, "
                 "from the Invitations page, while it is unused.)")


def token_from_seed(secret_key: str, seed: str) -> str:
    """The token in a link: an HMAC of the stored seed under the secret key."""
    mac = hmac.new(secret_key.encode(), b"invitation-link:" + seed.encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/invitation/{token}"


def _send_invitation(session: Session, settings: Settings, inviter: User | None,
                     user: User) -> SentInvitation:
    seed = secrets.token_urlsafe(32)
    token = token_from_seed(settings.secret_key, seed)
    invitation = Invitation(
        user=user, token_hash=_token_hash(token), invited_by=inviter,
        expires_at=utcnow() + dt.timedelta(days=settings.invitation_valid_days),
        # Kept only while the sender may need to pass the link on by hand.
        link_seed=None if settings.mail_host else seed,
    )
    session.add(invitation)
    session.flush()
    link = _link(settings, token)
    subject, body = emails.invitation_text(settings, user, link, inviter,
                                           emails.reader_for(session, user))
    mail.send(session, settings, user.email, subject, body,
              kept_body=body.replace(link, LINK_NOT_KEPT), invitation_id=invitation.id)
    record(session, Action.INVITATION_SENT, entity_type=EntityType.USER, entity_id=user.id,
           actor=inviter)
    return SentInvitation(invitation, link)


def link_note(settings: Settings) -> str:
    """What to tell the sender about where a sign-in link went."""
    if settings.mail_host:
        return "It is being emailed to them."
    return ("No mail server is set up, so it has not been emailed. To give it to them "
            "yourself, go to Invitations, then Links you have sent.")


def can_show_link(actor: User, invitation: Invitation) -> bool:
    """Only the person who sent a link, only while it is open, and only when
    it was not emailed (there is a seed)."""
    return (invitation.invited_by_id == actor.id and invitation.link_seed is not None
            and invitation.state() == "waiting" and may_invite(actor, invitation.user.role_enum))


def show_link(session: Session, settings: Settings, actor: User,
              invitation: Invitation) -> str:
    """The live link, for its sender to pass on by hand. Audited."""
    if not can_show_link(actor, invitation) or invitation.link_seed is None:
        raise AccountError("This link cannot be shown. It may have been used, replaced or "
                           "run out. Send a new one if they still need it")
    record(session, Action.INVITATION_LINK_SHOWN, entity_type=EntityType.USER,
           entity_id=invitation.user_id, actor=actor)
    return _link(settings, token_from_seed(settings.secret_key, invitation.link_seed))


def send_sign_in_link(session: Session, settings: Settings, inviter: User,
                      user: User) -> SentInvitation:
    """Send a new single-use link to choose a password: a fresh invitation,
    or a way back in for someone who has forgotten their password. Earlier
    links stop working."""
    if not may_invite(inviter, user.role_enum):
        raise AccountError("You cannot send a link to someone with that role")
    if not user.is_active:
        raise AccountError("This account cannot sign in. Allow sign-in first")
    for old in session.scalars(select(Invitation).where(
            Invitation.user_id == user.id, Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None))):
        old.revoked_at = utcnow()
        old.link_seed = None
    return _send_invitation(session, settings, inviter, user)


def find_open_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation for this token if it is unused, not revoked and in date."""
    invitation = session.execute(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if (invitation is None or invitation.state() != "waiting"
            or not invitation.user.is_active):
        return None
    return invitation


def accept_invitation(session: Session, settings: Settings, token: str,
                      new_password: str) -> User:
    """Set the password from an invitation link, use it up, and sign in."""
    invitation = find_open_invitation(session, token)
    if invitation is None:
        raise AccountError("This link has expired or has already been used")
    user = invitation.user
    _check_new_password(settings, user, new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    invitation.accepted_at = utcnow()
    invitation.link_seed = None
    # A new password from a link (a forgotten password) ends every old session.
    sessions.end_all_for(session, user, "password_reset", keep_current=False)
    record(session, Action.INVITATION_ACCEPTED, entity_type=EntityType.USER,
           entity_id=user.id, actor=user)
    sessions.start(session, user)
    return user


def create_user(session: Session, settings: Settings, email: str, display_name: str,
                role: Role, password: str) -> User:
    """Create an account with a password straight away (operators' CLI, demo)."""
    email = normalise_email(email)
    if find_user_by_email(session, email):
        raise AccountError("Someone with this email address already has an account",
                           field="email")
    user = User(email=email, display_name=display_name, role=role.value, is_active=True)
    _check_new_password(settings, user, password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.add(user)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.USER, entity_id=user.id, actor=False,
           changes={"role": {"old": None, "new": role.value}}, summary="created by operator")
    return user


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account; deactivating ends its sessions."""
    if user.id == actor.id and not active:
        raise AccountError("You cannot deactivate your own account")
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        sessions.end_all_for(session, user, "deactivated", keep_current=False)
    record(session, Action.UPDATE, entity_type=EntityType.USER, entity_id=user.id,
           changes={"is_active": {"old": not active, "new": active}})


def change_role(session: Session, actor: User, user: User, role: Role) -> None:
    """Give a staff member another staff role. Audited; ends their sessions,
    so the new role's permissions apply from their next sign-in. Contributor
    accounts belong to a record and keep their role; nobody changes their own."""
    if user.id == actor.id:
        raise AccountError("You cannot change your own role", field="role")
    if user.role_enum is Role.CONTRIBUTOR or role is Role.CONTRIBUTOR:
        raise AccountError("Contributor accounts belong to a contributor's record, so "
                           "their role cannot change", field="role")
    if user.role == role.value:
        raise AccountError("They already have this role", field="role")
    old = user.role
    user.role = role.value
    ended = sessions.end_all_for(session, user, "role_changed", keep_current=False)
    record(session, Action.UPDATE, entity_type=EntityType.USER, entity_id=user.id,
           changes={"role": {"old": old, "new": role.value}},
           summary=f"role changed; {ended} session(s) ended")
