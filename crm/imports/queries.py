"""Reading imports within the reader's scope: an officer sees the imports of the
villages in their care, whoever made them."""

from flask import abort
from sqlalchemy import Select, false, select
from sqlalchemy.orm import joinedload

from crm.auth.models import Role, User
from crm.auth.permissions import visible_village_ids
from crm.extensions import db
from crm.imports.models import SheetImport


def imports_visible_to(user: User) -> Select:
    """The imports ``user`` may open: an officer's villages' (nothing for others)."""
    query = select(SheetImport)
    if user.role != Role.OFFICER:
        return query.where(false())
    return query.where(SheetImport.village_id.in_(visible_village_ids(user)))


def get_import_or_404(import_id: int, user: User) -> SheetImport:
    """One import in ``user``'s villages; any other id answers 404."""
    found = db.session.scalar(imports_visible_to(user).where(SheetImport.id == import_id))
    if found is None:
        abort(404)
    return found


def recent_imports(user: User, village_id: int | None = None):
    """A page query of ``user``'s imports, newest first (with the village and the
    officer loaded)."""
    query = imports_visible_to(user).options(
        joinedload(SheetImport.village), joinedload(SheetImport.officer))
    if village_id is not None:
        query = query.where(SheetImport.village_id == village_id)
    return query.order_by(SheetImport.id.desc())
