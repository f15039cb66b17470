"""The demo's catalogue and resellers: the products of both Katapang groups (with
stand-in photos), the resellers' claims, public page and mentoring."""

import io
from datetime import timedelta

from PIL import Image, ImageDraw, ImageFont

from crm.catalog.photos import add_product_photo
from crm.catalog.services import create_product, record_stock_movement
from crm.resellers.services import (
    change_claim,
    claim_product,
    profile_for,
    record_mentoring,
    update_profile,
)
from crm.text.dates import today_in

LADU = [
    # name, description, cost, reseller, retail, daily capacity
    ("Ladu Ketan Original", "Ladu ketan gurih-manis, 250 gram per pak.", 9_000, 12_000, 15_000,
     100),
    ("Ladu Ketan Gula Aren", "Ladu ketan dengan gula aren asli, 250 gram per pak.", 10_000,
     13_500, 17_000, 60),
    ("Ladu Ketan Pandan", "Ladu ketan rasa pandan, warna hijau alami, 250 gram per pak.",
     10_000, 13_500, 17_000, 60),
]
RAJUT = [
    # name, description, cost, reseller, retail, stock
    ("Tas Rajut Mini", "Tas rajut benang katun 20 x 15 cm, tali panjang.", 45_000, 60_000,
     80_000, 12),
    ("Tas Rajut Selempang", "Tas selempang rajut nilon 25 x 20 cm, ada resleting.", 70_000,
     95_000, 125_000, 8),
    ("Dompet Rajut", "Dompet rajut kecil untuk koin dan kartu.", 15_000, 22_000, 30_000, 25),
]


def _demo_picture(text: str, colour: tuple[int, int, int]) -> bytes:
    """A plain picture with the product's name, standing in for a real photo."""
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=56)
    words, lines = text.split(), []
    for word in words:  # two or three words a line
        if lines and len(lines[-1]) + len(word) < 14:
            lines[-1] += " " + word
        else:
            lines.append(word)
    for n, line in enumerate(lines):
        draw.text((400, 400 + (n - (len(lines) - 1) / 2) * 70), line, fill="white",
                  font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def add_catalogue(ladu, rajut, users):
    """Products of both Katapang groups and the claims of resellers KA and GE, their
    profiles and mentoring: ``(snacks, bags)``, the products of each group."""
    snacks = [
        create_product(ladu, {
            "name": name, "description": text, "category": "makanan", "unit": "pak",
            "weight_grams": 250, "cost_price": cost, "reseller_price": reseller,
            "retail_price": retail, "shelf_life_days": 14, "made_to_order": True,
            "daily_capacity": capacity, "active": True,
        }, actor=users["ladu"])
        for name, text, cost, reseller, retail, capacity in LADU
    ]
    for snack, colour in zip(snacks, [(180, 120, 60), (120, 70, 30), (60, 130, 60)], strict=True):
        add_product_photo(snack, _demo_picture(snack.name, colour))
    bags = []
    for name, text, cost, reseller, retail, stock in RAJUT:
        bag = create_product(rajut, {
            "name": name, "description": text, "category": "kerajinan", "unit": "pcs",
            "weight_grams": 300, "cost_price": cost, "reseller_price": reseller,
            "retail_price": retail, "claim_cap": 3, "claim_needs_approval": True,
            "active": True,
        }, actor=users["rajut"])
        record_stock_movement(bag, "production", stock, users["rajut"], note="Stok awal")
        add_product_photo(bag, _demo_picture(name, (40, 90, 150)))
        bags.append(bag)
    ka, ge = users["ka"], users["ge"]
    claim_product(snacks[0], ka, ["shopee", "whatsapp", "website"])
    claim_product(snacks[1], ka, ["whatsapp", "instagram"])
    claim_product(snacks[0], ge, ["facebook", "whatsapp"])
    first_bag = claim_product(bags[0], ka, ["shopee", "instagram"])
    change_claim(first_bag, "approve", users["rajut"])
    claim_product(bags[1], ge, ["shopee"])  # waits for the producer's approval
    profile_for(ka).karang_taruna = True
    profile_for(ge).karang_taruna = True
    # KA shares her catalogue link (the demo's "website" orders come through it), with
    # a number she chose for buyers; GE has not switched his public page on yet.
    ka_profile = profile_for(ka)
    update_profile(ka_profile, {
        "whatsapp": ka_profile.whatsapp, "karang_taruna": True, "public_page": True,
        "public_whatsapp": "081200000311",
    }, actor=ka)
    today = today_in()
    record_mentoring(profile_for(ka), stage="operation", on_date=today - timedelta(days=10),
                     mentor=users["kesra"], note="Sudah punya toko Shopee.",
                     next_date=today + timedelta(days=20), actor=users["kesra"])
    record_mentoring(profile_for(ge), stage="tools", on_date=today - timedelta(days=40),
                     mentor=users["kesra"], note="Belajar WhatsApp Business.",
                     actor=users["kesra"])
    return snacks, bags
