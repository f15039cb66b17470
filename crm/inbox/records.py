"""What a marketplace export says, read into plain records before anything is matched
or saved. The reader (:mod:`crm.inbox.reading`) fills them from the file; the inbox
services match their products and save them as orders."""

from dataclasses import dataclass, field
from datetime import datetime

from crm.web.spreadsheet_reading import Sheet

__all__ = ["ColumnMap", "ExportError", "ExportLine", "ExportOrder", "Sheet"]

# The fields a column map names; the first four must be found in every file.
REQUIRED_FIELDS = ("order_ref", "product", "quantity", "price")
OPTIONAL_FIELDS = ("sku", "buyer", "phone", "address", "courier", "tracking_number",
                   "ordered_at", "status", "variant", "postcode", "city")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

# What a marketplace's own status in the file means for the app.
FILE_STATUSES = ("open", "shipped", "done", "cancelled", "returned")


class ExportError(ValueError):
    """A file that cannot be read as an order export; ``message`` names the row and
    the column when the fault is in one cell (shown to the reseller, in Indonesian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ColumnMap:
    """Which column holds which field. ``marketplace`` is the map's key
    (``shopee``, ``tokopedia``, ``tiktok`` or ``custom``), ``channel`` the order
    channel the orders get, ``columns`` field → column index in the sheet,
    ``statuses`` a status phrase of the file (lower case, words only, as
    :func:`crm.inbox.columns.status_of` compares them) → one of :data:`FILE_STATUSES`."""

    marketplace: str
    channel: str
    title: str
    columns: dict[str, int]
    date_formats: tuple[str, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    # True when the price column holds the line total (price × quantity), as TikTok
    # Shop's "SKU Subtotal After Discount" does: the reader divides it by the quantity.
    price_is_subtotal: bool = False


@dataclass
class ExportLine:
    """One product row of an order in the file."""

    row: int
    product: str
    quantity: int
    price: int
    sku: str = ""
    variant: str = ""


@dataclass
class ExportOrder:
    """One marketplace order: its rows (marketplaces write an order over several rows,
    one per product) gathered under its order number."""

    order_ref: str
    rows: list[int]
    lines: list[ExportLine]
    status: str = "open"
    buyer: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    courier: str = ""
    tracking_number: str = ""
    ordered_at: datetime | None = None
