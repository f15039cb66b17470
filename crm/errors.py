"""Friendly error pages: never a traceback, always a way back."""

import logging

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from crm.extensions import db
from crm.i18n import lazy_gettext as _l
from crm.uploads import takes_uploads

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Permintaan tidak bisa diproses"), _l("Ada yang salah dengan isian. Coba lagi.")),
    403: (_l("Tidak boleh dibuka"), _l("Halaman ini bukan untuk akun Anda.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman atau data yang Anda cari tidak ada.")),
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

    @app.errorhandler(Exception)
    def _unexpected(error):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
