"""Password hashing (argon2id) and the password policy.

Parameters follow argon2-cffi's RFC 9106 "low memory" profile (t=3, 64 MiB,
p=4), well above the OWASP ASVS 5.0 / Password Storage Cheat Sheet minimum
for argon2id (19 MiB, t=2, p=1). Policy follows NIST SP 800-63B: length and
a common-password check, no composition rules.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY
from flask import current_app, has_app_context

HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
assert HASHER.type is Type.ID

# The test suite only (create_app refuses it unless testing): argon2id with
# the cheapest parameters, so thousands of sign-ins take seconds, not minutes.
TEST_HASHER = PasswordHasher.from_parameters(CHEAPEST)
assert TEST_HASHER.type is Type.ID

_APP_KEY = "crm_password_hasher"


def use_cheapest_hashing_for_tests(app_extensions: dict[str, object]) -> None:
    app_extensions[_APP_KEY] = TEST_HASHER


def hasher() -> PasswordHasher:
    """The production hasher, unless this app is a test app that asked for
    the cheapest one."""
    if has_app_context():
        chosen = current_app.extensions.get(_APP_KEY, HASHER)
        assert isinstance(chosen, PasswordHasher)
        return chosen
    return HASHER


@lru_cache(maxsize=2)
def _dummy_hash(chosen: PasswordHasher) -> str:
    """A hash of a random password, verified against when no account matches
    so a failed sign-in takes the same time whether or not the account exists."""
    return chosen.hash("not-a-real-password-used-for-timing-only")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    chosen = hasher()
    try:
        return (chosen.verify(stored_hash or _dummy_hash(chosen), password)
                and stored_hash is not None)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, min_length: int, max_length: int,
                     personal_words: tuple[str, ...] = ()) -> str | None:
    """Why this password cannot be used, in plain English, or None if it can."""
    if len(password) < min_length:
        return f"Your password must be at least {min_length} characters long"
    if len(password) > max_length:
        return f"Your password must be {max_length} characters or fewer"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "This password is too easy to guess. Try a few unrelated words together"
    for word in personal_words:
        if word and len(word) >= 4 and word.lower() in lowered:
            return "Your password must not contain your name or email address"
    return None
