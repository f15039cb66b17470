"""Claims: a reseller takes a product to sell; cap, approval, withdraw, end; listing
kit and CSV; scoping between resellers, producers and villages."""

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from crm.auth.models import User
from crm.catalog.models import Product
from crm.extensions import db
from crm.resellers.models import Claim, ResellerProfile
from crm.resellers.services import claim_product
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import csrf_token, post_at_once, reload, run_at_once, text_of


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.officer(a, username="kesra")
    factories.officer(b, username="kesrab")
    ka = factories.reseller(a, username="ka", full_name="Kiki Aulia", phone="0812-1111-0001")
    ge = factories.reseller(a, username="ge", full_name="Gilang Eka")
    factories.reseller(b, username="rb", full_name="Rudi Budiman")
    snack = factories.product(ladu, "Ladu Ketan Original", description="Gurih & manis.",
                              made_to_order=True, daily_capacity=100, weight_grams=250,
                              reseller_price=12_000, retail_price=15_000)
    bag = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            claim_cap=1, claim_needs_approval=True, reseller_price=60_000,
                            retail_price=80_000, cost_price=45_000)
    other = factories.product(opak, "Opak Ketan")
    return {"a": a, "b": b, "snack": snack, "bag": bag, "other": other, "ka": ka, "ge": ge}


def claim_via_form(browser, product_id, channels=("whatsapp", "shopee")):
    return browser.submit(f"/produk/{product_id}/klaim", {"channels": list(channels)})


def open_claims(product_id):
    return db.session.scalars(select(Claim).where(
        Claim.product_id == product_id, Claim.status.in_(("pending", "active")))).all()


def test_reseller_gets_a_personal_code_from_initials(world):
    codes = dict(db.session.execute(select(User.username, ResellerProfile.code).join(
        ResellerProfile, ResellerProfile.user_id == User.id)).all())
    assert codes["ka"] == "KA" and codes["ge"] == "GE"
    other = factories.reseller(world["a"], username="ka2", full_name="Kurnia Anggraeni")
    assert reload(other) and db.session.scalar(select(ResellerProfile.code).where(
        ResellerProfile.user_id == other.id)) == "KA2"


def test_reseller_claims_a_product_and_gets_a_listing_kit(browser, world):
    browser.login("ka")
    page = browser.get("/klaim/pilih")
    assert "Ladu Ketan Original" in text_of(page) and "Opak Ketan" not in text_of(page)
    response = claim_via_form(browser, world["snack"].id, ("whatsapp", "website"))
    assert response.status_code == 302
    claim = db.session.scalar(select(Claim))
    assert claim.status == "active" and claim.channel_list == ["whatsapp", "website"]
    kit = browser.get(response.headers["Location"])
    html = kit.get_data(as_text=True)
    body = text_of(kit)
    assert 'value="Ladu Ketan Original - Ladu Ketan RW 09 Katapang"' in html
    assert "Rp 3.000" in body  # margin: 15.000 − 12.000
    assert "• Berat: 250 gram per pak" in body and "Gurih & manis." in body
    assert "Gurih &amp; manis." in html  # user text is escaped
    # The share link is wa.me with the url-encoded text naming the product, the
    # price and the reseller's own catalogue link.
    link = next(part.split('"')[0] for part in html.split('href="')
                if part.startswith("https://wa.me/"))
    assert link.startswith("https://wa.me/?text=")
    encoded = link.split("text=", 1)[1]
    assert " " not in encoded and "%20" in encoded and "%3A%2F%2F" in encoded
    text = parse_qs(urlparse(link.replace("&amp;", "&")).query)["text"][0]
    assert "Ladu Ketan Original, Rp 15.000 per pak" in text
    # KA has not switched her public page on: the village catalogue's own link.
    assert f"http://localhost/katalog/produk/{world['snack'].id}" in text


def test_no_channel_chosen_is_refused_with_a_clear_message(browser, world):
    browser.login("ka")
    response = claim_via_form(browser, world["snack"].id, channels=())
    assert response.status_code == 200
    assert "Pilih minimal satu tempat jualan." in text_of(response)
    assert open_claims(world["snack"].id) == []


