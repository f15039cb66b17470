"""The signed session cookie, renewed once a day rather than on every response.

A signed-in session lasts ``PERMANENT_SESSION_LIFETIME`` (7 days) from the last
time its cookie was written, so someone who uses the app stays signed in. Flask
writes the cookie again on every response to move that date; here it is written
again only when the session changed or when the cookie is older than
``SESSION_RENEW_AFTER`` (a day): the same sliding week to within a day, without
signing the session and sending ~450 bytes of ``Set-Cookie`` with every page, which
matters on slow mobile data.
"""

from datetime import UTC, datetime, timedelta

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class DatedSession(SecureCookieSession):
    """A session that knows when its cookie was signed (None: no cookie yet)."""

    signed_at: datetime | None = None


class DailyRenewedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, written when changed or a day old."""

    session_class = DatedSession

    def open_session(self, app: Flask, request: Request) -> DatedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: DatedSession) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        renew_after: timedelta = app.config["SESSION_RENEW_AFTER"]
        return (session.signed_at is None
                or datetime.now(UTC) - session.signed_at >= renew_after)
