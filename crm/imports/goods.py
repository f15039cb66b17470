"""Checking files of products (with prices and stock) and of warung.

Products are matched by their SKU, or by their group and name; warung by their
group and name, or their phone number within the group. What exists in the village
is loaded with one query per kind of record, whatever the number of rows. The
checks are the catalogue's and consignment's own (price ladder, capacity of
made-to-order products), so rows that pass here save there."""

from sqlalchemy import select

from crm.catalog.models import CATEGORIES, UNITS, Product
from crm.catalog.services import check_price_ladder
from crm.consignment.models import Outlet
from crm.extensions import db
from crm.imports.cells import RowReader
from crm.imports.kinds import OUTLETS, PRODUCTS
from crm.imports.outcomes import Preview, RowOutcome, change
from crm.imports.people import first_row_check, village_groups
from crm.text.money import format_rupiah
from crm.text.phones import display_phone
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

CATEGORY_WORDS = {word: word for word in CATEGORIES} | {
    "makanan ringan": "makanan", "snack": "makanan", "kerajinan tangan": "kerajinan",
    "pakaian": "fashion", "lain": "lainnya", "lain-lain": "lainnya"}
UNIT_WORDS = {word: word for word in UNITS} | {"pc": "pcs", "buah": "pcs", "bungkus": "pak",
                                               "box": "kotak", "lsn": "lusin"}
OUTLET_WORDS = {"warung": "warung", "pasar": "pasar", "lapak": "pasar", "lapak pasar": "pasar",
                "kios": "kios", "toko": "toko", "lainnya": "other", "lain": "other"}
MONEY_FIELDS = ("cost_price", "reseller_price", "retail_price", "dropship_price")
NEW_PRODUCT = {"category": "makanan", "unit": "pcs", "weight_grams": 0, "cost_price": 0,
               "dropship_price": None, "shelf_life_days": None, "made_to_order": False,
               "daily_capacity": None, "description": "", "active": True}
OUTLET_TEXTS = {"owner_name": 120, "outlet_village": 120, "address": 1000, "notes": 2000}
MAX_STOCK = 1_000_000
_NOT_MISSING = ("", None)


def _shown(field: str, value):
    if field in MONEY_FIELDS:
        return format_rupiah(value) if value is not None else None
    if field == "phone":
        return display_phone(value) if value else None
    return value


def _product_cells(row: RowReader) -> dict:
    """The product columns filled on this row, checked (empty cells left out)."""
    values = {
        "category": row.choice("category", CATEGORY_WORDS),
        "unit": row.choice("unit", UNIT_WORDS),
        "weight_grams": row.whole("weight_grams", 0, 10_000_000),
        "shelf_life_days": row.whole("shelf_life_days", 1, 3650),
        "made_to_order": row.yes_no("made_to_order"),
        "daily_capacity": row.whole("daily_capacity", 1, 1_000_000),
        "description": row.text("description", 4000),
    }
    for name in MONEY_FIELDS:
        values[name] = row.money(name, required=PRODUCTS.column(name).required)
    return {name: value for name, value in values.items() if value not in _NOT_MISSING}


def _product_rules(row: RowReader, merged: dict, product: Product | None,
                   stock: int | None) -> None:
    """The catalogue's rules on the product as saving would leave it."""
    try:
        check_price_ladder(merged)
    except RuleError as error:
        row.problem(error.field, error.message)
    if merged["made_to_order"]:
        if not merged.get("daily_capacity"):
            row.problem("daily_capacity", _("produk pesanan (dibuat saat dipesan) perlu "
                                            "kapasitas per hari."))
        if stock:
            row.problem("stock", _("produk pesanan tidak punya stok; kosongkan kolom ini."))
        elif product is not None and product.stock and stock is None:
            row.problem("made_to_order", _("produk ini masih punya stok %(n)d: isi Stok 0 "
                                           "atau habiskan stoknya dulu.", n=product.stock))