def test_claim_cap_and_approval(browser, make_browser, world):
    bag = world["bag"]
    browser.login("ka")
    claim_via_form(browser, bag.id)
    claim = db.session.scalar(select(Claim).where(Claim.product_id == bag.id))
    assert claim.status == "pending"
    # A pending claim has no listing kit yet.
    assert "Bahan jualan" not in text_of(browser.get(f"/klaim/{claim.id}"))
    # The cap of 1 is taken: GE is refused and nothing is stored.
    ge = make_browser()
    ge.login("ge")
    refused = claim_via_form(ge, bag.id)
    assert "Kuota reseller untuk produk ini sudah penuh." in text_of(refused)
    assert len(open_claims(bag.id)) == 1
    # The producer of the bags approves; the ladu producer cannot even see the claim.
    ladu = make_browser()
    ladu.login("ladu")
    assert ladu.submit(f"/klaim/{claim.id}/setujui", page="/klaim").status_code == 404
    assert reload(claim).status == "pending"
    rajut = make_browser()
    rajut.login("rajut")
    assert "Kiki Aulia" in text_of(rajut.get("/klaim?status=pending"))
    rajut.submit(f"/klaim/{claim.id}/setujui", page="/klaim")
    assert reload(claim).status == "active"
    assert "Bahan jualan" in text_of(browser.get(f"/klaim/{claim.id}"))
    # KA withdraws: the place is free again and GE may claim.
    browser.submit(f"/klaim/{claim.id}/lepas", page=f"/klaim/{claim.id}")
    assert reload(claim).status == "withdrawn"
    assert reload(bag).claim_count == 0
    claim_via_form(ge, bag.id)
    second = open_claims(bag.id)
    assert [c.reseller_id for c in second] == [world["ge"].id]
    # The producer rejects it with a reason; withdrawing it afterwards is refused.
    rajut.submit(f"/klaim/{second[0].id}/tolak", {"reason": "Stok sedang kosong"},
                 page="/klaim")
    assert reload(second[0]).status == "rejected"
    assert reload(second[0]).close_reason == "Stok sedang kosong"
    response = ge.submit(f"/klaim/{second[0].id}/lepas", page="/klaim", follow_redirects=True)
    assert "tidak bisa dilakukan" in text_of(response)
    assert reload(bag).claim_count == 0


def test_producer_ends_a_claim(browser, make_browser, world):
    browser.login("ka")
    claim_via_form(browser, world["snack"].id)
    claim = db.session.scalar(select(Claim))
    producer = make_browser()
    producer.login("ladu")
    producer.submit(f"/klaim/{claim.id}/akhiri", {"reason": "Libur produksi"},
                    page=f"/klaim/{claim.id}")
    assert reload(claim).status == "ended"
    assert reload(world["snack"]).claim_count == 0
    # The reseller may claim it again later.
    claim_via_form(browser, world["snack"].id)
    assert len(open_claims(world["snack"].id)) == 1


def test_reseller_sees_only_own_claims(browser, make_browser, world):
    browser.login("ka")
    claim_via_form(browser, world["snack"].id)
    ka_claim = db.session.scalar(select(Claim))
    ge = make_browser()
    ge.login("ge")
    assert "Ladu Ketan Original" not in text_of(ge.get("/klaim"))
    assert ge.get(f"/klaim/{ka_claim.id}").status_code == 404
    assert ge.submit(f"/klaim/{ka_claim.id}/lepas", page="/klaim").status_code == 404
    assert reload(ka_claim).status == "active"
    # A reseller cannot take the producer's steps on own claim either.
    assert browser.submit(f"/klaim/{ka_claim.id}/akhiri", page="/klaim").status_code == 404
    # Another village's officer and reseller see nothing of it.
    other = make_browser()
    other.login("kesrab")
    assert other.get(f"/klaim/{ka_claim.id}").status_code == 404
    assert "Ladu Ketan" not in text_of(other.get("/klaim"))
    rb = make_browser()
    rb.login("rb")
    assert rb.get(f"/produk/{world['snack'].id}/klaim").status_code == 404


def test_reseller_cannot_claim_inactive_or_other_village_products(browser, world):
    browser.login("ka")
    assert browser.get(f"/produk/{world['other'].id}/klaim").status_code == 404
    world["snack"].active = False
    db.session.commit()
    assert browser.get(f"/produk/{world['snack'].id}/klaim").status_code == 404
    assert db.session.scalar(select(Claim)) is None


def test_same_claim_twice_creates_one(browser, world):
    browser.login("ka")
    url = f"/produk/{world['snack'].id}/klaim"
    token = csrf_token(browser.get(url).get_data(as_text=True))
    first = browser.client.post(url, data={"csrf_token": token, "channels": ["whatsapp"]})
    again = browser.client.post(url, data={"csrf_token": token, "channels": ["whatsapp"]})
    assert first.status_code == 302 and again.status_code == 302
    assert len(open_claims(world["snack"].id)) == 1
    assert reload(world["snack"]).claim_count == 1


