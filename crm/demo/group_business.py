"""What the demo's groups do besides orders: consignment at a warung and a market
kiosk, their community fund (its rules and its use) and a capital proposal."""

from datetime import timedelta

from crm.consignment.services import create_outlet, place_drop
from crm.consignment.visits import record_visit
from crm.fund.services import decide_disbursement, request_disbursement, set_fund_rule
from crm.proposals.services import add_budget_lines, create_proposal
from crm.proposals.workflow import take_step
from crm.text.dates import today_in


def add_fund_rules(ladu, rajut, users) -> None:
    """Ladu ketan sets aside 2,5 % of each sale; the knitters Rp 50.000 a month."""
    today = today_in()
    set_fund_rule(ladu, {"mode": "percent", "rate_bp": 250,
                         "starts_on": today - timedelta(days=60)}, users["ladu"])
    three_months_back = (today.replace(day=1) - timedelta(days=70)).replace(day=1)
    set_fund_rule(rajut, {"mode": "fixed", "fixed_amount": 50_000,
                          "starts_on": three_months_back}, users["rajut"])


def add_consignment(ladu, rajut, snacks, bags, users) -> None:
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


def add_fund_use(ladu, rajut, users) -> None:
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


def add_proposal(ladu, users) -> None:
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
