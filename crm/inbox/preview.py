"""What saving an export would do, order by order: new orders, orders already in the
app (and what a later export changes on them), and orders the reseller must check
first. Reads only; :mod:`crm.inbox.saving` saves what this finds."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm.catalog.capacity import used_on
from crm.catalog.models import Product
from crm.extensions import db
from crm.inbox.matching import Matcher, product_key
from crm.inbox.models import ImportedOrder
from crm.inbox.records import ColumnMap, ExportLine, ExportOrder
from crm.orders.forms import CHANNEL_LABELS
from crm.orders.models import Order
from crm.orders.services import MAX_QUANTITY, clean_customer
from crm.text.dates import today_in, village_tz
from crm.text.phones import PhoneError, normalise_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

CANCELLED_IN_FILE = ("cancelled", "returned")


@dataclass
class PreviewOrder:
    """One marketplace order of the file and what saving would do with it."""

    export: ExportOrder
    products: list[Product | None]
    issues: list[str] = field(default_factory=list)
    existing: list[Order] = field(default_factory=list)
    # (order, "tracking" or "cancel", the new tracking number or the reason)
    changes: list[tuple[Order, str, str]] = field(default_factory=list)
    customer: dict | None = None

    @property
    def lines(self) -> list[tuple[ExportLine, Product | None]]:
        return list(zip(self.export.lines, self.products, strict=True))


@dataclass
class Preview:
    """The file's orders in three tabs, and the products still to be picked."""

    new: list[PreviewOrder] = field(default_factory=list)
    existing: list[PreviewOrder] = field(default_factory=list)
    check: list[PreviewOrder] = field(default_factory=list)
    # product_key → the first line with that unknown product
    unknown: dict[str, ExportLine] = field(default_factory=dict)

    @property
    def change_count(self) -> int:
        return sum(len(entry.changes) for entry in self.existing)


def marketplace_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(channel, channel.title()))


