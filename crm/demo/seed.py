"""The Katapang demo: the MRSE study's village, its groups, resellers and partners.

Later features add their demo records here, through their own services.
"""

import io
from datetime import date, time, timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.catalog.capacity import release_capacity, reserve_capacity
from crm.catalog.models import ProducerGroup
from crm.catalog.photos import add_product_photo
from crm.catalog.services import create_product, record_stock_movement
from crm.consignment.services import create_outlet, place_drop, record_visit
from crm.db.types import utcnow
from crm.demo.history import load_history
from crm.events.services import (
    book_catering,
    combine_local,
    confirm_lines,
    create_event,
    set_spending_ceiling,
)
from crm.extensions import db
from crm.fund.services import decide_disbursement, request_disbursement, set_fund_rule
from crm.orders.services import change_status, create_orders
from crm.partners.models import Partner
from crm.partners.services import (
    change_partnership_status,
    create_partnership,
    issue_letter_number,
)
from crm.proposals.services import add_budget_lines, create_proposal
from crm.proposals.workflow import take_step
from crm.reports import summaries
from crm.resellers.accounts import open_account
from crm.resellers.services import (
    change_claim,
    claim_product,
    profile_for,
    record_mentoring,
    update_profile,
)
from crm.settlements.services import decide_payment, record_return, submit_payment
from crm.text.dates import today_in
from crm.villages.models import Village
from crm.villages.services import create_village

# Printed by `flask crm demo` and written in the README: demo data only (the demo is
# refused in production), so not a secret.
DEMO_PASSWORD = "mrse-demo-2026"  # noqa: S105  # nosec B105


