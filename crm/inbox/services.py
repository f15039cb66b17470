"""The order inbox: an uploaded export is stored and recorded as a batch, its columns
are found (a known marketplace layout, or the reseller's choice, remembered), and its
orders are read for the preview and the saving. Services flush and never commit."""

import hashlib
import secrets
from dataclasses import asdict

from sqlalchemy import select

from crm.extensions import db
from crm.inbox.columns import detect_map, fold, map_from_choice
from crm.inbox.matching import claimed_products
from crm.inbox.models import ImportBatch, RememberedColumns, RememberedProduct
from crm.inbox.reading import read_orders, read_sheet
from crm.inbox.records import ColumnMap, ExportError, ExportOrder, Sheet
from crm.text.dates import village_tz
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import upload_dir

UPLOAD_KIND = "inbox"
MAX_FILE_BYTES = 5 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")


def _suffix(filename: str) -> str:
    lowered = (filename or "").lower()
    for suffix in SUFFIXES:
        if lowered.endswith(suffix):
            return suffix
    raise RuleError(_("Unggah berkas pesanan dari marketplace (XLSX atau CSV)."), field="file")


def header_signature(headers: list[str]) -> str:
    """A fingerprint of a file's header row: the same headers (in case, spacing and
    punctuation aside) give the same signature."""
    folded = "\x1f".join(fold(header) for header in headers)
    return hashlib.sha256(folded.encode()).hexdigest()


def store_export(reseller, filename: str, data: bytes) -> tuple[ImportBatch, bool]:
    """Check and keep an uploaded export; returns its batch and whether it is new.

    Refused: no file, an empty or too large one, one that is no XLSX or CSV, one the
    reseller saved before (same bytes). The same file uploaded again before saving
    opens its earlier batch. The file is read once here, so a broken one is refused
    before anything is kept.
    """
    suffix = _suffix(filename)
    if not data:
        raise RuleError(_("Berkas ini kosong."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise RuleError(_("Berkas terlalu besar: paling besar 5 MB."), field="file")
    digest = hashlib.sha256(data).hexdigest()
    earlier = db.session.scalars(
        select(ImportBatch).where(ImportBatch.reseller_id == reseller.id,
                                  ImportBatch.sha256 == digest)
        .order_by(ImportBatch.saved_at.is_(None), ImportBatch.id.desc())).first()
    if earlier is not None and earlier.saved_at is not None:
        raise RuleError(_("Berkas ini sudah diimpor pada %(day)s. Tidak ada yang disimpan "
                          "lagi.", day=earlier.saved_at.strftime("%d-%m-%Y")), field="file")
    if earlier is not None:
        return earlier, False
    sheet = _read_sheet(data, filename)
    column_map = detect_map(sheet.headers) or remembered_map(reseller, sheet.headers)
    if column_map is not None:
        _read_orders(sheet, column_map, field="file")
    name = secrets.token_hex(16) + suffix
    (upload_dir(UPLOAD_KIND) / name).write_bytes(data)
    shown_name = "".join(ch for ch in filename if ch.isprintable())[:200]
    batch = ImportBatch(reseller_id=reseller.id, filename=shown_name, stored_name=name,
                        sha256=digest)
    batch.column_map = asdict(column_map) if column_map else None
    db.session.add(batch)
    db.session.flush()
    return batch, True


def _read_sheet(data: bytes, filename: str) -> Sheet:
    try:
        return read_sheet(data, filename)
    except ExportError as error:
        raise RuleError(error.message, field="file") from error


def batch_sheet(batch: ImportBatch) -> Sheet:
    """The stored file of ``batch``, read again."""
    path = upload_dir(UPLOAD_KIND) / batch.stored_name
    if not path.is_file():
        raise RuleError(_("Berkas ini tidak tersimpan lagi. Unggah lagi."))
    return _read_sheet(path.read_bytes(), batch.filename)


def batch_map(batch: ImportBatch) -> ColumnMap | None:
    """The column map recorded on ``batch``, or None when the reseller must pick."""
    if not batch.column_map:
        return None
    values = dict(batch.column_map)
    values["date_formats"] = tuple(values.get("date_formats") or ())
    return ColumnMap(**values)


def export_orders(batch: ImportBatch) -> tuple[ColumnMap, list[ExportOrder], list[str]]:
    """The orders of ``batch``'s file with its column map, and the file's headers (for
    messages naming a column). The one place the inbox reads orders from a file."""
    column_map = batch_map(batch)
    if column_map is None:
        raise RuleError(_("Pilih dulu kolom mana berisi apa."))
    sheet = batch_sheet(batch)
    return column_map, _read_orders(sheet, column_map), sheet.headers


def _read_orders(sheet: Sheet, column_map: ColumnMap, field: str | None = None
                 ) -> list[ExportOrder]:
    try:
        return read_orders(sheet, column_map, village_tz())
    except ExportError as error:
        raise RuleError(error.message, field=field) from error


def remembered_map(reseller, headers: list[str]) -> ColumnMap | None:
    """The map the reseller chose before for a file with these headers, if any."""
    found = db.session.scalars(select(RememberedColumns).where(
        RememberedColumns.reseller_id == reseller.id,
        RememberedColumns.signature == header_signature(headers))).first()
    if found is None:
        return None
    try:
        return map_from_choice(headers, found.choice, found.channel)
    except ExportError:
        return None


def choose_columns(batch: ImportBatch, reseller, sheet: Sheet, choice: dict[str, str],
                   channel: str) -> ColumnMap:
    """Use the reseller's choice of columns (field → header) for ``batch``, once its
    orders read well with it, and remember it for their next file with the same
    headers."""
    headers = sheet.headers
    try:
        column_map = map_from_choice(headers, choice, channel)
    except ExportError as error:
        raise RuleError(error.message) from error
    _read_orders(sheet, column_map)
    signature = header_signature(headers)
    kept = {name: header for name, header in choice.items() if header}
    remembered = db.session.scalars(select(RememberedColumns).where(
        RememberedColumns.reseller_id == reseller.id,
        RememberedColumns.signature == signature)).first()
    if remembered is None:
        db.session.add(RememberedColumns(reseller_id=reseller.id, signature=signature,
                                         channel=channel, choice=kept))
    else:
        remembered.channel, remembered.choice = channel, kept
    batch.column_map = asdict(column_map)
    db.session.flush()
    return column_map


def choose_products(reseller, marketplace: str, choices: dict[str, int]) -> int:
    """Remember the products the reseller picked for marketplace products the app did
    not know (``product_key`` → product id); only products they have claimed.
    Returns how many choices were kept."""
    claimed = {p.id for p in claimed_products(reseller)}
    kept = 0
    for key, product_id in choices.items():
        if product_id not in claimed:
            raise RuleError(_("Pilih produk yang sudah Anda ambil."))
        found = db.session.scalars(select(RememberedProduct).where(
            RememberedProduct.reseller_id == reseller.id,
            RememberedProduct.marketplace == marketplace,
            RememberedProduct.product_key == key)).first()
        if found is None:
            db.session.add(RememberedProduct(reseller_id=reseller.id, marketplace=marketplace,
                                             product_key=key, product_id=product_id))
        else:
            found.product_id = product_id
        kept += 1
    db.session.flush()
    return kept
