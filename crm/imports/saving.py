"""Saving the rows a preview found good, through each feature's own services (groups,
accounts, catalogue and stock ledger, consignment), so that every rule and audit row
of those features applies. Flushes and never commits: the view's ``saving`` block
commits once, or rolls everything back."""

from dataclasses import dataclass, field

from crm.audit.services import record_change
from crm.auth.models import Role
from crm.catalog.services import create_product, record_stock_movement, update_product
from crm.consignment.services import create_outlet, update_outlet
from crm.extensions import db
from crm.groups.services import GROUP_FIELDS, create_group, update_group
from crm.imports.accounts import NewAccount, open_imported_account
from crm.imports.goods import OUTLET_TEXTS
from crm.imports.outcomes import Preview, RowOutcome
from crm.resellers.services import profile_for
from crm.web.i18n import gettext as _

STOCK_NOTE = "Impor"


@dataclass
class Saved:
    """What a saving did: rows saved as new and as changes, and the accounts opened."""

    new: int = 0
    updated: int = 0
    accounts: list[NewAccount] = field(default_factory=list)


def save_preview(preview: Preview, village, actor) -> Saved:
    """Save the new and changed rows of ``preview`` (rows with problems and rows
    already there are left alone)."""
    saved = Saved()
    rows = [row for row in preview.rows if row.status in ("new", "update")]
    save_rows = {"kelompok": _save_members, "reseller": _save_resellers,
                 "produk": _save_products, "warung": _save_outlets}[preview.kind.code]
    save_rows(preview, rows, village, actor, saved)
    for row in rows:
        if row.new:
            saved.new += 1
        else:
            saved.updated += 1
    db.session.flush()
    return saved


def _rename(user, full_name: str, actor) -> None:
    if user.full_name != full_name:
        record_change(actor, "update", "user", user.id, user.village_id,
                      {"full_name": [user.full_name, full_name]}, flush=False)
        user.full_name = full_name


def _save_members(preview: Preview, rows: list[RowOutcome], village, actor,
                  saved: Saved) -> None:
    groups = {}
    for key, plan in preview.groups.items():
        if plan.group is None:
            groups[key] = create_group(village, {"name": plan.name, **plan.values}, actor)
        else:
            update_group(plan.group, {name: plan.values[name] for name in GROUP_FIELDS
                                      if name in plan.values}, actor)
            groups[key] = plan.group
        _set_baseline(groups[key], plan.values.get("baseline_monthly_turnover"), actor)
    for row in rows:
        values, group = row.values, groups[row.values["group"]]
        if row.target is None:
            saved.accounts.append(open_imported_account(
                village, values["full_name"], values["phone"], Role.PRODUCER, actor,
                group=group))
            continue
        user = row.target
        _rename(user, values["full_name"], actor)
        if user.group_id != group.id:
            record_change(actor, "update", "user", user.id, user.village_id,
                          {"group_id": [user.group_id, group.id]}, flush=False)
            user.group_id = group.id


def _set_baseline(group, turnover: int | None, actor) -> None:
    """The turnover before MRSE is not part of the group's profile form (it is set
    once, when the group joins): the import sets it here, with its audit row."""
    if turnover is None or group.baseline_monthly_turnover == turnover:
        return
    record_change(actor, "update", "group", group.id, group.village_id,
                  {"baseline_monthly_turnover": [group.baseline_monthly_turnover, turnover]},
                  flush=False)
    group.baseline_monthly_turnover = turnover


def _save_resellers(preview: Preview, rows: list[RowOutcome], village, actor,
                    saved: Saved) -> None:
    for row in rows:
        values = row.values
        if row.target is None:
            account = open_imported_account(village, values["full_name"], values["phone"],
                                            Role.RESELLER, actor)
            saved.accounts.append(account)
            user = account.user
        else:
            user = row.target
            _rename(user, values["full_name"], actor)
        profile = profile_for(user)
        changes = {}
        for name in ("karang_taruna", "stage_since"):
            value = values[name]
            if value is not None and getattr(profile, name) != value:
                changes[name] = [str(getattr(profile, name)), str(value)]
                setattr(profile, name, value)
        if changes and row.target is not None:
            record_change(actor, "update", "reseller", profile.id, village.id, changes,
                          flush=False)


def _save_products(preview: Preview, rows: list[RowOutcome], village, actor,
                   saved: Saved) -> None:
    for row in rows:
        values, sku, stock = row.values["values"], row.values["sku"], row.values["stock"]
        product = row.target
        if product is None:
            product = create_product(row.values["group"], row.values["merged"] | values,
                                     actor)
            if sku:
                product.sku = sku
            if stock:
                record_stock_movement(product, "production", stock, actor, note=STOCK_NOTE)
            continue
        if stock is not None and stock != product.stock:
            record_stock_movement(product, "adjustment", stock - product.stock, actor,
                                  note=_("Impor: stok hasil hitung"))
        update_product(product, values, actor)
        if sku and product.sku != sku:
            record_change(actor, "update", "product", product.id, product.village_id,
                          {"sku": [product.sku, sku]}, flush=False)
            product.sku = sku


def _save_outlets(preview: Preview, rows: list[RowOutcome], village, actor,
                  saved: Saved) -> None:
    for row in rows:
        values = row.values["values"]
        if row.target is None:
            create_outlet(row.values["group"], values, actor)
            continue
        outlet = row.target
        current = {name: getattr(outlet, name) for name in ("name", "kind", "phone",
                                                             *OUTLET_TEXTS)}
        update_outlet(outlet, current | values | {"active": outlet.active}, actor)
