"""Consignment at warung and markets: outlets, goods left there (drops), visits that
count them and collect the cash, and the data printed on the settlement slip.

The arithmetic of a visit line, kept exact by CHECK constraints:

* sold = on shelf before − remaining − returned − expired (never below zero);
* the outlet's cut: a percentage is taken of the line's value, ``sold × price ×
  basis points // 10 000``, rounded *down* to whole rupiah, so a fraction of a
  rupiah stays with the group; a fixed cut is ``sold × rupiah per unit``;
* amount due = sold × price − cut.

Services take domain objects, check the rules, flush and never commit: the request
(or the CLI, or a test) commits once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from crm.audit.services import changed_fields, record_change
from crm.auth.models import User
from crm.catalog.capacity import reserve_capacity
from crm.catalog.models import ProducerGroup, Product
from crm.catalog.services import record_stock_movement
from crm.consignment.models import (
    CUT_KINDS,
    OUTLET_KINDS,
    ConsignmentDrop,
    ConsignmentVisit,
    ConsignmentVisitLine,
    Outlet,
)
from crm.consignment.queries import open_drops, outlet_figures, outstanding_after
from crm.db.status_step import move_status
from crm.db.types import utcnow
from crm.documents.consignment_pdf import ConsignmentSlip, SlipLine
from crm.documents.numbering import issue_number, issued_number
from crm.extensions import db
from crm.fund.accrual import accrue_contribution
from crm.text.dates import DEFAULT_TZ, to_local
from crm.text.money import MAX_RUPIAH, format_rupiah
from crm.text.percent import format_percent
from crm.text.phones import PhoneError, display_phone, normalise_phone
from crm.villages.addresses import group_address
from crm.villages.models import Village
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

BASIS_POINTS = 10_000
MAX_QUANTITY = 10_000
# How far back a drop or a visit may be written down (catching up on paper notes).
MAX_DAYS_BACK = 366
COUNT_FIELDS = ("remaining", "returned", "expired")


def today_for(village) -> date:
    """Today where the village is (WIB unless it says otherwise)."""
    return to_local(utcnow(), getattr(village, "timezone", None) or DEFAULT_TZ).date()


def _village_of(record) -> Village:
    return db.session.get(Village, record.village_id)


def _text(values: dict, name: str, limit: int) -> str:
    return (values.get(name) or "").strip()[:limit]


def _day_in_range(day: date, today: date, field: str, future: str) -> None:
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
    name = " ".join(_text(values, "name", 120).split())
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
        "name": name, "kind": kind, "owner_name": _text(values, "owner_name", 120),
        "phone": phone,
        "outlet_village": _text(values, "outlet_village", 120),
        "address": _text(values, "address", 1000), "notes": _text(values, "notes", 2000),
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


def _insert(model, values: dict) -> int | None:
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
    _day_in_range(placed_on, today, "placed_on",
                  _("Tanggal taruh tidak boleh setelah hari ini."))
    pull_back_on = values.get("pull_back_on")
    if pull_back_on is None and product.shelf_life_days:
        pull_back_on = placed_on + timedelta(days=product.shelf_life_days)
    if pull_back_on is not None and pull_back_on < placed_on:
        raise RuleError(_("Tanggal tarik tidak boleh sebelum tanggal taruh."),
                        field="pull_back_on")
    return {"quantity": quantity, "unit_price": unit_price, "cut_kind": cut_kind,
            "cut_value": cut_value, "placed_on": placed_on, "pull_back_on": pull_back_on,
            "notes": _text(values, "notes", 1000)}


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
    cleaned = _clean_drop(outlet, product, values, today_for(_village_of(outlet)))
    cleaned["taken_from"] = "capacity" if product.made_to_order else "stock"
    drop_id = _insert(ConsignmentDrop, {
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


# --- visits -------------------------------------------------------------------------


@dataclass
class VisitOutcome:
    """What ``record_visit`` did; ``created`` is False for a resent form."""

    visit: ConsignmentVisit
    created: bool = True


def _visit_by_token(form_token: str) -> ConsignmentVisit | None:
    return db.session.scalar(
        select(ConsignmentVisit).where(ConsignmentVisit.form_token == form_token))


def _stale(product_name: str = "") -> RuleError:
    if product_name:
        return RuleError(_("Barang %(name)s di tempat ini baru saja diubah orang lain. "
                           "Muat ulang halaman lalu hitung lagi.", name=product_name))
    return RuleError(_("Barang di tempat ini baru saja diubah orang lain. Muat ulang "
                       "halaman lalu hitung lagi."))


def row_field(drop_id: int) -> str:
    """The ``RuleError.field`` of a refusal about one drop's row of the visit form."""
    return f"drop-{drop_id}"


