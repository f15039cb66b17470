"""The audit trail, read-only: officers see who changed what in their villages.

There is no route that edits or deletes an audit row.
"""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from crm.audit.models import AuditEntry
from crm.audit.queries import audit_visible_to
from crm.auth.models import Role
from crm.auth.permissions import roles_required
from crm.extensions import db
from crm.web.request_args import arg_text

bp = Blueprint("audit", __name__, url_prefix="/riwayat")

ENTITY_MAX = 40


def _page(query):
    query = query.options(joinedload(AuditEntry.actor))
    return db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)


@bp.get("/")
@roles_required(Role.OFFICER)
def index():
    """Recent changes in the officer's villages, optionally of one kind of record."""
    entity = arg_text("jenis", ENTITY_MAX)
    query = audit_visible_to(current_user)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    entities = db.session.scalars(
        audit_visible_to(current_user).with_only_columns(AuditEntry.entity).distinct()
        .order_by(None).order_by(AuditEntry.entity)
    ).all()
    return render_template("audit/index.html", page=_page(query), entity=entity,
                           entities=entities)


@bp.get("/<entity>/<int:entity_id>")
@roles_required(Role.OFFICER)
def record(entity: str, entity_id: int):
    """Every change to one record; 404 when none is visible to the officer."""
    query = audit_visible_to(current_user).where(
        AuditEntry.entity == entity[:ENTITY_MAX], AuditEntry.entity_id == entity_id)
    page = _page(query)
    if not page.items:
        abort(404)
    return render_template("audit/record.html", page=page, entity=entity,
                           entity_id=entity_id)
