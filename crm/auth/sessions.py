"""Loading the signed-in user from the session cookie."""

import hmac

from sqlalchemy.orm import joinedload

from crm.auth.models import User
from crm.extensions import db

# Read with the user in the same statement: the home village (its time zone formats
# every time on a page), the producer's group and the partner's institution (their
# home pages); each would otherwise be a query of its own.
_WITH_USER = (joinedload(User.home_village), joinedload(User.group), joinedload(User.partner))


def load_user_from_session_id(session_id: str) -> User | None:
    """Return the user for ``"<id>:<token>"`` if the token is still current."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id), options=_WITH_USER)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user