def check_products(village, rows: list[RowReader]) -> Preview:
    """Rows of products: which are new, the same or changed (prices, stock…), and
    which rows cannot be saved."""
    preview = Preview(kind=PRODUCTS)
    groups = village_groups(village)
    products = list(db.session.scalars(select(Product).where(
        Product.village_id == village.id)))
    by_sku = {product.sku: product for product in products}
    by_name = {(product.group_id, product.name.lower()): product for product in products}
    asked = {row.text("sku") for row in rows} - set(by_sku) - {""}
    taken_elsewhere = set(db.session.scalars(select(Product.sku).where(
        Product.sku.in_(sorted(asked))))) if asked else set()
    seen_skus: dict = {}
    seen_names: dict = {}
    for row in rows:
        group_name = row.text("group_name", 120, required=True)
        name = row.text("name", 120, required=True)
        sku = row.text("sku", 40)
        given = _product_cells(row)
        stock = row.whole("stock", 0, MAX_STOCK)
        group = groups.get(group_name.lower()) if group_name else None
        if group_name and group is None:
            row.problem("group_name", _("kelompok \"%(name)s\" belum ada di desa ini. "
                                        "Impor kelompoknya dulu atau periksa ejaannya.",
                                        name=group_name))
        first_row_check(row, "sku", sku or None, seen_skus)
        first_row_check(row, "name", (group_name.lower(), name.lower()) if name else None,
                        seen_names)
        product = by_sku.get(sku) if sku else None
        if sku in taken_elsewhere:
            row.problem("sku", _("SKU ini sudah dipakai produk lain."))
        if product is not None and group is not None and product.group_id != group.id:
            row.problem("sku", _("SKU ini milik produk kelompok lain di desa ini."))
        if product is None and group is not None and name:
            product = by_name.get((group.id, name.lower()))
        if product is not None and group is not None and name:
            same_name = by_name.get((group.id, name.lower()))
            if same_name is not None and same_name.id != product.id:
                row.problem("name", _("kelompok ini sudah punya produk lain dengan nama itu."))
        merged = (dict(NEW_PRODUCT) if product is None else
                  {field: getattr(product, field) for field in NEW_PRODUCT}
                  | {"reseller_price": product.reseller_price,
                     "retail_price": product.retail_price}) | given
        if "reseller_price" in merged and "retail_price" in merged:
            _product_rules(row, merged, product, stock)
        outcome = RowOutcome(number=row.number, label=name, errors=row.errors)
        preview.rows.append(outcome)
        if row.errors:
            continue
        outcome.values = {"group": group, "values": given | {"name": name}, "sku": sku,
                          "stock": stock, "merged": merged}
        outcome.target, outcome.new = product, product is None
        if product is not None:
            outcome.changes = _product_changes(product, name, sku, given, stock)
    return preview


def _product_changes(product: Product, name: str, sku: str, given: dict,
                     stock: int | None) -> list[str]:
    changes = []
    if product.name != name:
        changes.append(change(PRODUCTS.column("name").heading, product.name, name))
    if sku and product.sku != sku:
        changes.append(change("SKU", product.sku, sku))
    for field, value in given.items():
        if getattr(product, field) != value:
            changes.append(change(PRODUCTS.column(field).heading,
                                  _shown(field, getattr(product, field)),
                                  _shown(field, value)))
    if stock is not None and stock != product.stock:
        changes.append(change(PRODUCTS.column("stock").heading, product.stock, stock))
    return changes


def check_outlets(village, rows: list[RowReader]) -> Preview:
    """Rows of warung: which are new, the same or changed, and which rows cannot be
    saved."""
    preview = Preview(kind=OUTLETS)
    groups = village_groups(village)
    outlets = list(db.session.scalars(select(Outlet).where(Outlet.village_id == village.id)))
    by_name = {(outlet.group_id, outlet.name.lower()): outlet for outlet in outlets}
    by_phone: dict = {}
    for outlet in outlets:
        if outlet.phone:
            key = (outlet.group_id, outlet.phone)
            by_phone[key] = None if key in by_phone else outlet  # two: not a key
    seen: dict = {}
    for row in rows:
        group_name = row.text("group_name", 120, required=True)
        name = row.text("name", 120, required=True)
        given = {"kind": row.choice("kind", OUTLET_WORDS), "phone": row.phone("phone")}
        given |= {field: row.text(field, limit) for field, limit in OUTLET_TEXTS.items()}
        given = {field: value for field, value in given.items() if value not in _NOT_MISSING}
        group = groups.get(group_name.lower()) if group_name else None
        if group_name and group is None:
            row.problem("group_name", _("kelompok \"%(name)s\" belum ada di desa ini. "
                                        "Impor kelompoknya dulu atau periksa ejaannya.",
                                        name=group_name))
        first_row_check(row, "name", (group_name.lower(), name.lower()) if name else None,
                        seen)
        outlet = None
        if group is not None and name:
            outlet = by_name.get((group.id, name.lower()))
            if outlet is None and given.get("phone"):
                outlet = by_phone.get((group.id, given["phone"]))
        outcome = RowOutcome(number=row.number, label=name, errors=row.errors)
        preview.rows.append(outcome)
        if row.errors:
            continue
        outcome.values = {"group": group, "values": given | {"name": name}}
        outcome.target, outcome.new = outlet, outlet is None
        if outlet is not None:
            if outlet.name != name:
                outcome.changes.append(change(OUTLETS.column("name").heading,
                                              outlet.name, name))
            for field, value in given.items():
                if getattr(outlet, field) != value:
                    outcome.changes.append(change(
                        OUTLETS.column(field).heading, _shown(field, getattr(outlet, field)),
                        _shown(field, value)))
    return preview