def test_concurrent_claims_never_pass_the_cap(app, world):
    """Eight resellers claim a product with three places at the same moment."""
    product = factories.product(world["snack"].group, "Ladu Kotak Hantaran", claim_cap=3)
    product_id = product.id
    resellers = [factories.reseller(world["a"], username=f"r{n}").id for n in range(8)]

    def claim(user_id):
        claim_product(db.session.get(Product, product_id),
                      db.session.get(User, user_id), ["whatsapp"])

    outcomes = run_at_once(app, claim, resellers, refused="full")
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3, outcomes
    assert reload(product).claim_count == 3
    assert len(open_claims(product_id)) == 3


@pytest.mark.parametrize("slug, login, needs_approval, status", [
    ("lepas", "ka", False, "withdrawn"),
    ("tolak", "ladu", True, "rejected"),
    ("akhiri", "ladu", False, "ended"),
])
def test_step_sent_twelve_times_at_once_gives_one_place_back(
        app, browser, world, slug, login, needs_approval, status):
    """Twelve copies of one release (or reject, or end) at the same moment: one is
    applied, the product's count stays the number of open claims, and the cap holds."""
    product = factories.product(world["snack"].group, "Ladu Kotak Hantaran", claim_cap=3,
                                claim_needs_approval=needs_approval)
    others = [factories.reseller(world["a"], username=f"r{n}") for n in range(4)]
    claim = claim_product(product, world["ka"], ["whatsapp"])
    for reseller in (world["ge"], others[0]):
        claim_product(product, reseller, ["whatsapp"])
    db.session.commit()
    browser.login(login)
    responses = post_at_once(app, browser, f"/klaim/{claim.id}/{slug}",
                             {"reason": "Stok sedang kosong"}, 12, page=f"/klaim/{claim.id}")
    assert [r.status_code for r in responses] == [302] * 12
    assert reload(claim).status == status
    assert reload(product).claim_count == 2 == len(open_claims(product.id))
    # One place is free again: one more reseller gets it, the next ones are refused.
    outcomes = []
    for reseller in others[1:]:
        try:
            claim_product(db.session.get(Product, product.id), reseller, ["whatsapp"])
            db.session.commit()
            outcomes.append("ok")
        except RuleError:
            db.session.rollback()
            outcomes.append("full")
    assert outcomes == ["ok", "full", "full"]
    assert reload(product).claim_count == 3 == len(open_claims(product.id))


def test_csv_export_for_bulk_upload(browser, make_browser, world):
    browser.login("ka")
    claim_via_form(browser, world["snack"].id)
    claim_via_form(browser, world["bag"].id)  # pending: not exported yet
    world["snack"].description = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    response = browser.get("/klaim/ekspor.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["Nama Produk", "Deskripsi", "Harga", "Stok", "Berat (gram)", "SKU"]
    assert len(rows) == 2
    name, description, price, stock, weight, sku = rows[1][:6]
    assert name.startswith("Ladu Ketan Original")
    assert description.startswith("'=HYPERLINK")  # never run as a formula
    assert (price, stock, weight, sku) == ("15000", "100", "250", world["snack"].sku)
    # Other resellers' exports do not contain it.
    ge = make_browser()
    ge.login("ge")
    assert len(list(csv.reader(io.StringIO(ge.get("/klaim/ekspor.csv").get_data(
        as_text=True).lstrip("\ufeff"))))) == 1


def test_partner_and_producer_cannot_claim(make_browser, world):
    for login in ("ladu", "kesra"):
        b = make_browser()
        b.login(login)
        assert b.get(f"/produk/{world['snack'].id}/klaim").status_code == 403
        assert b.get("/klaim/ekspor.csv").status_code == 403
    assert db.session.scalar(select(Claim)) is None


def test_product_page_shows_who_sells_it(browser, make_browser, world):
    browser.login("ka")
    assert "Jual produk ini" in text_of(browser.get(f"/produk/{world['snack'].id}"))
    claim_via_form(browser, world["snack"].id)
    assert "Lihat bahan jualan" in text_of(browser.get(f"/produk/{world['snack'].id}"))
    producer = make_browser()
    producer.login("ladu")
    page = text_of(producer.get(f"/produk/{world['snack'].id}"))
    assert "Reseller yang menjual" in page and "Kiki Aulia" in page
    # GE sees the product but not who else sells it.
    ge = make_browser()
    ge.login("ge")
    assert "Kiki Aulia" not in text_of(ge.get(f"/produk/{world['snack'].id}"))
