"""Records for tests, made through the same services as the app uses."""

import itertools

from crm.auth.models import Role
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.partners.models import Partner
from crm.resellers.accounts import open_account
from crm.villages.services import create_village
from tests.helpers import PASSWORD

_seq = itertools.count(1)


def village(name=None, **kwargs):
    n = next(_seq)
    v = create_village(
        code=kwargs.pop("code", f"32.04.11.{2000 + n:04d}"),
        name=name or f"Desa Uji {n}",
        kecamatan=kwargs.pop("kecamatan", "Katapang"),
        kabupaten=kwargs.pop("kabupaten", "Kabupaten Bandung"),
        provinsi=kwargs.pop("provinsi", "Jawa Barat"),
        letter_code=kwargs.pop("letter_code", "DU"),
        **kwargs,
    )
    db.session.commit()
    return v


def group(village, name=None, kind="food"):
    g = ProducerGroup(village_id=village.id, name=name or f"Kelompok {next(_seq)}", kind=kind)
    db.session.add(g)
    db.session.commit()
    return g


def partner(village, name=None, kind="pemdes"):
    p = Partner(village_id=village.id, name=name or f"Lembaga {next(_seq)}", kind=kind)
    db.session.add(p)
    db.session.commit()
    return p


def user(role, village=None, *, username=None, phone=None, group=None, partner=None,
         villages=None, password=PASSWORD, full_name=None):
    role = Role(role)
    username = username or f"{role.value}{next(_seq)}"
    u = open_account(
        username=username,
        full_name=full_name or f"Nama {username}",
        role=role,
        password=password,
        phone=phone,
        village=None if role == Role.OFFICER else village,
        group=group,
        partner=partner,
        assigned_villages=villages or ([village] if role == Role.OFFICER else ()),
    )
    db.session.commit()
    return u


def officer(*villages, **kwargs):
    return user(Role.OFFICER, villages=list(villages), **kwargs)


def producer(village, group_=None, **kwargs):
    return user(Role.PRODUCER, village, group=group_ or group(village), **kwargs)


def reseller(village, **kwargs):
    return user(Role.RESELLER, village, **kwargs)


def partner_contact(village, partner_=None, **kwargs):
    return user(Role.PARTNER, village, partner=partner_ or partner(village), **kwargs)


def product(group_, name=None, **kwargs):
    """A product made through the catalogue service (snack defaults)."""
    from crm.catalog.services import create_product

    values = {"name": name or f"Produk {next(_seq)}", "category": "makanan", "unit": "pak",
              "weight_grams": 200, "cost_price": 5_000, "reseller_price": 8_000,
              "retail_price": 10_000, "active": True, **kwargs}
    made = create_product(group_, values, actor=None)
    db.session.commit()
    return made


def order(reseller_, lines, status="shipped", channel="shopee", when=None, group_=None,
          **fields):
    """An order written straight to the database in ``status`` (no stock taken):
    for figures and balances. ``lines`` are ``(product, quantity)`` pairs; prices
    are the products' prices. ``when`` (aware datetime) is when it was taken and,
    for sold orders, shipped."""
    from datetime import date as _date

    from crm.db.types import utcnow
    from crm.orders.models import SOLD_STATUSES, Order, OrderLine
    from crm.reports import summaries
    from crm.settlements import pair_totals

    when = when or utcnow()
    first = lines[0][0]
    confirmed = status in ("confirmed", "packed", "shipped", "finished")
    made = Order(
        village_id=first.village_id, group_id=(group_ or first.group).id,
        reseller_id=reseller_.id, status=status, channel=channel,
        customer_name=fields.pop("customer_name", "Pembeli Uji"), ship_date=_date.today(),
        created_at=when, **fields,
    )
    if confirmed:
        made.confirmed_at = when
    if status in ("shipped", "finished"):
        made.shipped_at = when
    if status == "finished":
        made.finished_at = when
    # What a confirmation would have recorded as taken (the ledger is left alone).
    made.lines = [OrderLine(product_id=p.id, quantity=q, reseller_price=p.reseller_price,
                            retail_price=p.retail_price,
                            taken_from=("capacity" if p.made_to_order else "stock")
                            if confirmed else None) for p, q in lines]
    db.session.add(made)
    # The pair's running totals, as the order steps keep them.
    pair_totals.add(made.reseller_id, made.group_id, made.village_id,
                    orders=0 if status == "cancelled" else 1,
                    shipped=pair_totals.order_owed(made) if status in SOLD_STATUSES else 0)
    if status in SOLD_STATUSES:
        summaries.record_shipment(made)
    db.session.commit()
    return made