def _has_counts(row: dict) -> bool:
    return any(row.get(name) is not None for name in COUNT_FIELDS)


def _count_line(drop: ConsignmentDrop, row: dict, visited_on: date) -> dict:
    """One counted row: checked, with sold, cut and amount due worked out."""
    field = row_field(drop.id)
    seen = row.get("seen")
    if seen is not None and seen != drop.on_shelf:
        raise _stale(drop.product.name)
    remaining = row.get("remaining")
    if remaining is None:
        raise RuleError(_("Isi sisa di rak (0 kalau habis)."), field=field)
    returned, expired = row.get("returned") or 0, row.get("expired") or 0
    if min(remaining, returned, expired) < 0:
        raise RuleError(_("Jumlah tidak boleh negatif."), field=field)
    if visited_on < drop.placed_on:
        raise RuleError(_("Tanggal kunjungan sebelum barang ini ditaruh (%(day)s).",
                          day=drop.placed_on.strftime("%d-%m-%Y")), field=field)
    before = drop.on_shelf
    sold = before - remaining - returned - expired
    if sold < 0:
        raise RuleError(_("Jumlah sisa + ditarik + rusak melebihi yang ada di rak (%(n)d).",
                          n=before), field=field)
    cut = cut_for(sold, drop.unit_price, drop.cut_kind, drop.cut_value)
    return {"drop": drop, "before": before, "remaining": remaining, "returned": returned,
            "expired": expired, "sold": sold, "cut": cut,
            "due": sold * drop.unit_price - cut}


def _clean_visit(outlet: Outlet, values: dict) -> tuple[date, int, str]:
    today = today_for(_village_of(outlet))
    visited_on = values.get("visited_on") or today
    _day_in_range(visited_on, today, "visited_on",
                  _("Tanggal kunjungan tidak boleh setelah hari ini."))
    cash = values.get("cash_collected") or 0
    if not 0 <= cash <= MAX_RUPIAH:
        raise RuleError(_("Jumlah uang tidak masuk akal."), field="cash_collected")
    return visited_on, cash, _text(values, "notes", 1000)


def _shelf_update(line: dict, visited_at) -> None:
    """Lower the drop's ``on_shelf`` only if nobody changed it since it was read; an
    emptied shelf closes the drop."""
    drop = line["drop"]
    values = {"on_shelf": line["remaining"]}
    if line["remaining"] == 0:
        values.update(status="closed", closed_at=visited_at)
    closed = values.pop("status", None)
    move_status(drop, "open", closed, lambda _now: _stale(drop.product.name).message,
                values=values,
                where=[ConsignmentDrop.on_shelf == line["before"]])


