"""Secret calendar feed tokens: made, found and revoked.

A feed is fetched by calendar apps that cannot sign in, so the token in its URL is
the only key. It is 32 random bytes (256 bits, ``secrets.token_urlsafe(32)``) and
only its SHA-256 hash is stored: a copy of the database does not open anyone's
calendar. A user has at most one working token; making a new one revokes the old.
"""

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select, update

from crm.auth.models import User
from crm.calendar.models import CalendarToken
from crm.db.types import utcnow
from crm.extensions import db

TOKEN_BYTES = 32
# What secrets.token_urlsafe(32) gives: 43 characters of the URL-safe alphabet.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored for ``token`` (64 characters)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def active_link_since(user: User) -> datetime | None:
    """When the user's working (not revoked) feed link was made, if they have one."""
    return db.session.scalar(
        select(CalendarToken.created_at)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .order_by(CalendarToken.id.desc())
        .limit(1)
    )


def revoke_tokens(user: User) -> int:
    """Revoke every working token of ``user``; the number revoked."""
    result = db.session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.flush()
    return result.rowcount or 0


def issue_token(user: User) -> str:
    """Make a new feed token for ``user`` and return it in clear (the only time it
    exists in clear); any older token of the user stops working."""
    revoke_tokens(user)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(CalendarToken(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> tuple[User, CalendarToken] | None:
    """The active user and token row a feed token belongs to; ``None`` for unknown,
    revoked or malformed tokens and for deactivated users."""
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    row = db.session.execute(
        select(User, CalendarToken)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token_hash == hash_token(token),
               CalendarToken.revoked_at.is_(None), User.active.is_(True))
    ).first()
    return (row[0], row[1]) if row else None
