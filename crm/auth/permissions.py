"""Who may see what: role checks and the villages in a user's scope."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from crm.auth.models import Role, User, officer_villages


def visible_village_ids(user: User) -> Select:
    """A select of the village ids whose records ``user`` may see.

    Officers see their assigned villages; everyone else their home village.
    """
    if user.role == Role.OFFICER:
        return select(officer_villages.c.village_id).where(officer_villages.c.user_id == user.id)
    return select(user.village_id)


def roles_required(*roles: Role):
    """Allow a view only to signed-in users with one of ``roles`` (others get 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
