"""Security headers on every response (OWASP ASVS baseline), bounded request bodies,
and no server software or version in ``Server``."""

from flask import Flask, Request, abort, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.serving import WSGIRequestHandler

# What the app calls itself in ``Server`` (the servers in front say no more, see
# docs/deploy/): no product or version for anyone to look up weaknesses of.
SERVER_NAME = "MRSE"

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


class BoundedRequest(Request):
    """A request whose body may have ``MAX_CONTENT_LENGTH`` bytes (8 MB) when its view
    takes a picture (``accepts_uploads``, below) and ``MAX_FORM_CONTENT_LENGTH``
    otherwise. A larger body is refused with 413 from its Content-Length (or once
    that many bytes were read) before any of it is parsed, so that no form of a
    million fields keeps a worker busy for seconds."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None or not current_app:
            return super().max_content_length
        if takes_uploads(self):
            return current_app.config["MAX_CONTENT_LENGTH"]
        return current_app.config["MAX_FORM_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def _server_name(handler) -> str:
    return SERVER_NAME


def _name_the_development_server() -> None:
    """The development server (``flask run``) writes its version and Python's in
    ``Server`` ("Werkzeug/3.1.9 Python/3.11.2") after the app has answered, so the
    app cannot change the header: the server's handler is told the name instead.
    gunicorn is named in its configuration (docs/deploy/gunicorn.conf.py)."""
    WSGIRequestHandler.version_string = _server_name


def register(app: Flask) -> None:
    """Believe the configured proxies; bound request bodies; refuse untrusted Host
    headers; add the headers after every request."""
    app.request_class = BoundedRequest
    _name_the_development_server()
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


def accepts_uploads(view):
    """Mark a view whose form carries a picture: its request body may have up to
    ``MAX_CONTENT_LENGTH`` (8 MB); every other view's body is held to
    ``MAX_FORM_CONTENT_LENGTH`` (BoundedRequest, above). Put it right below
    the route decorator."""
    view.accepts_uploads = True
    return view


def takes_uploads(request) -> bool:
    """True when ``request`` goes to a view marked ``accepts_uploads``."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "accepts_uploads", False)