def database_is_empty() -> bool:
    """True when there is no village and no user yet."""
    return not (
        db.session.scalar(select(func.count()).select_from(Village))
        or db.session.scalar(select(func.count()).select_from(User))
    )


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo records; return ``(login, role, description)`` for each login."""
    katapang = create_village(
        code="32.04.11.2002",
        name="Katapang",
        kecamatan="Katapang",
        kabupaten="Kabupaten Bandung",
        provinsi="Jawa Barat",
        letter_code="KTP",
        institution_name="Pemerintah Desa Katapang",
        address="Kantor Desa Katapang, Kecamatan Katapang, Kabupaten Bandung, Jawa Barat 40921",
        phone="022-5890123",
        email="desa.katapang@example.id",
        head_name="H. Asep Saepudin",
    )
    sangkanhurip = create_village(
        code="32.04.11.2001",
        name="Sangkanhurip",
        kecamatan="Katapang",
        kabupaten="Kabupaten Bandung",
        provinsi="Jawa Barat",
        letter_code="SKH",
        head_name="Dedi Kurnia",
    )
    ladu = ProducerGroup(
        village=katapang, name="Ladu Ketan RW 09", kind="food", rw="09", rt="02",
        dusun="Dusun 3", chair_name="Ibu Euis", phone="6281200000201", since_year=1999,
        description="Ladu ketan khas Katapang, dibuat tangan oleh ibu-ibu RW 09.",
        bank_name="BJB", bank_account_number="0012345678901",
        bank_account_name="Kelompok Ladu Ketan RW 09", pirt_number="2063204010123-29",
        halal_number="ID32110000123450724", halal_expires_on=date(2028, 7, 1),
    )
    rajut = ProducerGroup(
        village=katapang, name="Tas Rajut RW 09", kind="craft", rw="09", rt="01",
        dusun="Dusun 3", chair_name="Ibu Neneng", phone="6281200000202", since_year=2004,
        description="Tas rajut benang katun dan nilon, warna dan ukuran bisa dipesan.",
        bank_name="BRI", bank_account_number="123401000456501",
        bank_account_name="Kelompok Tas Rajut RW 09", nib="9120301234567",
    )
    opak = ProducerGroup(village=sangkanhurip, name="Opak Sangkanhurip", kind="food")
    pemdes = Partner(
        village=katapang, name="Pemerintah Desa Katapang", kind="pemdes",
        unit="Sekretariat Desa", address="Kantor Desa Katapang, Jl. Raya Katapang",
        contact_name="Drs. Ujang Suryana", contact_position="Sekretaris Desa",
        phone="6281200000401",
    )
    kecamatan = Partner(
        village=katapang, name="Kecamatan Katapang", kind="kecamatan",
        unit="Seksi Pemberdayaan Masyarakat", address="Jl. Raya Soreang-Katapang No. 1",
        contact_name="Hj. Nani Rohaeni", contact_position="Kasi Pemberdayaan Masyarakat",
    )
    db.session.add_all([ladu, rajut, opak, pemdes, kecamatan])
    db.session.flush()

    people = [
        dict(username="kesra", full_name="Rina Marlina (Kasi Kesra)", role=Role.OFFICER,
             phone="081200000101", assigned_villages=[katapang]),
        dict(username="ladu", full_name="Ibu Euis (Ladu Ketan RW 09)", role=Role.PRODUCER,
             phone="081200000201", village=katapang, group=ladu),
        dict(username="rajut", full_name="Ibu Neneng (Tas Rajut RW 09)", role=Role.PRODUCER,
             phone="081200000202", village=katapang, group=rajut),
        dict(username="ka", full_name="Kiki Aulia (KA)", role=Role.RESELLER,
             phone="081200000301", village=katapang),
        dict(username="ge", full_name="Gilang Eka (GE)", role=Role.RESELLER,
             phone="081200000302", village=katapang),
        dict(username="pemdes", full_name="Sekretariat Desa Katapang", role=Role.PARTNER,
             phone="081200000401", village=katapang, partner=pemdes),
    ]
    logins, users = [], {}
    for person in people:
        user = open_account(password=DEMO_PASSWORD, **person)
        users[user.username] = user
        logins.append((user.username, user.role, user.full_name))
    snacks, bags = _demo_catalogue(ladu, rajut, users)
    ladu.baseline_monthly_turnover = 15_000_000  # before MRSE (from the study)
    rajut.baseline_monthly_turnover = 10_000_000
    _demo_fund_rules(ladu, rajut, users)
    _demo_orders(snacks, bags, users)
    # The orders were moved into the past after shipping: count them in their months.
    db.session.flush()
    summaries.rebuild()
    _demo_events(katapang, pemdes, kecamatan, ladu, rajut, snacks, users)
    _demo_consignment(ladu, rajut, snacks, bags, users)
    _demo_fund_use(ladu, rajut, users)
    _demo_proposal(ladu, users)
    # A year of the past in every channel, for the reports and the proposal.
    load_history(katapang, ladu, rajut, snacks, bags, pemdes, kecamatan, users)
    return logins


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


def _demo_catalogue(ladu, rajut, users) -> None:
    """Products of both Katapang groups and the claims of resellers KA and GE."""
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


CUSTOMERS = [
    ("Bu Sari", "Jl. Raya Katapang No. 5", "Katapang", "shopee"),
    ("Pak Ujang", "Perum Griya Sangkan Blok C2", "Katapang", "whatsapp"),
    ("Teh Rini", "Jl. Terusan Kopo No. 120", "Margahayu", "instagram"),
    ("Kang Dadan", "Kp. Cilampeni RT 02 RW 05", "Katapang", "website"),
    ("Bu Enok", "Jl. Sukamenak No. 8", "Margahayu", "facebook"),
    ("Mbak Wulan", "Jl. Soreang Raya No. 44", "Soreang", "shopee"),
]


def _demo_orders(snacks, bags, users) -> None:
    """About four weeks of orders by KA and GE in every status."""
    ka, ge, ladu, rajut = users["ka"], users["ge"], users["ladu"], users["rajut"]
    now = utcnow()
    plan = [
        # days ago, reseller, product, quantity, final step
        (27, ka, snacks[0], 10, "finish"), (25, ge, snacks[0], 6, "finish"),
        (23, ka, bags[0], 2, "finish"), (20, ka, snacks[1], 8, "finish"),
        (18, ge, snacks[0], 12, "finish"), (15, ka, snacks[0], 5, "finish"),
        (13, ka, bags[0], 1, "finish"), (10, ge, snacks[0], 8, "ship"),
        (8, ka, snacks[1], 4, "ship"), (6, ka, bags[0], 1, "ship"),
        (4, ge, snacks[0], 10, "cancel"), (2, ka, snacks[0], 6, "pack"),
        (1, ge, snacks[0], 4, "confirm"), (0, ka, snacks[1], 3, None),
    ]
    steps = ["confirm", "pack", "ship", "finish"]
    made = []
    for n, (days_ago, reseller, product, quantity, last) in enumerate(plan):
        name, address, kecamatan, channel = CUSTOMERS[n % len(CUSTOMERS)]
        order = create_orders(reseller, {
            "channel": channel, "customer_name": name, "address": address,
            "kecamatan": kecamatan, "kabupaten": "Kabupaten Bandung", "payment": "paid",
            "courier": "JNE", "courier_service": "REG", "shipping_cost": 10_000,
            "dropship": True,
        }, {product.id: quantity})[0]
        producer = ladu if product.group_id == snacks[0].group_id else rajut
        if last == "cancel":
            change_status(order, "cancel", reseller, reason="Pembeli membatalkan")
        elif last:
            for step in steps[: steps.index(last) + 1]:
                actor = reseller if step == "finish" else producer
                change_status(order, step, actor, tracking_number=f"JNE{8800120 + n}")
        _backdate(order, now - timedelta(days=days_ago, hours=3))
        made.append(order)
    # A bag arrived with a broken strap: the group bears it, KA gets a credit.
    bag_order = made[2]
    record_return(bag_order, bag_order.lines[0], 1, "defect", "producer", False, rajut,
                  note="Tali tas putus")
    # KA and GE pay the groups for part of what was shipped; one transfer still waits.
    today = today_in()
    for reseller, producer, group_id, amount, days_ago, ref, decide in [
        (ka, ladu, snacks[0].group_id, 120_000, 14, "BRI 0311", True),
        (ge, ladu, snacks[0].group_id, 72_000, 12, "DANA 5521", True),
        (ka, rajut, bags[0].group_id, 60_000, 9, "BJB 7710", True),
        (ka, ladu, snacks[0].group_id, 96_000, 1, "BRI 0412", False),
    ]:
        group = db.session.get(ProducerGroup, group_id)
        payment = submit_payment(reseller, group, amount, today - timedelta(days=days_ago),
                                 ref, None, reseller, form_token=None)
        if decide:
            decide_payment(payment, "confirm", producer)


def _backdate(order, when) -> None:
    """Move a demo order (its steps and promised capacity) into the past."""
    shift = when - order.created_at
    old_day = order.ship_date
    order.ship_date = (when + timedelta(days=1)).date() if order.status != "new" else old_day
    for name in ("created_at", "confirmed_at", "packed_at", "shipped_at", "finished_at",
                 "cancelled_at"):
        if getattr(order, name) is not None:
            setattr(order, name, getattr(order, name) + shift)
    for event in order.events:
        event.created_at += shift
    if order.status in ("confirmed", "packed", "shipped", "finished"):
        for line in order.lines:
            if line.product.made_to_order and order.ship_date != old_day:
                release_capacity(line.product, old_day, line.quantity)
                reserve_capacity(line.product, order.ship_date, line.quantity)
    db.session.flush()


def _demo_events(village, pemdes, kecamatan, ladu, rajut, snacks, users) -> None:
    """A partnership with Pemdes, the monthly village meeting and a Kecamatan
    Musrenbang, each with snacks booked from the two groups."""
    kesra = users["kesra"]
    today = today_in()
    partnership = create_partnership(pemdes, [ladu, rajut], {
        "title": "Penyediaan makanan ringan lokal untuk rapat dan acara desa",
        "scope": "Kelompok menyediakan snack box dan kue khas Katapang untuk setiap rapat "
                 "dan acara Pemerintah Desa Katapang, serta cendera mata tas rajut.",
        "price_terms": "Snack box Rp 15.000 per orang; pembayaran paling lambat 14 hari "
                       "setelah kwitansi diterima, melalui transfer ke rekening kelompok.",
        "starts_on": today.replace(day=1), "ends_on": date(today.year, 12, 31),
    }, kesra)
    change_partnership_status(partnership, "activate", kesra)
    issue_letter_number(partnership, "offer", kesra)
    set_spending_ceiling(village, today.year, "snack", 21_000, kesra)
    set_spending_ceiling(village, today.year, "meal", 50_000, kesra)
    meetings = [
        (pemdes, "Rapat Bulanan Desa Katapang", "Aula Kantor Desa Katapang", 7, 9, 40,
         [(ladu, snacks[0], 40, 15_000)]),
        (kecamatan, "Musrenbang Kecamatan Katapang", "Aula Kecamatan Katapang", 12, 8, 80,
         [(ladu, snacks[1], 60, 17_000), (ladu, snacks[2], 20, 17_000),
          (rajut, None, 5, 80_000)]),
    ]
    for partner, title, place, days_ahead, hour, headcount, lines in meetings:
        day = today + timedelta(days=days_ahead)
        event = create_event(partner, {
            "title": title, "place": place, "headcount": headcount,
            "starts_at": combine_local(day, time(hour), village),
            "ends_at": combine_local(day, time(hour + 3), village),
        }, kesra)
        outcome = book_catering(event, {
            "kind": "snack", "deliver_at": combine_local(day, time(hour - 1, 30), village),
            "deliver_place": place, "dietary_notes": "Halal; 3 peserta tanpa gula.",
        }, [{"group_id": group.id, "product_id": getattr(product, "id", None),
             "description": None if product else "Tas rajut cendera mata narasumber",
             "quantity": quantity, "unit_price": price}
            for group, product, quantity, price in lines], kesra)
        if partner is pemdes:
            confirm_lines(outcome.booking, users["ladu"])


def _demo_fund_rules(ladu, rajut, users) -> None:
    """Ladu ketan sets aside 2,5 % of each sale; the knitters Rp 50.000 a month."""
    today = today_in()
    set_fund_rule(ladu, {"mode": "percent", "rate_bp": 250,
                         "starts_on": today - timedelta(days=60)}, users["ladu"])
    three_months_back = (today.replace(day=1) - timedelta(days=70)).replace(day=1)
    set_fund_rule(rajut, {"mode": "fixed", "fixed_amount": 50_000,
                          "starts_on": three_months_back}, users["rajut"])


def _demo_consignment(ladu, rajut, snacks, bags, users) -> None:
    """Two outlets: a warung with ladu ketan (one batch past its pull-back day) and
    a market kiosk with knitted bags."""
    today = today_in()
    warung = create_outlet(ladu, {
        "name": "Warung Bu Iis", "kind": "warung", "owner_name": "Bu Iis",
        "phone": "081200000501", "outlet_village": "Katapang",
        "address": "Jl. Raya Katapang No. 17, dekat SDN Katapang 1",
    }, users["ladu"])
    kios = create_outlet(rajut, {
        "name": "Kios Pasar Katapang", "kind": "pasar", "owner_name": "Pak Dede",
        "phone": "081200000502", "outlet_village": "Katapang",
        "address": "Pasar Katapang, los B no. 4",
    }, users["rajut"])
    ladu_cut = {"cut_kind": "percent", "cut_value": 1_000}  # the warung keeps 10 %
    older = place_drop(warung, snacks[0], {
        "quantity": 20, "unit_price": None, **ladu_cut,
        "placed_on": today - timedelta(days=16), "pull_back_on": None,
    }, users["ladu"]).drop
    record_visit(warung, {"visited_on": today - timedelta(days=9), "cash_collected": 100_000},
                 [{"drop_id": older.id, "remaining": 6, "returned": 0, "expired": 0}],
                 users["ladu"])
    place_drop(warung, snacks[1], {
        "quantity": 15, "unit_price": None, **ladu_cut,
        "placed_on": today - timedelta(days=2), "pull_back_on": None,
    }, users["ladu"])
    place_drop(kios, bags[0], {
        "quantity": 3, "unit_price": None, "cut_kind": "fixed", "cut_value": 5_000,
        "placed_on": today - timedelta(days=10), "pull_back_on": None,
    }, users["rajut"])


def _demo_fund_use(ladu, rajut, users) -> None:
    """The knitters helped a family in need (approved); ladu ketan asks for a gift
    to orphans, waiting for the officer."""
    today = today_in()
    help_family = request_disbursement(rajut, {
        "amount": 100_000, "purpose": "poor_families", "recipient": "Keluarga Bpk. Karta",
        "description": "Bantuan sembako untuk keluarga yang rumahnya terkena banjir.",
        "occurred_on": today - timedelta(days=5),
    }, users["rajut"])
    decide_disbursement(help_family.entry, "approve", users["kesra"],
                        note="Disetujui, sesuai musyawarah kelompok.")
    request_disbursement(ladu, {
        "amount": 10_000, "purpose": "orphans", "recipient": "Anak yatim RW 09",
        "description": "Santunan Jumat untuk anak yatim RW 09.", "occurred_on": today,
    }, users["ladu"])


def _demo_proposal(ladu, users) -> None:
    """Ladu ketan asks Dinas Koperasi for equipment to make more; the proposal waits
    for the officer's review."""
    proposal = create_proposal(ladu, {
        "title": "Penambahan alat produksi ladu ketan",
        "funder_kind": "dinas_koperasi",
        "funder_name": "Kepala Dinas Koperasi dan UMKM Kabupaten Bandung",
        "funder_address": "Jl. Raya Soreang Km. 17, Soreang, Kabupaten Bandung",
        "background": "Kelompok Ladu Ketan RW 09 membuat ladu ketan sejak 1999. Sejak "
                      "bekerja sama dengan reseller karang taruna dan Pemerintah Desa, "
                      "pesanan sering melebihi kapasitas produksi harian.",
        "aims": "Menambah kapasitas produksi dari 60 menjadi 120 pak per hari dan "
                "memperbaiki kemasan agar tahan lebih lama.",
        "activities": "1. Pembelian mesin penggiling ketan.\n2. Pembelian kompor dan "
                      "wajan besar.\n3. Pelatihan kemasan dan label halal.",
        "closing": "Demikian proposal ini kami sampaikan. Atas perhatian dan bantuannya "
                   "kami ucapkan terima kasih.",
        "secretary_name": "Ibu Yati", "treasurer_name": "Ibu Cucu",
        "requested_amount": None, "evidence_months": 6,
    }, users["ladu"]).proposal
    add_budget_lines(proposal, [
        {"item": "Mesin penggiling ketan", "volume": 1, "unit": "unit",
         "unit_price": 4_500_000},
        {"item": "Kompor dua tungku dan wajan besar", "volume": 2, "unit": "set",
         "unit_price": 850_000},
        {"item": "Pelatihan kemasan dan label", "volume": 15, "unit": "orang",
         "unit_price": 100_000},
    ], users["ladu"])
    take_step(proposal, "submit", users["ladu"])
