"""Listing kits: ready-to-copy texts for a reseller's shop, and the bulk-upload CSV.

Pure builders: products and URLs in, text out (no database, no request).
"""

from dataclasses import dataclass

from crm.text.money import format_rupiah
from crm.text.phones import whatsapp_share_link
from crm.villages.addresses import village_name
from crm.web.i18n import gettext as _
from crm.web.spreadsheets import csv_text, formula_safe

# Marketplaces cut titles (Tokopedia at 70 characters); keep within the shortest.
TITLE_MAX = 70
CSV_PHOTO_COLUMNS = 6


@dataclass
class ListingKit:
    """What a reseller copies into a marketplace listing or a WhatsApp status."""

    title: str
    description: str
    share_text: str
    share_link: str
    catalogue_url: str
    photo_urls: list[str]


def listing_title(product) -> str:
    """"Ladu Ketan Original - Ladu Ketan RW 09 Katapang", cut to ``TITLE_MAX``."""
    title = f"{product.name} - {product.group.name}"
    village = product.group.village.name if product.group.village else ""
    if village and village.lower() not in title.lower():
        title += f" {village}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def listing_description(product, catalogue_url: str) -> str:
    """The product's description followed by the facts buyers ask about."""
    group = product.group
    village = group.village
    lines = [product.description.strip()] if product.description.strip() else []
    lines.append("")
    lines.append(_("• Berat: %(g)d gram per %(unit)s", g=product.weight_grams, unit=product.unit))
    if product.shelf_life_days:
        lines.append(_("• Tahan %(n)d hari", n=product.shelf_life_days))
    if product.made_to_order:
        lines.append(_("• Dibuat segar saat dipesan"))
    place = ", ".join(p for p in (
        village_name(village.name), village.kecamatan, village.kabupaten) if p)
    lines.append(_("• Produk UMKM %(group)s, %(place)s", group=group.name, place=place))
    if group.halal_number:
        lines.append(_("• Bersertifikat halal: %(n)s", n=group.halal_number))
    if group.pirt_number:
        lines.append(_("• P-IRT: %(n)s", n=group.pirt_number))
    lines.append("")
    lines.append(_("Lihat produk lain: %(url)s", url=catalogue_url))
    return "\n".join(lines).strip()


def share_text(product, catalogue_url: str) -> str:
    """A short WhatsApp message: name, price, link to the reseller's catalogue page."""
    return _(
        "%(name)s, %(price)s per %(unit)s. Produk UMKM %(group)s. Pesan di sini: %(url)s",
        name=product.name, price=format_rupiah(product.retail_price), unit=product.unit,
        group=product.group.name, url=catalogue_url,
    )


def build_listing_kit(product, catalogue_url: str, photo_urls: list[str]) -> ListingKit:
    """The listing kit of one claimed product."""
    text = share_text(product, catalogue_url)
    return ListingKit(
        title=listing_title(product),
        description=listing_description(product, catalogue_url),
        share_text=text,
        share_link=whatsapp_share_link(text),
        catalogue_url=catalogue_url,
        photo_urls=photo_urls,
    )


def claims_csv(rows) -> str:
    """Bulk-upload CSV of claimed products: ``rows`` are ``(product, kit)`` pairs.

    Stock is the units on hand, or the daily capacity of a made-to-order product.
    Starts with a byte-order mark so that spreadsheet programs read UTF-8.
    """
    header = ["Nama Produk", "Deskripsi", "Harga", "Stok", "Berat (gram)", "SKU"]
    header += [f"Foto {n}" for n in range(1, CSV_PHOTO_COLUMNS + 1)]
    body = [header]
    for product, kit in rows:
        stock = product.daily_capacity if product.made_to_order else product.stock
        photos = (kit.photo_urls + [""] * CSV_PHOTO_COLUMNS)[:CSV_PHOTO_COLUMNS]
        body.append([formula_safe(v) for v in (
            kit.title, kit.description, product.retail_price, stock, product.weight_grams,
            product.sku, *photos,
        )])
    return csv_text(body)
