"""Which of the reseller's products a line of a marketplace export is.

Only products the reseller has claimed (an active claim) and that are still on sale
can match: a SKU of another reseller's product matches nothing and waits for the
reseller to check it. A line matches, in this order, by SKU (the reseller's listing
file gave the marketplace ``product.sku``), by name (normalised: exactly, or the one
product whose name contains the line's or is contained in it), then by the choice the
reseller made for the same marketplace product before.
"""

import re
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.catalog.models import Product
from crm.extensions import db
from crm.inbox.models import RememberedProduct
from crm.inbox.records import ExportLine
from crm.resellers.models import Claim

_NOT_WORD = re.compile(r"[^0-9a-z]+")
KEY_LENGTH = 200


def normalised_name(text: str) -> str:
    """``text`` lowercased, accents and punctuation dropped, spaces single: "Keripik
    Pisang (250 gr)" and "keripik pisang 250gr" differ only in the space."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def product_key(line: ExportLine) -> str:
    """The key a reseller's product choice is remembered under: the marketplace's
    product name and SKU, normalised."""
    return f"{normalised_name(line.product)}|{line.sku.strip().lower()}"[:KEY_LENGTH]


def claimed_products(reseller) -> list[Product]:
    """The products ``reseller`` may take orders for: active claims, products on sale."""
    return list(db.session.scalars(
        select(Product).join(Claim, Claim.product_id == Product.id)
        .where(Claim.reseller_id == reseller.id, Claim.status == "active",
               Product.active.is_(True))
        .order_by(Product.name).options(selectinload(Product.group))
    ))


class Matcher:
    """Matches export lines of one marketplace to a reseller's claimed products.
    ``skus`` are the SKUs the file names: one of another product of the app (not
    claimed by the reseller) matches nothing, whatever its name says."""

    def __init__(self, reseller, marketplace: str, skus=()):
        self.products = claimed_products(reseller)
        by_id = {p.id: p for p in self.products}
        self.by_sku = {}
        for product in self.products:
            self.by_sku.setdefault(product.sku.strip().lower(), product)
        wanted = {sku.strip().lower() for sku in skus if sku.strip()} - set(self.by_sku)
        self.unclaimed = set(db.session.scalars(
            select(func.lower(Product.sku)).where(func.lower(Product.sku).in_(sorted(wanted))))
        ) if wanted else set()
        self.by_name = [(normalised_name(p.name), p) for p in self.products]
        remembered = db.session.execute(
            select(RememberedProduct.product_key, RememberedProduct.product_id)
            .where(RememberedProduct.reseller_id == reseller.id,
                   RememberedProduct.marketplace == marketplace)).all()
        self.remembered = {key: by_id[pid] for key, pid in remembered if pid in by_id}

    def match(self, line: ExportLine) -> Product | None:
        """The claimed product ``line`` is, or None when nothing fits for sure."""
        sku = line.sku.strip().lower()
        if sku and sku in self.by_sku:
            return self.by_sku[sku]
        if sku in self.unclaimed:
            return None
        found = self._by_name(normalised_name(line.product))
        if found is not None:
            return found
        return self.remembered.get(product_key(line))

    def _by_name(self, name: str) -> Product | None:
        if not name:
            return None
        exact = [p for key, p in self.by_name if key == name]
        if len(exact) == 1:
            return exact[0]
        if exact:
            return None  # two products of the same name: the reseller picks
        near = [p for key, p in self.by_name if key and (key in name or name in key)]
        return near[0] if len(near) == 1 else None
