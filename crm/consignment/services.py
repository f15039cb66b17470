"""Consignment at warung and markets: outlets, the goods left there (drops) and the
outlet's cut, with what visits (:mod:`crm.consignment.visits`) and settlement slips
(:mod:`crm.consignment.slips`) share: the village's today, the dates allowed and the
insert a resent form cannot repeat.

The outlet's cut of a visit line: a percentage is taken of the line's value, ``sold
× price × basis points // 10 000``, rounded *down* to whole rupiah, so a fraction of
a rupiah stays with the group; a fixed cut is ``sold × rupiah per unit``.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from crm.audit.services import changed_fields, record_change
from crm.catalog.capacity import reserve_capacity
from crm.catalog.models import ProducerGroup, Product
from crm.catalog.services import record_stock_movement
from crm.consignment.models import CUT_KINDS, OUTLET_KINDS, ConsignmentDrop, Outlet
from crm.db.types import utcnow
from crm.extensions import db
from crm.text.dates import DEFAULT_TZ, to_local
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.text.percent import format_percent
from crm.text.phones import PhoneError, normalise_phone
from crm.villages.models import Village
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

BASIS_POINTS = 10_000
MAX_QUANTITY = 10_000
# How far back a drop or a visit may be written down (catching up on paper notes).
MAX_DAYS_BACK = 366


def today_for(village) -> date:
    """Today where the village is (WIB unless it says otherwise)."""
    return to_local(utcnow(), getattr(village, "timezone", None) or DEFAULT_TZ).date()


def village_of(record) -> Village:
    """The village an outlet, drop or visit belongs to."""
    return db.session.get(Village, record.village_id)


def text_value(values: dict, name: str, limit: int) -> str:
    """``values[name]`` stripped and cut to ``limit`` characters ("" when empty)."""
    return (values.get(name) or "").strip()[:limit]


def day_in_range(day: date, today: date, field: str, future: str) -> None:
    """Refuse (under ``field``) a day after today, saying ``future``, or more than
    ``MAX_DAYS_BACK`` days back."""
    if day > today:
        raise RuleError(future, field=field)
    if day < today - timedelta(days=MAX_DAYS_BACK):
        raise RuleError(_("Tanggal terlalu lama: paling jauh %(n)d hari ke belakang.",
                          n=MAX_DAYS_BACK), field=field)


# --- the outlet's cut ---------------------------------------------------------------


def cut_label(cut_kind: str, cut_value: int) -> str:
    """The outlet's cut in words people use: "10%" or "Rp 1.000/barang"."""
    if cut_kind == "percent":
        return format_percent(cut_value)
    return _("%(amount)s/barang", amount=format_rupiah(cut_value))


def cut_for(sold: int, unit_price: int, cut_kind: str, cut_value: int) -> int:
    """The outlet's cut of ``sold`` units at ``unit_price`` (see the module notes)."""
    if cut_kind == "percent":
        return sold * unit_price * cut_value // BASIS_POINTS
    return sold * cut_value


# --- outlets ------------------------------------------------------------------------


def _clean_outlet(values: dict) -> dict:
    name = " ".join(text_value(values, "name", 120).split())
    if not name:
        raise RuleError(_("Isi nama warung atau lapak."), field="name")
    kind = values.get("kind") or "warung"
    if kind not in OUTLET_KINDS:
        raise RuleError(_("Pilih jenis tempat."), field="kind")
    phone = (values.get("phone") or "").strip()
    try:
        phone = normalise_phone(phone) if phone else None
    except PhoneError as exc:
        raise RuleError(_("Nomor HP tidak dikenali. Contoh: 0812-3456-7890."),
                        field="phone") from exc
    return {
        "name": name, "kind": kind, "owner_name": text_value(values, "owner_name", 120),
        "phone": phone,
        "outlet_village": text_value(values, "outlet_village", 120),
        "address": text_value(values, "address", 1000), "notes": text_value(values, "notes", 2000),
    }