def ordered_moment(moment: datetime | None) -> datetime | None:
    """The file's order time as an aware datetime (a naive one is the village's time)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(village_tz()))


def build_preview(reseller, column_map: ColumnMap, orders: list[ExportOrder],
                  headers: list[str] | None = None) -> Preview:
    """Sort ``orders`` into new, already in the app and to be checked."""
    matcher = Matcher(reseller, column_map.channel,
                      [line.sku for order in orders for line in order.lines])
    channel = column_map.channel
    refs = [o.order_ref[:60] for o in orders]
    existing = _existing_orders(reseller, channel, refs)
    imported = set(db.session.scalars(select(ImportedOrder.order_ref).where(
        ImportedOrder.reseller_id == reseller.id, ImportedOrder.channel == channel,
        ImportedOrder.order_ref.in_(refs))))
    left = _Available()
    preview = Preview()
    for export in orders:
        entry = PreviewOrder(export=export,
                             products=[matcher.match(line) for line in export.lines])
        ref = export.order_ref[:60]
        if ref in existing or ref in imported:
            entry.existing = existing.get(ref, [])
            entry.changes = _changes(entry, channel)
            preview.existing.append(entry)
            continue
        _check(entry, column_map, headers or [], left, preview)
        (preview.check if entry.issues else preview.new).append(entry)
    return preview


def _existing_orders(reseller, channel: str, refs: list[str]) -> dict[str, list[Order]]:
    found: dict[str, list[Order]] = {}
    if not refs:
        return found
    rows = db.session.scalars(select(Order).where(
        Order.reseller_id == reseller.id, Order.channel == channel,
        Order.marketplace_ref.in_(refs)).order_by(Order.id))
    for order in rows:
        found.setdefault(order.marketplace_ref, []).append(order)
    return found


def _changes(entry: PreviewOrder, channel: str) -> list[tuple[Order, str, str]]:
    """What a later export changes on orders not yet confirmed: the tracking number
    the marketplace gave, or the cancellation."""
    export = entry.export
    changes = []
    for order in entry.existing:
        if order.status != "new":
            continue
        if export.status in CANCELLED_IN_FILE:
            changes.append((order, "cancel", _("Dibatalkan sesuai %(market)s",
                                               market=marketplace_label(channel))))
        elif export.tracking_number and export.tracking_number != order.tracking_number:
            changes.append((order, "tracking", export.tracking_number[:60]))
    return changes


class _Available:
    """Stock, or today's capacity, left per product as the file's orders take it."""

    def __init__(self):
        self.left: dict[int, int] = {}
        self.today = today_in()

    def take(self, product: Product, quantity: int) -> int | None:
        """Take ``quantity``; None when it fits, else what was left."""
        if product.id not in self.left:
            if product.made_to_order:
                self.left[product.id] = max(
                    (product.daily_capacity or 0) - used_on(product.id, self.today), 0)
            else:
                self.left[product.id] = product.stock
        left = self.left[product.id]
        if quantity > left:
            return left
        self.left[product.id] = left - quantity
        return None


def _cell(headers: list[str], column_map: ColumnMap, name: str) -> str:
    index = column_map.columns.get(name)
    if index is None or index >= len(headers):
        return name
    return headers[index]


def _check(entry: PreviewOrder, column_map: ColumnMap, headers: list[str],
           left: _Available, preview: Preview) -> None:
    """Write down why ``entry`` cannot be saved as it is; fill its customer fields."""
    export = entry.export
    first_row = export.rows[0] if export.rows else 0
    market = marketplace_label(column_map.channel)
    if export.status in CANCELLED_IN_FILE:
        entry.issues.append(_("Dibatalkan atau dikembalikan di %(market)s: tidak disimpan.",
                              market=market))
    for line, product in entry.lines:
        if product is None:
            preview.unknown.setdefault(product_key(line), line)
            entry.issues.append(_("Baris %(row)d: produk \"%(name)s\" belum dikenali.",
                                  row=line.row, name=line.product))
        elif not 0 < line.quantity <= MAX_QUANTITY:
            entry.issues.append(_("Baris %(row)d, kolom %(col)s: jumlah 1 sampai %(n)d.",
                                  row=line.row, col=_cell(headers, column_map, "quantity"),
                                  n=MAX_QUANTITY))
        elif export.status not in CANCELLED_IN_FILE:
            short = left.take(product, line.quantity)
            if short is not None:
                entry.issues.append(_(
                    "Baris %(row)d: %(name)s tinggal %(left)d, diminta %(n)d.",
                    row=line.row, name=product.name, left=short, n=line.quantity))
    if export.phone:
        try:
            normalise_phone(export.phone)
        except PhoneError:
            entry.issues.append(_(
                "Baris %(row)d, kolom %(col)s: nomor HP \"%(phone)s\" tidak dikenali.",
                row=first_row, col=_cell(headers, column_map, "phone"), phone=export.phone))
            return
    try:
        entry.customer = clean_customer(customer_values(export, column_map.channel))
    except RuleError as error:
        entry.issues.append(_("Baris %(row)d: %(problem)s", row=first_row,
                              problem=error.message))


def customer_values(export: ExportOrder, channel: str) -> dict:
    """The order form's values for a marketplace order (paid through the marketplace,
    sent as dropship, to be sent today)."""
    postcode = export.postcode.strip()
    return {
        "channel": channel, "payment": "paid",
        "customer_name": (export.buyer or _("Pembeli %(market)s",
                                            market=marketplace_label(channel)))[:120],
        "customer_phone": export.phone, "address": export.address,
        "postcode": postcode if len(postcode) == 5 and postcode.isdigit() else "",
        "kabupaten": export.city[:60], "marketplace_ref": export.order_ref[:60],
        "courier": export.courier[:40], "dropship": True, "ship_date": today_in(),
    }
