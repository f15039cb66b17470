"""Errors: the refusal a service raises when a business rule says no, and friendly
error pages (never a traceback, always a way back)."""

import logging

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from crm.extensions import db
from crm.web.i18n import lazy_gettext as _l
from crm.web.security import takes_uploads

log = logging.getLogger(__name__)


class RuleError(ValueError):
    """An action refused by a business rule; ``str(error)`` is shown to the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

MESSAGES = {
    400: (_l("Permintaan tidak bisa diproses"), _l("Ada yang salah dengan isian. Coba lagi.")),
    403: (_l("Tidak boleh dibuka"), _l("Halaman ini bukan untuk akun Anda.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman atau data yang Anda cari tidak ada.")),
    409: (_l("Formulir sudah terkirim"),
          _l("Formulir ini sudah terkirim dan tercatat. Buka daftarnya untuk melihat "
             "hasilnya.")),
    405: (_l("Cara membuka tidak sesuai"), _l("Halaman ini tidak bisa dibuka dengan cara itu.")),
    413: (_l("Berkas terlalu besar"), _l("Berkas yang dikirim terlalu besar. Maksimal 8 MB.")),
    429: (_l("Terlalu banyak permintaan"), _l("Tunggu sebentar, lalu coba lagi.")),
    500: (_l("Terjadi kesalahan"), _l("Maaf, ada kesalahan di sistem. Data Anda tidak berubah.")),
    503: (_l("Sedang sibuk"), _l("Sistem sedang sibuk. Tunggu sebentar, lalu coba lagi.")),
}


# A form without a picture that sends more than MAX_FORM_CONTENT_LENGTH.
FORM_TOO_LARGE = (
    _l("Isian terlalu besar"),
    _l("Isian formulir yang dikirim terlalu besar. Periksa isian Anda, lalu kirim lagi."),
)


def render_error(status: int, message=None, title=None):
    """The error page for ``status`` with an optional more precise message and title."""
    default_title, default = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html", status=status, title=title or default_title,
        message=message or default,
    ), status


def _discard_unread_body() -> None:
    """Read and drop a refused body, when it has no more than MAX_CONTENT_LENGTH
    bytes (8 MB; nginx refuses larger ones itself), without parsing it: a few
    milliseconds. Left unread, gunicorn would close the connection while nginx is
    still sending the body, and nginx would answer 502 instead of this page."""
    length = request.content_length
    if length is None or length > current_app.config["MAX_CONTENT_LENGTH"]:
        return
    stream = request.environ["wsgi.input"]
    while length > 0:
        chunk = stream.read(min(length, 64 * 1024))
        if not chunk:
            return
        length -= len(chunk)


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(
            400,
            _l("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."),
        )

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error):
        _discard_unread_body()
        if takes_uploads(request):
            return render_error(413)
        title, message = FORM_TOO_LARGE
        return render_error(413, message, title)

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(OperationalError)
    def _database(error):
        db.session.rollback()
        log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        return render_error(503)

    @app.errorhandler(IntegrityError)
    def _integrity(error):
        db.session.rollback()
        if is_form_token_conflict(error):
            return answer_resent_form()
        log.exception("integrity error on %s %s", request.method, request.path)
        return render_error(500)

    @app.errorhandler(Exception)
    def _unexpected(error):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)


def is_form_token_conflict(error: IntegrityError) -> bool:
    """True when ``error`` is the unique constraint of a one-time form token: the
    same form was sent twice at the same instant and the other copy was saved
    first (every such column is named ``form_token``; SQLite names the column,
    PostgreSQL the constraint ``uq_<table>_form_token…``)."""
    return "form_token" in str(getattr(error, "orig", error))


def answer_resent_form():
    """Answer a form whose twin, sent at the same instant, was saved first, as a
    resent form is answered: run the view again. Its service now finds the record
    saved under the token and the view redirects to it, as it did for the first
    copy. Done once: should it fail again, a clear message instead of the error page.
    """
    if not g.get("form_sent_again"):
        g.form_sent_again = True
        view = current_app.view_functions[request.url_rule.endpoint]
        try:
            return current_app.make_response(view(**(request.view_args or {})))
        except IntegrityError:
            db.session.rollback()
    log.warning("form sent twice at once on %s %s", request.method, request.path)
    return render_error(409)
