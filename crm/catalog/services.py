"""Products and the stock ledger. Services flush and never commit."""

import re

from sqlalchemy import func, select, update

from crm.audit.services import changed_fields, record_change
from crm.catalog.models import CATEGORIES, UNITS, Product, StockMovement
from crm.extensions import db
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

PRODUCT_FIELDS = (
    "name", "description", "category", "unit", "weight_grams", "cost_price", "reseller_price",
    "retail_price", "dropship_price", "active", "shelf_life_days", "made_to_order",
    "daily_capacity", "claim_cap", "claim_needs_approval",
)
# Kinds a person records by hand; the others come from orders and consignment.
MANUAL_KINDS = ("production", "adjustment", "defect")
# Goods coming back to the stock they were taken from (an order cancelled or
# returned, a consignment taken back): allowed even when the product has become
# made to order since, so that the ledger gives back exactly what it took.
GIVEN_BACK_KINDS = ("cancel", "return", "consignment_back")


def check_price_ladder(values: dict) -> None:
    """HPP ≤ reseller price ≤ retail price; dropship price, if set, between them."""
    cost, reseller = values.get("cost_price") or 0, values["reseller_price"]
    retail, dropship = values["retail_price"], values.get("dropship_price")
    if reseller > retail:
        raise RuleError(
            _("Harga reseller tidak boleh lebih tinggi dari harga jual konsumen."),
            field="reseller_price",
        )
    if cost > reseller:
        raise RuleError(
            _("Harga reseller di bawah modal (HPP): kelompok akan rugi."), field="reseller_price"
        )
    if dropship is not None and not reseller <= dropship <= retail:
        raise RuleError(
            _("Harga dropship harus di antara harga reseller dan harga konsumen."),
            field="dropship_price",
        )


def _check_product(values: dict) -> None:
    if not (values.get("name") or "").strip():
        raise RuleError(_("Isi nama produk."), field="name")
    if values.get("category") not in CATEGORIES:
        raise RuleError(_("Pilih kategori."), field="category")
    if values.get("unit") not in UNITS:
        raise RuleError(_("Pilih satuan."), field="unit")
    check_price_ladder(values)
    if values.get("made_to_order") and not values.get("daily_capacity"):
        raise RuleError(
            _("Produk pesanan (dibuat saat dipesan) perlu kapasitas per hari."),
            field="daily_capacity",
        )


def _new_sku(group, name: str) -> str:
    stem = re.sub(r"[^A-Z0-9]", "", name.upper())[:6] or "PRD"
    count = db.session.scalar(
        select(func.count()).select_from(Product).where(Product.group_id == group.id)
    )
    return f"G{group.id}-{stem}-{count + 1:03d}"


def create_product(group, values: dict, actor) -> Product:
    """Add a product to ``group`` after checking its price ladder and capacity."""
    _check_product(values)
    name = values["name"].strip()
    if db.session.scalar(
        select(Product.id).where(Product.group_id == group.id, Product.name == name)
    ):
        raise RuleError(_("Kelompok ini sudah punya produk dengan nama itu."), field="name")
    product = Product(group_id=group.id, village_id=group.village_id, sku=_new_sku(group, name))
    for field in PRODUCT_FIELDS:
        if field in values:
            setattr(product, field, values[field])
    product.name = name
    if not product.made_to_order:
        product.daily_capacity = None
    db.session.add(product)
    db.session.flush()
    record_change(actor, "create", "product", product.id, product.village_id, {"name": name})
    return product


def update_product(product: Product, values: dict, actor) -> dict:
    """Change a product's details (never its stock: that goes through the ledger)."""
    merged = {f: getattr(product, f) for f in PRODUCT_FIELDS} | values
    _check_product(merged)
    merged["name"] = merged["name"].strip()
    clash = db.session.scalar(select(Product.id).where(
        Product.group_id == product.group_id, Product.name == merged["name"],
        Product.id != product.id))
    if clash:
        raise RuleError(_("Kelompok ini sudah punya produk dengan nama itu."), field="name")
    if not merged["made_to_order"]:
        merged["daily_capacity"] = None
    elif product.stock:
        raise RuleError(
            _("Habiskan atau sesuaikan stok dulu sebelum menjadikan produk pesanan."),
            field="made_to_order",
        )
    changes = changed_fields(product, PRODUCT_FIELDS, merged)
    if changes:
        db.session.flush()
        record_change(actor, "update", "product", product.id, product.village_id, changes)
    return changes


def record_stock_movement(
    product: Product, kind: str, quantity: int, actor, note: str = "", form_token=None
) -> StockMovement:
    """Add ``quantity`` (negative takes stock out) to ``product`` through the ledger.

    Stock is changed with one guarded UPDATE (``stock >= n`` for a take-out) and the
    row count checked, so concurrent requests can never take it below zero. A
    ``form_token`` already used returns the earlier movement and changes nothing.
    """
    if form_token:
        earlier = db.session.scalar(
            select(StockMovement).where(StockMovement.form_token == form_token)
        )
        if earlier is not None:
            return earlier
    if product.made_to_order and kind not in GIVEN_BACK_KINDS:
        raise RuleError(_("Produk pesanan tidak punya stok; atur kapasitas per hari."))
    if not quantity:
        raise RuleError(_("Jumlah tidak boleh nol."), field="quantity")
    statement = update(Product).where(Product.id == product.id)
    if quantity < 0:
        statement = statement.where(Product.stock >= -quantity)
    result = db.session.execute(
        statement.values(stock=Product.stock + quantity),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise RuleError(_("Stok tidak cukup."), field="quantity")
    balance = db.session.scalar(select(Product.stock).where(Product.id == product.id))
    movement = StockMovement(
        product_id=product.id, kind=kind, quantity=quantity, balance_after=balance,
        note=(note or "").strip()[:200], actor_id=getattr(actor, "id", None),
        form_token=form_token,
    )
    db.session.add(movement)
    db.session.flush()
    db.session.refresh(product, ["stock"])
    record_change(actor, kind, "stock", product.id, product.village_id,
                  {"quantity": quantity, "balance": balance})
    return movement


def record_manual_movement(product, kind, quantity, actor, note="", form_token=None):
    """A movement typed by a producer: production adds, defect takes out,
    adjustment may go either way."""
    if kind not in MANUAL_KINDS:
        raise RuleError(_("Pilih jenis perubahan stok."), field="kind")
    if quantity is None or quantity == 0:
        raise RuleError(_("Jumlah tidak boleh nol."), field="quantity")
    if kind in ("production", "defect") and quantity < 0:
        raise RuleError(_("Tulis jumlah tanpa tanda minus."), field="quantity")
    signed = -quantity if kind == "defect" else quantity
    return record_stock_movement(product, kind, signed, actor, note, form_token)