def record_visit(outlet: Outlet, values: dict, rows: list[dict], actor,
                 form_token: str | None = None) -> VisitOutcome:
    """A visit to ``outlet``: goods counted, taken back or thrown away, cash collected.

    ``values``: visited_on (``None``: today), cash_collected, notes. ``rows``: one
    dict per counted drop with drop_id, remaining, returned, expired (``None``:
    not counted when all three are empty; returned/expired default 0) and seen (the
    on-shelf figure the form showed; a different one now means someone else
    counted meanwhile). Each drop's ``on_shelf`` becomes what remains (a guarded
    UPDATE) and an empty drop is closed; units taken back return to stock through
    the ledger, expired ones are written off. Cash may settle an older debt but not
    exceed what the outlet owes. The group's fund gets its share of the amount due.
    A resent form returns the visit made the first time.
    """
    form_token = (form_token or "").strip()[:64] or None
    if form_token:
        earlier = _visit_by_token(form_token)
        if earlier is not None:
            return VisitOutcome(earlier, created=False)
    visited_on, cash, notes = _clean_visit(outlet, values)
    # Lock the outlet (PostgreSQL) so two visits at once take turns: the second sees
    # the shelf and the debt as the first left them.
    db.session.execute(select(Outlet.id).where(Outlet.id == outlet.id).with_for_update())
    drops = {drop.id: drop for drop in open_drops(outlet.id)}
    lines = []
    for row in rows:
        if not _has_counts(row):
            continue
        drop = drops.get(row.get("drop_id"))
        if drop is None:  # closed meanwhile, or not this outlet's
            raise _stale()
        lines.append(_count_line(drop, row, visited_on))
    lines.sort(key=lambda line: line["drop"].id)  # one lock order for concurrent visits
    if len({line["drop"].id for line in lines}) != len(lines):
        raise _stale()
    if not lines and not cash:
        raise RuleError(_("Isi hitungan barang di rak, atau uang yang diterima."))
    amount_due = sum(line["due"] for line in lines)
    owed = outlet_figures([outlet.id])[outlet.id].outstanding + amount_due
    if cash > owed:
        raise RuleError(_("Uang diterima (%(cash)s) melebihi tagihan tempat ini (%(owed)s).",
                          cash=format_rupiah(cash), owed=format_rupiah(owed)),
                        field="cash_collected")
    now = utcnow()
    visit_id = _insert(ConsignmentVisit, {
        "outlet_id": outlet.id, "group_id": outlet.group_id, "village_id": outlet.village_id,
        "visited_on": visited_on, "amount_due": amount_due, "cash_collected": cash,
        "notes": notes, "form_token": form_token, "created_by_id": getattr(actor, "id", None),
        "created_at": now,
    })
    if visit_id is None:
        return VisitOutcome(_visit_by_token(form_token), created=False)
    for line in lines:
        drop = line["drop"]
        _shelf_update(line, now)
        db.session.add(ConsignmentVisitLine(
            visit_id=visit_id, drop_id=drop.id, product_id=drop.product_id,
            on_shelf_before=line["before"], remaining=line["remaining"],
            returned=line["returned"], expired=line["expired"], sold=line["sold"],
            unit_price=drop.unit_price, cut_amount=line["cut"], amount_due=line["due"]))
        if line["returned"] and drop.taken_from == "stock":
            record_stock_movement(drop.product, "consignment_back", line["returned"], actor,
                                  note=_("Ditarik dari %(outlet)s", outlet=outlet.name))
    db.session.flush()
    for line in lines:
        db.session.refresh(line["drop"])
    visit = db.session.get(ConsignmentVisit, visit_id)
    db.session.refresh(visit)
    group = db.session.get(ProducerGroup, outlet.group_id)
    accrue_contribution(group, "consignment", visit.id, revenue=visit.amount_due,
                        day=visit.visited_on, actor=actor)
    record_change(actor, "create", "consignment_visit", visit.id, visit.village_id, {
        "outlet": outlet.id, "visited_on": visited_on.isoformat(),
        "amount_due": amount_due, "cash_collected": cash,
        "lines": [[line["drop"].id, line["before"], line["remaining"], line["returned"],
                   line["expired"], line["sold"], line["due"]] for line in lines],
    })
    return VisitOutcome(visit, created=True)


# --- the settlement slip -------------------------------------------------------------


def slip_number(visit: ConsignmentVisit):
    """The slip's number if it has one (looking never issues one)."""
    return issued_number("consign", "visit", visit.id, group_id=visit.group_id)


def issue_slip_number(visit: ConsignmentVisit, actor):
    """Give the slip its number (``001/TTP/KTP/XI/2026``; asked for with a POST);
    the same one when it has one already."""
    return issue_number(_village_of(visit), "consign", "visit", visit.id,
                        day=visit.visited_on, group_id=visit.group_id, actor=actor)


def slip_document(visit: ConsignmentVisit, issued) -> ConsignmentSlip:
    """Plain data for the settlement slip of ``visit`` (always in Indonesian)."""
    outlet = visit.outlet
    group = db.session.get(ProducerGroup, visit.group_id)
    village = _village_of(visit)
    recorder = db.session.get(User, visit.created_by_id) if visit.created_by_id else None
    visit_lines = db.session.scalars(
        select(ConsignmentVisitLine).where(ConsignmentVisitLine.visit_id == visit.id)
        .options(selectinload(ConsignmentVisitLine.product),
                 selectinload(ConsignmentVisitLine.drop))
        .order_by(ConsignmentVisitLine.id)).all()
    lines = [SlipLine(
        product=line.product.name, unit=line.product.unit, before=line.on_shelf_before,
        remaining=line.remaining, returned=line.returned, expired=line.expired,
        sold=line.sold, unit_price=line.unit_price, cut_kind=line.drop.cut_kind,
        cut_value=line.drop.cut_value, cut_amount=line.cut_amount,
        amount_due=line.amount_due) for line in visit_lines]
    return ConsignmentSlip(
        number=issued.number, visited_on=visit.visited_on, place=village.name,
        group_name=group.name, group_address=group_address(group),
        group_phone=display_phone(group.phone), group_chair=group.chair_name,
        outlet_name=outlet.name, outlet_owner=outlet.owner_name,
        outlet_address=", ".join(p for p in (outlet.address, outlet.outlet_village) if p),
        outlet_phone=display_phone(outlet.phone),
        recorded_by=recorder.full_name if recorder else "",
        lines=lines, amount_due=visit.amount_due, cash_collected=visit.cash_collected,
        outstanding=outstanding_after(visit), notes=visit.notes,
    )
