"""Daily capacity of made-to-order products: what a group can make on one day.

Orders (and later catering bookings) reserve units for a day with one guarded UPDATE,
so concurrent confirmations never promise more than ``daily_capacity``.
"""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm.catalog.models import CapacityDay, Product
from crm.extensions import db
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _


def _ensure_day(product_id: int, day: date) -> None:
    """Create the (product, day) row if missing; a concurrent insert is harmless."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(CapacityDay).values(product_id=product_id, day=day, used=0)
        .on_conflict_do_nothing(index_elements=["product_id", "day"])
    )


def used_on(product_id: int, day: date) -> int:
    """Units already promised for ``day``."""
    return db.session.scalar(select(CapacityDay.used).where(
        CapacityDay.product_id == product_id, CapacityDay.day == day)) or 0


def reserve_capacity(product: Product, day: date, quantity: int) -> None:
    """Promise ``quantity`` units of ``product`` for ``day``, or refuse clearly."""
    if quantity <= 0:
        raise RuleError(_("Jumlah harus lebih dari nol."))
    _ensure_day(product.id, day)
    capacity = (
        select(Product.daily_capacity).where(Product.id == product.id).scalar_subquery()
    )
    result = db.session.execute(
        update(CapacityDay)
        .where(CapacityDay.product_id == product.id, CapacityDay.day == day,
               CapacityDay.used + quantity <= capacity)
        .values(used=CapacityDay.used + quantity),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        left = max((product.daily_capacity or 0) - used_on(product.id, day), 0)
        raise RuleError(_(
            "Kapasitas %(name)s pada %(day)s tinggal %(left)d; diminta %(n)d.",
            name=product.name, day=day.strftime("%d-%m-%Y"), left=left, n=quantity,
        ))


def release_capacity(product: Product, day: date, quantity: int) -> None:
    """Give back units promised for ``day`` (a cancelled order or booking)."""
    db.session.execute(
        update(CapacityDay)
        .where(CapacityDay.product_id == product.id, CapacityDay.day == day,
               CapacityDay.used >= quantity)
        .values(used=CapacityDay.used - quantity),
        execution_options={"synchronize_session": False},
    )
