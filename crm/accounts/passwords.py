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
from argon2.profiles import RFC_9106_LOW_MEMORY

HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
assert HASHER.type is Type.ID

# A hash of a random password, verified against when no account matches so a
# failed sign-in takes the same time whether or not the account exists.
_DUMMY_HASH = HASHER.hash("not-a-real-password-used-for-timing-only")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)


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
