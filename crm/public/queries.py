"""Queries of the public village catalogue: what a visitor may see, and whom a
"Pesan via WhatsApp" button calls. Pure reads: nothing here flushes or commits.

Only active products are public. Private fields (HPP, reseller and dropship prices,
stock, bank account, NIB, notes, claim counts) never leave this module's callers'
templates; the queries load them with the row but the public templates do not show
them.
"""

import re
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from crm.auth.models import User
from crm.catalog.models import CATEGORIES, ProducerGroup, Product
from crm.extensions import db
from crm.resellers.models import PUBLIC_SLUG_MAX, Claim, ResellerProfile
from crm.villages.models import Village
from crm.web.request_args import MAX_ID, parse_id

MAX_SEARCH = 100
_SLUG = re.compile(rf"[A-Za-z0-9_-]{{1,{PUBLIC_SLUG_MAX}}}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CatalogFilters:
    """The catalogue filters of a query string, already checked."""

    village_id: int | None = None
    group_id: int | None = None
    category: str | None = None
    search: str = ""

    def url_args(self) -> dict:
        """The filters as query-string arguments (empty ones left out)."""
        args = {"desa": self.village_id, "kelompok": self.group_id,
                "kategori": self.category, "q": self.search or None}
        return {k: v for k, v in args.items() if v is not None}


@dataclass(frozen=True)
class WhatsAppTarget:
    """Who answers a product's WhatsApp order: a reseller or the producer group."""

    phone: str  # 62… digits
    kind: str  # "reseller" or "group"


def parse_filters(args) -> CatalogFilters:
    """Read ``desa``, ``kelompok``, ``kategori`` and ``q``; bad values are ignored,
    the search text is cleaned of control characters and cut to a sane length."""
    category = (args.get("kategori") or "").strip()
    search = _CONTROL.sub(" ", args.get("q") or "")[:MAX_SEARCH].strip()
    return CatalogFilters(
        village_id=parse_id(args.get("desa")),
        group_id=parse_id(args.get("kelompok")),
        category=category if category in CATEGORIES else None,
        search=search,
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def public_products(filters: CatalogFilters) -> Select:
    """Active products matching ``filters``, by name, with their group and village
    (joined: one each) and photos (a second statement); for ``db.paginate``."""
    query = select(Product).where(Product.active.is_(True))
    if filters.village_id:
        query = query.where(Product.village_id == filters.village_id)
    if filters.group_id:
        query = query.where(Product.group_id == filters.group_id)
    if filters.category:
        query = query.where(Product.category == filters.category)
    if filters.search:
        pattern = _like_pattern(filters.search)
        query = query.join(Product.group).where(
            Product.name.ilike(pattern, escape="\\")
            | Product.description.ilike(pattern, escape="\\")
            | ProducerGroup.name.ilike(pattern, escape="\\")
        )
    return query.options(
        joinedload(Product.group).joinedload(ProducerGroup.village),
        selectinload(Product.photos),
    ).order_by(Product.name, Product.id)


def get_public_product(product_id: int) -> Product | None:
    """An active product with its group, village and photos; None if not public."""
    if not 0 < product_id <= MAX_ID:
        return None
    return db.session.scalar(public_products(CatalogFilters()).where(Product.id == product_id))


def _has_active_product(column):
    return exists().where(column, Product.active.is_(True))


@dataclass(frozen=True)
class VillageChoice:
    """A village of the catalogue's filter list: what the list shows, named as the
    village itself names it."""

    id: int
    code: str
    name: str
    is_kelurahan = property(Village.is_kelurahan.fget)
    display_name = property(Village.display_name.fget)


def catalog_villages() -> list[VillageChoice]:
    """Villages that have at least one active product (for the filter list), as plain
    rows: a Kabupaten has hundreds of villages."""
    rows = db.session.execute(
        select(Village.id, Village.code, Village.name)
        .where(_has_active_product(Product.village_id == Village.id))
        .order_by(Village.name))
    return [VillageChoice(id=row.id, code=row.code, name=row.name) for row in rows]


def catalog_groups(village_id: int | None = None, group_id: int | None = None) -> list:
    """Groups with at least one active product (rows of id and name, for the filter
    list): of one village if given, else the one group asked for (if any), else all."""
    query = (
        select(ProducerGroup.id, ProducerGroup.name)
        .where(_has_active_product(Product.group_id == ProducerGroup.id))
        .order_by(ProducerGroup.name)
    )
    if village_id:
        query = query.where(ProducerGroup.village_id == village_id)
    elif group_id:
        query = query.where(ProducerGroup.id == group_id)
    return db.session.execute(query).all()


def reseller_by_slug(slug: str | None) -> ResellerProfile | None:
    """The profile behind a public link (``/katalog/r/<slug>``), with its user; None
    when the slug is unknown, renewed since, or the page is switched off, or the
    account is. Every answer runs the same one query: whatever is asked, unknown,
    hidden and old links cannot be told apart (nor by time)."""
    slug = slug or ""
    if not _SLUG.fullmatch(slug):
        slug = ""  # matches no row, and is asked all the same
    return db.session.scalar(
        select(ResellerProfile)
        .join(ResellerProfile.user)
        .where(ResellerProfile.public_slug == slug,
               ResellerProfile.public_page.is_(True), User.active.is_(True))
        .options(contains_eager(ResellerProfile.user)))


def reseller_phone(profile: ResellerProfile) -> str | None:
    """The number the reseller chose to show on their public page, if any (never the
    account's login phone nor their contact for the group)."""
    return profile.public_whatsapp or None


def whatsapp_targets(
    products: list[Product], reseller: ResellerProfile | None = None
) -> dict[int, WhatsAppTarget | None]:
    """Whom each product's "Pesan via WhatsApp" button calls, for a whole page.

    The reseller of the link, if they show a public number (if not, the producer
    group); without a reseller, the reseller of the product's earliest active claim
    among those whose public page is on, with a public number (account active);
    otherwise the producer group's phone; otherwise None (the page says to contact
    the group). Only numbers resellers chose to show
    publicly are used. Products must have their group loaded. At most one query,
    whatever the page size.
    """
    if reseller is not None:
        phone = reseller_phone(reseller)
        if phone:
            target = WhatsAppTarget(phone, "reseller")
            return {p.id: target for p in products}
        claimed = {}  # a reseller's page never sends its buyers to another reseller
    else:
        claimed = _earliest_claim_phones([p.id for p in products])
    targets: dict[int, WhatsAppTarget | None] = {}
    for product in products:
        if product.id in claimed:
            targets[product.id] = WhatsAppTarget(claimed[product.id], "reseller")
        else:
            phone = product.group.phone or None
            targets[product.id] = WhatsAppTarget(phone, "group") if phone else None
    return targets


def whatsapp_target(
    product: Product, reseller: ResellerProfile | None = None
) -> WhatsAppTarget | None:
    """Whom the WhatsApp button of one product calls (see :func:`whatsapp_targets`)."""
    return whatsapp_targets([product], reseller)[product.id]


def _earliest_claim_phones(product_ids: list[int]) -> dict[int, str]:
    """For each product, the public number of the reseller with the earliest active
    claim among resellers whose account is active and whose public page is on with a
    public number: one query."""
    if not product_ids:
        return {}
    ranked = (
        select(
            Claim.product_id.label("product_id"),
            ResellerProfile.public_whatsapp.label("public_whatsapp"),
            func.row_number().over(
                partition_by=Claim.product_id, order_by=(Claim.created_at, Claim.id)
            ).label("rank"),
        )
        .join(User, User.id == Claim.reseller_id)
        .join(ResellerProfile, ResellerProfile.user_id == User.id)
        .where(
            Claim.product_id.in_(product_ids),
            Claim.status == "active",
            User.active.is_(True),
            ResellerProfile.public_page.is_(True),
            ResellerProfile.public_whatsapp.is_not(None),
            ResellerProfile.public_whatsapp != "",
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.product_id, ranked.c.public_whatsapp).where(ranked.c.rank == 1))
    return {row.product_id: row.public_whatsapp for row in rows if row.public_whatsapp}
