"""Who may see what: role checks and the villages in a user's scope."""

from functools import cache, wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Integer, bindparam, select

from crm.auth.models import Role, officer_villages


def visible_village_ids(user):
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


# --- scopes of kept statements ------------------------------------------------------
#
# Building a SQLAlchemy statement of a list or report and its cache key takes longer
# than running it (0.5–0.8 ms each). The hottest pages keep their statements: each is
# built once per *shape* (the role asking, which filters are on) by a builder that is
# given the shape only, never a value, and the request's values go in as bound
# parameters when it runs. The builder scopes by a :class:`BoundUser`, whose id,
# group and village are *required* parameters: a kept statement run without
# :func:`scope_values` is an error, never another user's rows.


class BoundUser:
    """A user as a kept statement's scope sees them: the role, and the id, group,
    village and institution as required bound parameters (filled in by
    :func:`scope_values`). The scope rules (:func:`visible_village_ids`,
    ``orders_visible_to`` …) take it as they take a user: where a rule asks whether a
    user has a group or institution, a BoundUser has one, and a user without gets
    the rows of "none", that is none."""

    __slots__ = ("role", "id", "group_id", "village_id", "partner_id")

    def __init__(self, role: Role):
        self.role = role
        self.id = bindparam("scope_user_id", type_=Integer, required=True)
        self.group_id = bindparam("scope_group_id", type_=Integer, required=True)
        self.village_id = bindparam("scope_village_id", type_=Integer, required=True)
        self.partner_id = bindparam("scope_partner_id", type_=Integer, required=True)


@cache
def bound_user(role: Role) -> BoundUser:
    """The :class:`BoundUser` of ``role`` (one per role)."""
    return BoundUser(Role(role))


def scope_values(user) -> dict:
    """The values of a :class:`BoundUser`'s parameters for ``user``."""
    return {"scope_user_id": user.id, "scope_group_id": user.group_id,
            "scope_village_id": user.village_id, "scope_partner_id": user.partner_id}
