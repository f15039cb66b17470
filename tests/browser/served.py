"""The app as gunicorn serves it to the browser tests: production settings from the
environment (``CRM_ENV=production``, a strong ``SECRET_KEY``, ``DATABASE_URL``,
``CRM_TRUSTED_HOSTS``), except that cookies may travel over plain http, since the
tests reach it at http://127.0.0.1 without TLS."""

from crm import create_app


def create_served_app():
    """``gunicorn 'tests.browser.served:create_served_app()'``."""
    app = create_app({"SESSION_COOKIE_SECURE": False})
    # Production forces this on (the check in crm.config); the tests have no https.
    app.config["REMEMBER_COOKIE_SECURE"] = False
    return app
