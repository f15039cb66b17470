"""Scoped queries and loaders for user accounts."""

from flask import abort
from sqlalchemy import Select, or_, select

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.extensions import db


def users_visible_to(user) -> Select:
    """Accounts ``user`` may list: an officer sees the accounts of their villages."""
    if user.role != Role.OFFICER:
        return select(User).where(User.id == user.id)
    return select(User).where(
        or_(User.village_id.in_(visible_village_ids(user)), User.id == user.id)
    )


def get_user_or_404(user_id: int, user, need: str = "view") -> User:
    """Load an account within ``user``'s scope; anything else answers 404.

    Officers may edit the non-officer accounts of their villages; everyone may
    view and edit their own account.
    """
    target = db.session.scalar(users_visible_to(user).where(User.id == user_id))
    if target is None:
        abort(404)
    if need == "edit" and target.id != user.id and target.role == Role.OFFICER:
        abort(404)
    return target
