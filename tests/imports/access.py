"""An import of owner A (the Katapang officer) for the access matrix of
tests/security (tests/security/records.py), by URL parameter."""

from sqlalchemy import select

from crm.auth.models import User
from crm.extensions import db
from crm.imports.models import SheetImport
from tests.imports.files import member, xlsx


def import_records(records: dict) -> dict:
    """An unsaved import of the Katapang officer whose accounts include the user of
    ``records["user_id"]``."""
    kesra = db.session.scalars(select(User).where(User.username == "kesra")).one()
    batch = SheetImport(village_id=records["village_id"], officer_id=kesra.id,
                        kind="kelompok", filename="anggota.xlsx", sha256="0" * 64,
                        data=xlsx("kelompok", [member(1)]), accounts=[records["user_id"]])
    db.session.add(batch)
    db.session.commit()
    return {"import_id": batch.id}
