"""Passwords (Argon2, through pwdlib) and signed short-lived tokens (JWT, HS256), as FastAPI's template does."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from actions.records import now

ALGORITHM = "HS256"
_hasher = PasswordHash((Argon2Hasher(),))
# Verified when the user does not exist, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    ok = _hasher.verify(password, password_hash or _DUMMY_HASH)
    return ok and password_hash is not None


def new_password() -> str:
    """A random password a person can type (shown once)."""
    return secrets.token_urlsafe(12)


def make_token(key: str, user_id: int, role: str, signin_id: str, ttl: timedelta) -> str:
    issued = now()
    claims = {"sub": str(user_id), "role": role, "sid": signin_id, "iat": issued, "exp": issued + ttl, "jti": secrets.token_hex(8)}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_token(key: str, token: str, check_expiry: bool = True) -> dict[str, Any] | None:
    """The claims of a validly signed (and, by default, unexpired) token; None otherwise.

    The sign-in it names is checked in the database on every request: that is what makes revocation immediate.
    """
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["sub", "sid", "exp"], "verify_exp": check_expiry})
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims.get("sid"), str) and str(claims.get("sub", "")).isdigit() else None


def same(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())
