"""``GET /healthz``: database reachability and migration state as JSON."""

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crm.extensions import db

bp = Blueprint("health", __name__)


def migration_head() -> str | None:
    """The newest revision among the migration scripts shipped with the code."""
    migrate: Migrate = current_app.extensions["migrate"].migrate
    config = migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


@bp.get("/healthz")
def healthz():
    head = migration_head()
    current = None
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unreachable"
    if database == "ok":
        try:
            current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError:  # schema not created yet
            db.session.rollback()
    ok = database == "ok" and current == head
    body = {
        "status": "ok" if ok else "degraded",
        "database": database,
        "migration_head": head,
        "migration_current": current,
    }
    return jsonify(body), 200 if ok else 503
