"""The app as the benchmark serves it: production settings from the environment.

``gunicorn 'bench.served:create_served_app()'`` with ``CRM_ENV=production``, a strong
random ``SECRET_KEY``, ``DATABASE_URL``, ``CRM_TRUSTED_HOSTS=127.0.0.1`` and
``CRM_QUERY_COUNT=1`` in the environment. The only change from production: session
and remember cookies are not marked Secure, since the benchmark talks plain HTTP to
127.0.0.1 (a Secure cookie would never be sent back, and every page would ask to
sign in).
"""

from flask import Flask

from crm import create_app


def create_served_app() -> Flask:
    """The production app with cookies usable over plain HTTP on 127.0.0.1."""
    app = create_app({"SESSION_COOKIE_SECURE": False})
    app.config["REMEMBER_COOKIE_SECURE"] = False
    return app
