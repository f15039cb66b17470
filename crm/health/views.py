"""``GET /healthz``: is the app up, its database reachable and its schema current?

Everyone (a load balancer, a monitor) gets a plain ``ok`` (200) or ``degraded`` (503).
The details, with the migration revisions that say which release runs, are for
signed-in village officers only: to anyone else they would tell which version of
the code to look up weaknesses of."""

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crm.auth.models import Role
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
        db.session.rollback()  # a failed statement leaves the session unusable until then
        database = "unreachable"
    if database == "ok":
        try:
            current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError:  # schema not created yet
            db.session.rollback()  # the failed statement, as above
    ok = database == "ok" and current == head
    status = 200 if ok else 503
    if not _may_see_details():
        return ("ok" if ok else "degraded"), status, {"Content-Type": "text/plain; charset=utf-8"}
    body = {
        "status": "ok" if ok else "degraded",
        "database": database,
        "migration_head": head,
        "migration_current": current,
    }
    return jsonify(body), status


def _may_see_details() -> bool:
    """Signed-in village officers (asked only when the database answers: the user
    is loaded from it)."""
    try:
        return current_user.is_authenticated and current_user.role == Role.OFFICER
    except SQLAlchemyError:
        db.session.rollback()  # the failed statement, as above
        return False
