"""Loading the signed-in user from the session cookie."""

import hmac

from flask import request, session
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, undefer

from crm.auth.models import Role, User
from crm.catalog.models import ProducerGroup
from crm.extensions import db

# The user's row is read with its home village's time zone (every time on a page is
# shown in it) and nothing more: the village, group or institution themselves are
# read only where a page shows them. A role's home page does (the reseller's village,
# the producer's group and its village, the partner's institution), so there they
# come in the same statement. Which role is asking is told by the role noted in the
# (signed) session at sign-in; a note that no longer fits only costs a query when
# the object is needed: the loaded user is the same either way.
HOME_PAGE = "home.dashboard"
ROLE_NOTE = "crm_role"
_BY_ID = select(User).where(User.id == bindparam("user_id")).options(
    undefer(User.village_timezone))
_HOME_BY_ID = {
    Role.RESELLER.value: _BY_ID.options(joinedload(User.home_village)),
    Role.PRODUCER.value: _BY_ID.options(
        joinedload(User.group).joinedload(ProducerGroup.village)),
    Role.PARTNER.value: _BY_ID.options(joinedload(User.partner)),
}


def note_role(user: User) -> None:
    """Note ``user``'s role in the session at sign-in (see ``_HOME_BY_ID``)."""
    session[ROLE_NOTE] = str(user.role)


def load_user_from_session_id(session_id: str) -> User | None:
    """Return the user for ``"<id>:<token>"`` if the token is still current."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    statement = _BY_ID
    if request.endpoint == HOME_PAGE:
        statement = _HOME_BY_ID.get(session.get(ROLE_NOTE), _BY_ID)
    user = db.session.scalar(statement, {"user_id": int(user_id)})
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user
