"""Loading the signed-in user from the session cookie."""

import hmac

from flask import session
from sqlalchemy.orm import joinedload

from crm.auth.models import Role, User
from crm.extensions import db

# Read with the user in the same statement: the home village (its time zone formats
# every time on a page) and, for the roles whose home page shows it, the producer's
# group or the partner's institution. Which of these to join is told by the role
# noted in the (signed) session at sign-in: an officer's or reseller's request does
# not read two empty joins. A note that no longer fits only costs a query when the
# object is needed: the loaded user is the same either way.
_VILLAGE = joinedload(User.home_village)
_WITH_USER = {
    Role.PRODUCER.value: (_VILLAGE, joinedload(User.group)),
    Role.PARTNER.value: (_VILLAGE, joinedload(User.partner)),
}
_DEFAULT = (_VILLAGE,)
ROLE_NOTE = "crm_role"


def note_role(user: User) -> None:
    """Note ``user``'s role in the session at sign-in (see ``_WITH_USER``)."""
    session[ROLE_NOTE] = str(user.role)


def load_user_from_session_id(session_id: str) -> User | None:
    """Return the user for ``"<id>:<token>"`` if the token is still current."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    options = _WITH_USER.get(session.get(ROLE_NOTE), _DEFAULT)
    user = db.session.get(User, int(user_id), options=options)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user
