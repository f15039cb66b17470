"""Known devices: a signed, long-lived cookie that a browser gets when someone signs
in on it, naming the accounts that signed in there.

Sign-in throttling (crm.auth.services) counts the failures of a known device apart
from those of its address and of the account as a whole, so someone guessing an
account's password elsewhere (or behind the same shared address: a village office's
Wi-Fi, a mobile operator's NAT) never keeps its owner out of the phone they use.
The cookie proves nothing else: the password is still checked.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "mrse_device"
LIFETIME = timedelta(days=365)
MAX_ACCOUNTS = 10  # a family's shared phone; the oldest is forgotten first


@dataclass
class KnownDevice:
    """The browser's device id and the accounts that signed in on it."""

    device_id: str
    user_ids: list[int] = field(default_factory=list)

    def knows(self, user_id: int) -> bool:
        return user_id in self.user_ids


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="crm.auth.known-device")


def known_device() -> KnownDevice | None:
    """The device of this request's cookie; None without a valid cookie."""
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=int(LIFETIME.total_seconds()))
        device = KnownDevice(str(data["d"]), [int(u) for u in data["u"]])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return device


def remember_device(response: Response, user_id: int) -> None:
    """Add ``user_id`` to this browser's known-device cookie (made if missing)."""
    device = known_device() or KnownDevice(secrets.token_urlsafe(16))
    ids = [u for u in device.user_ids if u != user_id][-(MAX_ACCOUNTS - 1):] + [user_id]
    value = _serializer().dumps({"d": device.device_id, "u": ids})
    config = current_app.config
    response.set_cookie(
        COOKIE_NAME, value, max_age=int(LIFETIME.total_seconds()), path="/",
        secure=config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax",
    )
