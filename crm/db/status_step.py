"""The guarded status step: every state machine moves a row with one
``UPDATE … SET status = :new WHERE id = :id AND status = :old`` and lets the row
count decide.

Two people (or one person's twelve clicks) taking the same step at the same moment
all run that statement; the database lets exactly one of them match. The others
match no row and are refused with a clear message, before anything else changes,
so whatever follows a step (a counter, stock, capacity, a ledger line) happens once.
Reading the status in Python and writing the new one back cannot give that promise:
every request reads the old status before any of them writes.
"""

from collections.abc import Callable, Iterable

from sqlalchemy import update

from crm.extensions import db
from crm.web.errors import RuleError


def move_status(
    row, old: str | Iterable[str], new: str | None, refusal: str | Callable[[str], str],
    *, values: dict | None = None, where: Iterable = (),
) -> None:
    """Move ``row`` from status ``old`` (one status or several) to ``new``, with
    ``values`` (SQL expressions allowed, e.g. ``sequence + 1``) set in the same
    statement, then re-read ``row``.

    ``new=None`` keeps the status and only holds the row (its lock lasts until the
    transaction ends), for changes allowed only in some statuses. ``where`` adds
    further conditions. When no row matches (another request took a step first),
    nothing is changed and :class:`RuleError` is raised with ``refusal``: a message,
    or a function of the status the row has now.
    """
    model = type(row)
    olds = (old,) if isinstance(old, str) else tuple(old)
    changes = dict(values or {})
    if new is not None:
        changes["status"] = new
    moved = db.session.execute(
        update(model)
        .where(model.id == row.id, model.status.in_(olds), *where)
        .values(**changes),
        execution_options={"synchronize_session": False},
    )
    if moved.rowcount != 1:
        if callable(refusal):
            db.session.refresh(row, ["status"])
            raise RuleError(refusal(row.status))
        raise RuleError(refusal)
    db.session.refresh(row)
