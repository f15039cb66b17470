"""The audit trail: changes are written with who/when/old → new; officers read it per
record in their own villages; nobody can edit or delete it."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.extensions import db
from tests import factories
from tests.helpers import text_of


@pytest.fixture
def world(app):
    katapang = factories.village(name="Katapang")
    other = factories.village(name="Gandasari")
    group = factories.group(katapang, "Tas Rajut RW 09", kind="craft")
    far_group = factories.group(other, "Kelompok Jauh")
    factories.officer(katapang, username="kesra")
    factories.officer(other, username="kesra2")
    factories.producer(katapang, group, username="rajut")
    factories.reseller(katapang, username="ka")
    bag = factories.product(group, "Tas <b>Mini</b>", category="kerajinan", unit="pcs")
    far = factories.product(far_group, "Produk Jauh")
    return {"bag": bag.id, "far": far.id}


def _stock(browser, product_id, quantity):
    return browser.submit(f"/produk/{product_id}/stok",
                          {"kind": "adjustment", "quantity": str(quantity), "note": "hitung"},
                          page=f"/produk/{product_id}")


def test_a_stock_change_is_recorded_and_the_officer_reads_it(world, browser, make_browser):
    rajut = make_browser()
    rajut.login("rajut")
    assert _stock(rajut, world["bag"], 7).status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity == "stock", AuditEntry.entity_id == world["bag"]))
    assert entry.actor.username == "rajut" and entry.at is not None
    assert entry.changes == {"quantity": 7, "balance": 7}

    browser.login("kesra")
    page = browser.get(f"/riwayat/stock/{world['bag']}")
    assert page.status_code == 200
    text = text_of(page)
    assert "stock #" in text and "quantity" in text and "7" in text

    listing = browser.get("/riwayat/?jenis=product")
    assert listing.status_code == 200 and "product #" in text_of(listing)
    # Stored values are shown escaped.
    assert b"<b>Mini</b>" not in listing.data


def test_other_villages_and_other_roles_cannot_read_it(world, make_browser):
    rajut = make_browser()
    rajut.login("rajut")
    _stock(rajut, world["bag"], 3)
    kesra2 = make_browser()
    kesra2.login("kesra2")
    assert kesra2.get(f"/riwayat/stock/{world['bag']}").status_code == 404
    assert f"stock #{world['bag']}" not in text_of(kesra2.get("/riwayat/"))
    for login in ("rajut", "ka"):
        other = make_browser()
        other.login(login)
        assert other.get(f"/riwayat/stock/{world['bag']}").status_code == 403
        assert other.get("/riwayat/").status_code == 403


def test_no_route_changes_or_deletes_audit_rows(world, app, make_browser):
    rajut = make_browser()
    rajut.login("rajut")
    _stock(rajut, world["bag"], 2)
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    kesra = make_browser()
    kesra.login("kesra")
    url = f"/riwayat/stock/{world['bag']}"
    for method in ("post", "put", "patch", "delete"):
        assert getattr(kesra.client, method)(url).status_code in (400, 405)
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


# Each change to money, stock, bookings, proposals and the fund, taken through the
# pages by the person who may take it: (login, url, form, entity, record key).
STEPS = [
    ("ladu", "/pesanan/{order_id}/konfirmasi", {}, "order", "order_id"),
    ("ladu", "/setoran/{payment_id}/konfirmasi", {}, "reseller_payment", "payment_id"),
    ("kesra", "/pesanan-acara/{booking_id}/kirim", {}, "booking", "booking_id"),
    ("kesra", "/proposal/{proposal_id}/langkah/kembalikan",
     {"comment": "Lengkapi foto produk."}, "proposal", "proposal_id"),
    ("kesra", "/dana-sosial/penyaluran/{entry_id}/setujui", {"note": "Setuju."},
     "fund_entry", "entry_id"),
]


def test_every_change_to_money_stock_bookings_proposals_and_fund_is_audited(app,
                                                                             make_browser):
    from tests.security.records import owner_a_records
    from tests.security.world import build_world

    build_world()
    records = owner_a_records()
    for login, url, data, entity, key in STEPS:
        before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == entity, AuditEntry.entity_id == records[key]))
        browser = make_browser()
        browser.login(login)
        target = url.format(**records)
        page = target.rsplit("/", 2)[0] if "langkah" in target else target.rsplit("/", 1)[0]
        response = browser.submit(target, data, page=page)
        assert response.status_code == 302, (target, response.status_code)
        db.session.expire_all()
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.entity == entity, AuditEntry.entity_id == records[key])
            .order_by(AuditEntry.id)).all()
        assert len(entries) == before + 1, target
        last = entries[-1]
        assert last.actor.username == login and last.at is not None
        old, new = last.changes["status"]
        assert old != new, last.changes
        # The officer reads it on the record's history page.
        kesra = make_browser()
        kesra.login("kesra")
        history = text_of(kesra.get(f"/riwayat/{entity}/{records[key]}"))
        assert f"{old} → {new}" in history