def _check_name_free(group_id: int, name: str, outlet_id: int | None = None) -> None:
    query = select(Outlet.id).where(Outlet.group_id == group_id,
                                    func.lower(Outlet.name) == name.lower())
    if outlet_id is not None:
        query = query.where(Outlet.id != outlet_id)
    if db.session.scalar(query) is not None:
        raise RuleError(_("Kelompok ini sudah punya tempat bernama %(name)s.", name=name),
                        field="name")


def create_outlet(group: ProducerGroup, values: dict, actor) -> Outlet:
    """A warung, market stall or kiosk where ``group`` leaves goods; it belongs to the
    group's village for scoping, whatever village it stands in."""
    if group is None:
        raise RuleError(_("Pilih kelompok."), field="group_id")
    cleaned = _clean_outlet(values)
    _check_name_free(group.id, cleaned["name"])
    outlet = Outlet(group_id=group.id, village_id=group.village_id, active=True, **cleaned)
    db.session.add(outlet)
    db.session.flush()
    record_change(actor, "create", "outlet", outlet.id, outlet.village_id,
                  {"group": group.id, "name": outlet.name, "kind": outlet.kind})
    return outlet


def update_outlet(outlet: Outlet, values: dict, actor) -> dict:
    """Change an outlet's details or set it (in)active; returns what changed. Its
    group does not change."""
    cleaned = _clean_outlet(values)
    cleaned["active"] = bool(values.get("active", outlet.active))
    _check_name_free(outlet.group_id, cleaned["name"], outlet.id)
    changes = changed_fields(outlet, list(cleaned), cleaned)
    if changes:
        db.session.flush()
        record_change(actor, "update", "outlet", outlet.id, outlet.village_id, changes)
    return changes


# --- drops --------------------------------------------------------------------------


@dataclass
class DropOutcome:
    """What ``place_drop`` did; ``created`` is False when a resent form returned the
    drop made the first time."""

    drop: ConsignmentDrop
    created: bool = True


