"""Reading import batches within the reader's scope: a batch is its reseller's only."""

from flask import abort
from sqlalchemy import Select, select

from crm.auth.models import User
from crm.extensions import db
from crm.inbox.models import ImportBatch


def batches_visible_to(user: User) -> Select:
    """The uploads ``user`` may open: their own."""
    return select(ImportBatch).where(ImportBatch.reseller_id == user.id)


def get_batch_or_404(batch_id: int, user: User) -> ImportBatch:
    """One of ``user``'s uploads; anyone else's id answers 404."""
    batch = db.session.scalar(batches_visible_to(user).where(ImportBatch.id == batch_id))
    if batch is None:
        abort(404)
    return batch


def recent_batches(user: User, limit: int = 10) -> list[ImportBatch]:
    """``user``'s latest uploads, newest first."""
    return list(db.session.scalars(
        batches_visible_to(user).order_by(ImportBatch.id.desc()).limit(limit)))
