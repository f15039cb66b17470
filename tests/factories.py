"""Records for tests, made through the same services as the app uses.

One function per kind of record, each with sensible defaults and committed on
return, so a module's fixture only names what its tests look at:

    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone="6281200000201")
    factories.producer(a, ladu, username="ladu")
    snack = factories.product(ladu, "Ladu Ketan Original", reseller_price=12_000)
    factories.stock(snack, 20)
    factories.claim(snack, factories.reseller(a, username="ka"))
"""

import itertools
from datetime import date, timedelta

from crm.auth.models import Role
from crm.catalog.models import ProducerGroup
from crm.catalog.services import create_product, record_stock_movement
from crm.db.types import utcnow
from crm.events.services import create_event
from crm.extensions import db
from crm.orders.models import SOLD_STATUSES, Order, OrderLine
from crm.partners.models import Partner
from crm.reports import summaries
from crm.resellers.accounts import open_account
from crm.resellers.services import claim_product
from crm.settlements import pair_totals
from crm.villages.services import create_village
from tests.helpers import PASSWORD

_seq = itertools.count(1)


def village(name=None, **kwargs):
    """A village through the villages service; ``kwargs`` are its other fields."""
    n = next(_seq)
    v = create_village(
        # Kemendagri codes: the village part is 1001–2999; a worker makes thousands.
        code=kwargs.pop("code", f"32.04.11.{2001 + n % 999:04d}"),
        name=name or f"Desa Uji {n}",
        kecamatan=kwargs.pop("kecamatan", "Katapang"),
        kabupaten=kwargs.pop("kabupaten", "Kabupaten Bandung"),
        provinsi=kwargs.pop("provinsi", "Jawa Barat"),
        letter_code=kwargs.pop("letter_code", "DU"),
        **kwargs,
    )
    db.session.commit()
    return v


def group(village, name=None, kind="food", **fields):
    """A producer group of ``village``; ``fields`` are its profile (phone, chair_name, …)."""
    g = ProducerGroup(village_id=village.id, name=name or f"Kelompok {next(_seq)}", kind=kind,
                      **fields)
    db.session.add(g)
    db.session.commit()
    return g


def partner(village, name=None, kind="pemdes", **fields):
    """A partner institution of ``village``; ``fields`` are its details (unit, address, …)."""
    p = Partner(village_id=village.id, name=name or f"Lembaga {next(_seq)}", kind=kind,
                **fields)
    db.session.add(p)
    db.session.commit()
    return p


def user(role, village=None, *, username=None, phone=None, group=None, partner=None,
         villages=None, areas=(), password=PASSWORD, full_name=None):
    """A login of ``role`` with ``PASSWORD``; an officer is assigned ``villages`` and
    ``areas`` (Kecamatan or Kabupaten codes such as "32.04.11")."""
    role = Role(role)
    if villages is None:
        villages = [village] if role == Role.OFFICER and village is not None else []
    username = username or f"{role.value}{next(_seq)}"
    u = open_account(
        username=username,
        full_name=full_name or f"Nama {username}",
        role=role,
        password=password,
        phone=phone,
        village=None if role in (Role.OFFICER, Role.ADMIN) else village,
        group=group,
        partner=partner,
        assigned_villages=villages,
        areas=areas,
    )
    db.session.commit()
    return u


def officer(*villages, **kwargs):
    return user(Role.OFFICER, villages=list(villages), **kwargs)


def admin(**kwargs):
    """The installation's administrator."""
    return user(Role.ADMIN, **kwargs)


def producer(village, group_=None, **kwargs):
    return user(Role.PRODUCER, village, group=group_ or group(village), **kwargs)


def reseller(village, **kwargs):
    return user(Role.RESELLER, village, **kwargs)


def partner_contact(village, partner_=None, **kwargs):
    return user(Role.PARTNER, village, partner=partner_ or partner(village), **kwargs)


def product(group_, name=None, **kwargs):
    """A product made through the catalogue service (snack defaults)."""
    values = {"name": name or f"Produk {next(_seq)}", "category": "makanan", "unit": "pak",
              "weight_grams": 200, "cost_price": 5_000, "reseller_price": 8_000,
              "retail_price": 10_000, "active": True, **kwargs}
    made = create_product(group_, values, actor=None)
    db.session.commit()
    return made


def stock(product_, quantity, note=""):
    """``quantity`` of ``product_`` produced, through the stock ledger."""
    movement = record_stock_movement(product_, "production", quantity, None, note=note)
    db.session.commit()
    return movement


def claim(product_, *resellers, channels=("whatsapp",)):
    """Each of ``resellers`` claims ``product_`` on ``channels``, through the claim service."""
    for reseller_ in resellers:
        claim_product(product_, reseller_, list(channels))
    db.session.commit()


def event(partner_, starts, *, actor=None, title="Rapat Bulanan", place="Balai Desa",
          hours=3, headcount=40):
    """A meeting of ``partner_`` through the events service, from ``starts`` (aware)
    for ``hours``."""
    made = create_event(partner_, {
        "title": title, "place": place, "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours), "headcount": headcount}, actor)
    db.session.commit()
    return made


def order(reseller_, lines, status="shipped", channel="shopee", when=None, group_=None,
          **fields):
    """An order written straight to the database in ``status`` (no stock taken):
    for figures and balances. ``lines`` are ``(product, quantity)`` pairs; prices
    are the products' prices. ``when`` (aware datetime) is when it was taken and,
    for sold orders, shipped."""
    when = when or utcnow()
    first = lines[0][0]
    confirmed = status in ("confirmed", "packed", "shipped", "finished")
    made = Order(
        village_id=first.village_id, group_id=(group_ or first.group).id,
        reseller_id=reseller_.id, status=status, channel=channel,
        customer_name=fields.pop("customer_name", "Pembeli Uji"), ship_date=date.today(),
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
