"""MRSE CRM: the application factory."""

import gc
import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import configure_mappers

import crm.models  # noqa: F401  (registers every table on db.metadata)
from crm.audit.views import bp as audit_bp
from crm.auth.cookies import DailyRenewedSessionInterface
from crm.auth.sessions import load_user_from_session_id
from crm.auth.views import bp as auth_bp
from crm.calendar.views import bp as calendar_bp
from crm.catalog.views import bp as catalog_bp
from crm.cli import crm_cli
from crm.config import (
    MIGRATIONS_DIR,
    POSTGRES_SESSION_OPTIONS,
    default_settings,
    finalise,
    settings_from_environment,
)
from crm.consignment.views import bp as consignment_bp
from crm.events.views import bp as events_bp
from crm.extensions import babel, csrf, db, login_manager, migrate
from crm.fund.views import bp as fund_bp
from crm.groups.views import bp as groups_bp
from crm.health.views import bp as health_bp
from crm.home.views import bp as home_bp
from crm.imports.views import bp as imports_bp
from crm.inbox.views import bp as inbox_bp
from crm.orders.views import bp as orders_bp
from crm.partners.views import bp as partners_bp
from crm.proposals.views import bp as proposals_bp
from crm.public.views import bp as public_bp
from crm.reports.views import bp as reports_bp
from crm.resellers.views import bp as resellers_bp
from crm.settlements.views import bp as settlements_bp
from crm.setup.views import bp as setup_bp
from crm.villages.views import bp as villages_bp
from crm.web import errors, profiling, request_args, security, templating
from crm.web.i18n import lazy_gettext as _l
from crm.web.i18n import select_locale, select_timezone


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings (defaults, environment, then ``config``), extensions,
    blueprints, error pages, security headers, template helpers and CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    request_args.register(app)  # before any route: ids in URLs are database ids
    settings = default_settings(app.instance_path)
    settings.update(settings_from_environment())
    settings.update(config or {})
    finalise(settings, app.instance_path)
    app.config.update(settings)
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        options.setdefault("connect_args", {}).setdefault(
            "timeout", app.config["SQLITE_BUSY_TIMEOUT"]
        )
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options.setdefault("connect_args", {}).setdefault("options", POSTGRES_SESSION_OPTIONS)


    app.session_interface = DailyRenewedSessionInterface()
    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    profiling.register(app)
    security.register(app)
    templating.register(app)

    app.cli.add_command(crm_cli)
    if app.config["CRM_ENV"] != "testing":
        _settle_startup_objects()
    return app


def _settle_startup_objects() -> None:
    """Keep what start-up made (modules, mappings, the app: ~170,000 objects) out of
    the garbage collector's full runs. A full run scans every tracked object and,
    with these included, stops a worker for 100 ms or more on a small server, now
    and then in the middle of a request; frozen, they are never scanned (they live
    as long as the process anyway). Tests build an app for each test and skip this,
    so that their apps can be collected."""
    gc.collect()
    gc.freeze()


def _init_extensions(app: Flask) -> None:

    # Settle the mappings now rather than on a worker's first query, which would
    # otherwise take a few hundred milliseconds longer than any later one.
    configure_mappers()

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session_id)


    login_manager.login_message = _l("Silakan masuk dulu untuk membuka halaman itu.")


def _register_blueprints(app: Flask) -> None:
    blueprints = (
        audit_bp, auth_bp, calendar_bp, catalog_bp, consignment_bp, events_bp, fund_bp, groups_bp,
        health_bp, home_bp, imports_bp, inbox_bp, orders_bp, partners_bp, proposals_bp,
        public_bp, reports_bp, resellers_bp, settlements_bp, setup_bp, villages_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers work while one writer writes; foreign keys are off by default."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
