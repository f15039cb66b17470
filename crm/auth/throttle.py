"""Counting failed password checks in the database, atomically, per key.

An attempt is counted *before* its password is checked, by one guarded
``INSERT … ON CONFLICT DO UPDATE … WHERE failures < limit``: the row count says
whether the attempt may go ahead. Parallel attempts (any number of workers) cannot
pass the limit between a read and a write, since there is no separate read. A
successful check gives its count back (:func:`give_back`) or clears the key
(:func:`clear`). A key's window starts at its first failure; once it has passed,
the next attempt starts a new one.
"""

import hashlib
import math
from datetime import timedelta

from sqlalchemy import case, delete, select, update

from crm.auth.models import SignInThrottle
from crm.db.types import utcnow
from crm.db.upsert import upsert_into
from crm.extensions import db


def throttle_key(*parts: object) -> str:
    """The key of what is counted: a SHA-256 of its parts (no login names, phone
    numbers or addresses are stored)."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def take_attempt(key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt under ``key``, unless ``limit`` are counted in its current
    window already. True when counted (the check may go ahead)."""
    now = utcnow()
    table = SignInThrottle.__table__
    expired = table.c.window_start <= now - window
    statement = upsert_into(table).values(key=key, failures=1, window_start=now)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((expired, 1), else_=table.c.failures + 1),
            "window_start": case((expired, now), else_=table.c.window_start),
        },
        where=expired | (table.c.failures < limit),
    ).returning(table.c.failures)
    return db.session.execute(statement).first() is not None


def give_back(key: str) -> None:
    """Take back one attempt counted under ``key`` (its check succeeded)."""
    db.session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.key == key, SignInThrottle.failures > 0)
        .values(failures=SignInThrottle.failures - 1)
    )


def clear(key: str) -> None:
    """Forget what was counted under ``key``."""
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))


def minutes_left(key: str, window: timedelta) -> int:
    """Whole minutes (at least 1) until the window of ``key`` has passed."""
    start = db.session.scalar(
        select(SignInThrottle.window_start).where(SignInThrottle.key == key))
    if start is None:
        return 1
    seconds = (start + window - utcnow()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def forget_expired(window: timedelta) -> None:
    """Delete the counts whose window has passed (they would start again anyway)."""
    db.session.execute(
        delete(SignInThrottle).where(SignInThrottle.window_start <= utcnow() - window))