def insert_once(model, values: dict) -> int | None:
    """Insert a row, or nothing when its one-time ``form_token`` was used already.

    ``ON CONFLICT DO NOTHING``: a form sent twice at the same moment waits for the
    first and then inserts nothing, without breaking the transaction.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return db.session.scalar(
        insert(model).values(**values)
        .on_conflict_do_nothing(index_elements=["form_token"]).returning(model.id))


def _drop_by_token(form_token: str) -> ConsignmentDrop | None:
    return db.session.scalar(
        select(ConsignmentDrop).where(ConsignmentDrop.form_token == form_token))


def _clean_drop(outlet: Outlet, product: Product | None, values: dict, today: date) -> dict:
    if product is None or product.group_id != outlet.group_id or not product.active:
        raise RuleError(_("Pilih produk aktif dari kelompok ini."), field="product_id")
    quantity = values.get("quantity")
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        raise RuleError(_("Jumlah 1 sampai %(max)d.", max=MAX_QUANTITY), field="quantity")
    unit_price = values.get("unit_price")
    if unit_price is None:
        unit_price = product.retail_price
    if not 0 <= unit_price <= MAX_RUPIAH or quantity * unit_price > MAX_RUPIAH:
        raise RuleError(_("Harga terlalu besar."), field="unit_price")
    cut_kind = values.get("cut_kind") or "percent"
    if cut_kind not in CUT_KINDS:
        raise RuleError(_("Pilih cara potongan warung."), field="cut_kind")
    cut_value = values.get("cut_value") or 0
    if cut_value < 0:
        raise RuleError(_("Potongan tidak boleh negatif."), field="cut_value")
    if cut_kind == "percent" and cut_value > BASIS_POINTS:
        raise RuleError(_("Potongan persen paling banyak 100."), field="cut_value")
    if cut_kind == "fixed" and cut_value > unit_price:
        raise RuleError(_("Potongan per barang (%(cut)s) lebih besar dari harganya (%(price)s).",
                          cut=format_rupiah(cut_value), price=format_rupiah(unit_price)),
                        field="cut_value")
    placed_on = values.get("placed_on") or today
    day_in_range(placed_on, today, "placed_on",
                  _("Tanggal taruh tidak boleh setelah hari ini."))
    pull_back_on = values.get("pull_back_on")
    if pull_back_on is None and product.shelf_life_days:
        pull_back_on = placed_on + timedelta(days=product.shelf_life_days)
    if pull_back_on is not None and pull_back_on < placed_on:
        raise RuleError(_("Tanggal tarik tidak boleh sebelum tanggal taruh."),
                        field="pull_back_on")
    return {"quantity": quantity, "unit_price": unit_price, "cut_kind": cut_kind,
            "cut_value": cut_value, "placed_on": placed_on, "pull_back_on": pull_back_on,
            "notes": text_value(values, "notes", 1000)}


def _take_goods(product: Product, cleaned: dict, outlet: Outlet, actor, form_token) -> None:
    """Stock leaves through the ledger; made-to-order goods use that day's capacity.
    A refusal is shown under the quantity, with what is left."""
    quantity = cleaned["quantity"]
    try:
        if cleaned["taken_from"] == "capacity":
            reserve_capacity(product, cleaned["placed_on"], quantity)
        else:
            record_stock_movement(
                product, "consignment_out", -quantity, actor,
                note=_("Titip di %(outlet)s", outlet=outlet.name), form_token=form_token)
    except RuleError as error:
        if cleaned["taken_from"] == "capacity":
            raise RuleError(error.message, field="quantity") from error
        left = db.session.scalar(select(Product.stock).where(Product.id == product.id))
        raise RuleError(_("Stok %(name)s tidak cukup: tinggal %(left)d, mau dititip %(n)d.",
                          name=product.name, left=left or 0, n=quantity),
                        field="quantity") from error


def place_drop(outlet: Outlet, product: Product | None, values: dict, actor,
               form_token: str | None = None) -> DropOutcome:
    """Leave ``values["quantity"]`` units of ``product`` at ``outlet``.

    ``values``: quantity, unit_price (``None``: the retail price), cut_kind
    ("percent"/"fixed"), cut_value (basis points or rupiah per unit), placed_on
    (``None``: today), pull_back_on (``None``: placed_on + the product's shelf life,
    or none without one), notes. Stocked products leave stock through the ledger
    (refused when not enough is left); made-to-order products take the day's
    capacity. A resent form (same ``form_token``) returns the drop made the first
    time and changes nothing.
    """
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _drop_by_token(form_token)
        if earlier is not None:
            return DropOutcome(earlier, created=False)
    if not outlet.active:
        raise RuleError(_("Tempat ini tidak aktif. Aktifkan dulu lewat Ubah data."))
    cleaned = _clean_drop(outlet, product, values, today_for(village_of(outlet)))
    cleaned["taken_from"] = "capacity" if product.made_to_order else "stock"
    drop_id = insert_once(ConsignmentDrop, {
        "outlet_id": outlet.id, "group_id": outlet.group_id, "village_id": outlet.village_id,
        "product_id": product.id, "on_shelf": cleaned["quantity"], "status": "open",
        "form_token": form_token, "created_by_id": getattr(actor, "id", None),
        "created_at": utcnow(), **cleaned,
    })
    if drop_id is None:  # the same form, sent twice at once: the first one won
        return DropOutcome(_drop_by_token(form_token), created=False)
    _take_goods(product, cleaned, outlet, actor, form_token)
    drop = db.session.get(ConsignmentDrop, drop_id)
    record_change(actor, "create", "consignment_drop", drop.id, drop.village_id, {
        "outlet": outlet.id, "product": product.id, "quantity": drop.quantity,
        "unit_price": drop.unit_price, "cut": [drop.cut_kind, drop.cut_value],
        "placed_on": drop.placed_on.isoformat(),
        "pull_back_on": drop.pull_back_on.isoformat() if drop.pull_back_on else None,
    })
    return DropOutcome(drop, created=True)
