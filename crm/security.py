"""Security headers on every response (OWASP ASVS baseline)."""

from flask import Flask, abort, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register(app: Flask) -> None:
    """Believe the configured proxies; refuse untrusted Host headers; add the
    headers after every request."""
    proxies = app.config["CRM_PROXIES"]
    if proxies:
        # The visitor's address and scheme as the proxies in front saw them (the
        # sign-in throttle counts per address; otherwise every visitor would be the
        # proxy). The Host header is not taken from them: CRM_TRUSTED_HOSTS checks it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.before_request
    def _trusted_host():
        hosts = app.config["CRM_TRUSTED_HOSTS"]
        if hosts and not host_is_trusted(request.host, hosts):
            abort(400)

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["CRM_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Pages of a signed-in user must not stay in a shared phone's cache. (Asked
        # as "not anonymous": no attribute of the user is read, so a page that
        # committed does not load the user again just for this header.)
        if current_user and not current_user.is_anonymous:
            headers["Cache-Control"] = "no-store"
        return response
