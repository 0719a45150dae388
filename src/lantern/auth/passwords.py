"""Password hashing (argon2id) and generated passwords. There is no default
password anywhere: every account's password is given or generated."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with the library's recommended parameters (RFC 9106, low memory).
# Each hash records its own parameters, so stronger settings later still
# verify the older hashes.
HASHER = PasswordHasher()
MIN_LENGTH = 12
_dummy: str | None = None


class WeakPassword(ValueError):
    """A password too short or too repetitive to be accepted."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(set(password)) < 5:
        raise WeakPassword("a password needs more than a few different characters")
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches. With no hash (an unknown user) it checks
    against a hash of a random password, so a failed sign-in takes as long
    whether or not the username exists."""
    try:
        matched = HASHER.verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = HASHER.hash(secrets.token_urlsafe(16))
    return _dummy


def generate_password() -> str:
    """A random password of 120 bits, to be shown once."""
    return secrets.token_urlsafe(15)


def new_token() -> str:
    """A random session or API token (the database keeps only its SHA-256)."""
    return secrets.token_urlsafe(32)
