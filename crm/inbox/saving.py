"""Saving an export: its new orders as ordinary orders (one per producer group, as
the order form makes them), and what a later export changed on orders not yet
confirmed. Flushes and never commits: the view's ``saving`` block commits."""

from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from crm.audit.services import record_change
from crm.db.types import utcnow
from crm.extensions import db
from crm.inbox.models import ImportBatch, ImportedOrder
from crm.inbox.preview import Preview, build_preview, marketplace_label, ordered_moment
from crm.inbox.records import ColumnMap, ExportOrder
from crm.orders.models import Order
from crm.orders.services import add_many_orders, change_status
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _


@dataclass
class SaveResult:
    """What a save did: the orders made, and one sentence per change."""

    orders: list[Order] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    skipped: int = 0


def save_export(batch: ImportBatch, reseller, column_map: ColumnMap,
                orders: list[ExportOrder], headers: list[str] | None = None) -> SaveResult:
    """Save the new orders of ``batch`` and apply its changes, once.

    The batch is marked saved with a guarded UPDATE, and every new marketplace order
    is written to ``inbox_imported_orders`` (unique per reseller, channel and order
    number) before its orders: a second save of the same file, or of another file
    with the same orders, running at the same moment, is refused and rolled back.
    """
    marked = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.saved_at.is_(None))
        .values(saved_at=utcnow()), execution_options={"synchronize_session": False})
    if marked.rowcount != 1:
        raise RuleError(_("Berkas ini sudah disimpan."))
    preview = build_preview(reseller, column_map, orders, headers)
    _claim_refs(batch, reseller, column_map.channel, preview)
    result = SaveResult(skipped=len(preview.check))
    made = add_many_orders(reseller, [
        ({**entry.customer, "tracking_number": entry.export.tracking_number[:60]},
         [(product, line.quantity, line.price) for line, product in entry.lines],
         ordered_moment(entry.export.ordered_at))
        for entry in preview.new])
    result.orders = [order for orders in made for order in orders]
    result.changes = _apply_changes(preview, reseller, column_map.channel)
    db.session.flush()
    db.session.refresh(batch)
    return result


def _claim_refs(batch: ImportBatch, reseller, channel: str, preview: Preview) -> None:
    refs = [entry.export.order_ref[:60] for entry in preview.new]
    try:
        with db.session.begin_nested():
            db.session.add_all(
                ImportedOrder(reseller_id=reseller.id, channel=channel, order_ref=ref,
                              batch_id=batch.id) for ref in refs)
    except IntegrityError as exc:  # the same orders saved by another upload just now
        raise RuleError(_("Pesanan dari berkas ini baru saja disimpan dari unggahan lain. "
                          "Tidak ada yang disimpan dua kali.")) from exc


def _apply_changes(preview: Preview, reseller, channel: str) -> list[str]:
    said = []
    market = marketplace_label(channel)
    for entry in preview.existing:
        for order, kind, value in entry.changes:
            if kind == "cancel":
                change_status(order, "cancel", reseller, reason=value)
                said.append(_("Pesanan #%(id)d dibatalkan sesuai %(market)s",
                              id=order.id, market=market))
            else:
                order.tracking_number = value
                record_change(reseller, "tracking", "order", order.id, order.village_id,
                              {"tracking_number": value})
                said.append(_("Pesanan #%(id)d: resi diisi %(number)s",
                              id=order.id, number=value))
    return said
