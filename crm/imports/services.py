"""Imports: an uploaded file is checked, kept in the database as a
:class:`SheetImport`, checked again row by row against the village's records for
the preview, and checked once more at the saving, which saves its good rows in the
request's one transaction. Services flush and never commit."""

import hashlib

from sqlalchemy import update

from crm.audit.services import record_change
from crm.db.types import utcnow
from crm.extensions import db
from crm.imports.goods import check_outlets, check_products
from crm.imports.kinds import KINDS
from crm.imports.models import SheetImport
from crm.imports.outcomes import Preview
from crm.imports.people import check_members, check_resellers
from crm.imports.reading import read_rows
from crm.imports.saving import Saved, save_preview
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.spreadsheet_reading import MAX_BYTES, SpreadsheetError

SUFFIXES = (".xlsx", ".csv")
CHECKS = {"kelompok": check_members, "reseller": check_resellers,
          "produk": check_products, "warung": check_outlets}


def _rows(kind_code: str, data: bytes, filename: str, field: str | None = None):
    try:
        return read_rows(KINDS[kind_code], data, filename)
    except SpreadsheetError as error:
        raise RuleError(error.message, field=field) from error


def store_upload(village, officer, kind_code: str, filename: str, data: bytes) -> SheetImport:
    """Check an uploaded file of ``kind_code`` for ``village`` and keep it for its
    preview. Refused: no file, one that is no XLSX or CSV, too large, unreadable, a
    template of another kind or version, one without the kind's columns or rows."""
    if kind_code not in KINDS:
        raise RuleError(_("Pilih jenis data."), field="kind")
    if not (filename or "").lower().endswith(SUFFIXES):
        raise RuleError(_("Unggah berkas XLSX atau CSV (dari templat di halaman ini)."),
                        field="file")
    if not data:
        raise RuleError(_("Berkas ini kosong."), field="file")
    if len(data) > MAX_BYTES:
        raise RuleError(_("Berkas terlalu besar: paling besar 5 MB."), field="file")
    _rows(kind_code, data, filename, field="file")  # a broken file is never kept
    shown_name = "".join(ch for ch in filename if ch.isprintable())[:200]
    batch = SheetImport(village_id=village.id, officer_id=officer.id, kind=kind_code,
                        filename=shown_name, sha256=hashlib.sha256(data).hexdigest(),
                        data=data, accounts=[])
    db.session.add(batch)
    db.session.flush()
    return batch


def import_preview(batch: SheetImport) -> Preview:
    """Every row of ``batch``'s file checked against the village's records now."""
    if batch.data is None:
        raise RuleError(_("Berkas impor ini sudah disimpan."))
    rows = _rows(batch.kind, batch.data, batch.filename)
    return CHECKS[batch.kind](batch.village, rows)


def save_import(batch: SheetImport, actor) -> tuple[Preview, Saved]:
    """Save the good rows of ``batch``, once, after checking them again against the
    database (it may have changed since the preview). The batch is marked saved with
    a guarded UPDATE, so a second save (a resent form, another tab) is refused; its
    file is dropped, its counts kept, and the import is written to the audit trail."""
    marked = db.session.execute(
        update(SheetImport).where(SheetImport.id == batch.id, SheetImport.saved_at.is_(None))
        .values(saved_at=utcnow()), execution_options={"synchronize_session": False})
    if marked.rowcount != 1:
        raise RuleError(_("Berkas impor ini sudah disimpan."))
    preview = import_preview(batch)
    saved = save_preview(preview, batch.village, actor)
    counts = preview.counts
    batch.new_count, batch.updated_count = saved.new, saved.updated
    batch.unchanged_count, batch.error_count = counts["same"], counts["error"]
    batch.accounts = [account.user.id for account in saved.accounts]
    batch.data = None
    record_change(actor, "import", "import", batch.id, batch.village_id, {
        "kind": batch.kind, "file": batch.filename, "new": saved.new,
        "updated": saved.updated, "unchanged": counts["same"], "errors": counts["error"]})
    db.session.flush()
    db.session.refresh(batch)
    return preview, saved
