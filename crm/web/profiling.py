"""Per-request figures for benchmarks: ``X-Query-Count`` and ``Server-Timing`` headers.

Off unless ``CRM_QUERY_COUNT=1`` (setting ``QUERY_COUNT``). The counter listens on
SQLAlchemy's ``before_cursor_execute`` of the app's engine and counts the statements
sent while one request is handled; the time is taken from the first ``before_request``
to the response, so it is the server's work without the network.
"""

import contextlib
import time

from flask import Flask, g
from sqlalchemy import event

from crm.extensions import db


def register(app: Flask) -> None:
    """Count statements and time each request when the setting is on."""
    if not app.config.get("QUERY_COUNT"):
        return

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        # Outside a request or app context (CLI, startup) there is nothing to count.
        with contextlib.suppress(RuntimeError):
            g.crm_queries = g.get("crm_queries", 0) + 1

    @app.before_request
    def _start():
        g.crm_started = time.perf_counter()
        g.crm_queries = 0

    @app.after_request
    def _figures(response):
        started = g.get("crm_started")
        if started is None:
            return response
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["X-Query-Count"] = str(g.get("crm_queries", 0))
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response
