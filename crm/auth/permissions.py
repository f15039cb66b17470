"""Who may see what: role checks and the villages in a user's scope."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false, select

from crm.auth.models import OfficerArea, Role, User, officer_villages
from crm.villages.models import Village


def visible_village_ids(user: User) -> Select:
    """A select of the village ids whose records ``user`` may see.

    Officers see their assigned villages and every village of their Kecamatan or
    Kabupaten areas (by the leading part of the village code, so that a village set
    up later is in scope at once); administrators see no village's records (they set
    villages up); everyone else sees their home village.
    """
    if user.role == Role.OFFICER:
        assigned = select(officer_villages.c.village_id).where(
            officer_villages.c.user_id == user.id
        )
        in_areas = (
            select(Village.id)
            .join(OfficerArea, Village.code.startswith(OfficerArea.region_code + "."))
            .where(OfficerArea.user_id == user.id)
        )
        return assigned.union(in_areas)
    if user.role == Role.ADMIN:
        return select(Village.id).where(false())
    return select(user.village_id)


# Everyone who works with a village's records: all but the administrator, who sets
# villages up and has none of their records.
VILLAGE_ROLES = (Role.OFFICER, Role.PRODUCER, Role.RESELLER, Role.PARTNER)


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
