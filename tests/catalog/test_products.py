"""Products: price ladder, scoping by group, photos, the stock ledger and its atomic rule."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from crm.catalog.models import Product, StockMovement
from crm.catalog.services import record_stock_movement
from crm.extensions import db
from crm.web.errors import RuleError
from tests import factories
from tests.helpers import csrf_token, form_token, post_at_once, reload, run_at_once, text_of


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, ladu, username="ladu")
    factories.producer(a, rajut, username="rajut")
    factories.officer(a, username="kesra")
    factories.reseller(a, username="ka")
    return {"a": a, "ladu": ladu, "rajut": rajut}


def product_data(**overrides):
    data = {
        "name": "Tas Rajut Mini", "description": "Tas rajut benang katun, 20 x 15 cm.",
        "category": "kerajinan", "unit": "pcs", "weight_grams": "250",
        "cost_price": "45.000", "reseller_price": "Rp 60.000", "retail_price": "Rp 80.000",
        "dropship_price": "", "shelf_life_days": "", "daily_capacity": "", "claim_cap": "3",
        "active": "y",
    }
    data.update(overrides)
    return data


def make_product(group, **kwargs):
    return factories.product(group, kwargs.pop("name", "Produk"), **kwargs)


def test_producer_adds_a_product_with_indonesian_prices(browser, world):
    browser.login("rajut")
    response = browser.submit(f"/kelompok/{world['rajut'].id}/produk/baru", product_data())
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.name == "Tas Rajut Mini"))
    assert (product.cost_price, product.reseller_price, product.retail_price) == (
        45_000, 60_000, 80_000)
    assert product.village_id == world["a"].id and product.claim_cap == 3
    page = text_of(browser.get(response.headers["Location"]))
    assert "Rp 80.000" in page and "Rp 20.000 (25%)" in page


@pytest.mark.parametrize("fields, message", [
    ({"reseller_price": "90.000"}, "tidak boleh lebih tinggi dari harga jual konsumen"),
    ({"cost_price": "70.000"}, "di bawah modal"),
    ({"dropship_price": "50.000"}, "Harga dropship harus di antara"),
    ({"retail_price": "Infinity"}, "misalnya 10.000"),
    ({"retail_price": "80.000,50"}, "tanpa sen"),
    ({"reseller_price": "-5"}, "tidak boleh negatif"),
    ({"weight_grams": "-1"}, "0 sampai 10.000.000"),
    ({"name": ""}, "Isi nama produk."),
    ({"category": "senjata"}, "Not a valid choice"),
    ({"daily_capacity": "", "made_to_order": "y"}, "kapasitas per hari"),
])
def test_bad_product_input_gets_a_clear_error_and_stores_nothing(browser, world, fields,
                                                                  message):
    browser.login("rajut")
    response = browser.submit(f"/kelompok/{world['rajut'].id}/produk/baru",
                              product_data(**fields))
    assert response.status_code == 200
    assert message in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0


def test_producer_sees_and_edits_only_own_group(browser, world):
    other = make_product(world["ladu"], name="Ladu Ketan Original")
    browser.login("rajut")
    assert "Ladu Ketan Original" not in text_of(browser.get("/produk"))
    assert browser.get(f"/produk/{other.id}").status_code == 404
    assert browser.get(f"/produk/{other.id}/ubah").status_code == 404
    assert browser.get(f"/kelompok/{world['ladu'].id}/produk/baru").status_code == 404
    page = browser.get("/produk")
    token = csrf_token(page.get_data(as_text=True))
    posted = browser.client.post(f"/produk/{other.id}/stok", data={
        "csrf_token": token, "kind": "production", "quantity": "5"})
    assert posted.status_code == 404
    assert reload(other).stock == 0


def test_reseller_sees_active_products_but_not_cost_or_ledger(browser, world):
    visible = make_product(world["ladu"], name="Ladu Ketan Wijen")
    hidden = make_product(world["ladu"], name="Ladu Lama", active=False)
    browser.login("ka")
    page = text_of(browser.get(f"/produk/{visible.id}"))
    assert "Rp 8.000" in page and "HPP" not in page and "Rp 5.000" not in page
    assert browser.get(f"/produk/{hidden.id}").status_code == 404
    assert browser.get(f"/produk/{visible.id}/ubah").status_code == 403


def test_stock_ledger_sums_to_on_hand_and_refuses_going_below_zero(browser, make_browser,
                                                                   world):
    product = make_product(world["rajut"], name="Tas Rajut Besar")
    browser.login("rajut")
    url = f"/produk/{product.id}"
    for kind, qty in [("production", "12"), ("defect", "2"), ("adjustment", "-3")]:
        response = browser.submit(url + "/stok", {"kind": kind, "quantity": qty}, page=url)
        assert response.status_code == 302
    assert reload(product).stock == 7
    response = browser.submit(url + "/stok", {"kind": "defect", "quantity": "8"}, page=url)
    assert "Stok tidak cukup." in text_of(browser.get(response.headers["Location"]))
    movements = db.session.scalars(
        select(StockMovement).where(StockMovement.product_id == product.id)).all()
    assert sum(m.quantity for m in movements) == reload(product).stock == 7
    assert [m.balance_after for m in movements] == [12, 10, 7]
    assert "Rusak / cacat" in text_of(browser.get(url))
    ledger = text_of(browser.get(url + "/stok"))
    assert "+12" in ledger and "-2" in ledger and "-3" in ledger and "sisa 7" in ledger
    other = make_browser()
    other.login("ladu")
    assert other.get(url + "/stok").status_code == 404


def test_resent_stock_form_creates_one_movement(browser, world):
    product = make_product(world["rajut"], name="Tas Rajut Kecil")
    browser.login("rajut")
    html = browser.get(f"/produk/{product.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html),
            "kind": "production", "quantity": "4"}
    for _ in range(3):
        browser.client.post(f"/produk/{product.id}/stok", data=data)
    assert reload(product).stock == 4
    assert db.session.scalar(select(func.count()).select_from(StockMovement)) == 1


def test_stock_form_sent_ten_times_at_once_records_one_movement(app, browser, world):
    product = make_product(world["rajut"], name="Tas Rajut Kecil")
    browser.login("rajut")
    page = f"/produk/{product.id}"
    token = form_token(browser.get(page).get_data(as_text=True))
    responses = post_at_once(app, browser, f"{page}/stok",
                             {"form_token": token, "kind": "production", "quantity": "4"},
                             10, page=page)
    assert [(r.status_code, r.headers.get("Location")) for r in responses] \
        == [(302, page)] * 10
    assert reload(product).stock == 4
    assert db.session.scalars(select(StockMovement.quantity)).all() == [4]


def test_made_to_order_product_has_capacity_not_stock(world):
    product = make_product(world["ladu"], name="Ladu Ketan Pesanan", made_to_order=True,
                           daily_capacity=200)
    with pytest.raises(RuleError):
        record_stock_movement(product, "production", 5, actor=None)
    db.session.rollback()
    with pytest.raises(RuleError):
        make_product(world["ladu"], name="Tanpa Kapasitas", made_to_order=True)


def test_twenty_concurrent_takes_never_go_below_zero(app, world):
    """20 requests at once for the last 5 units: exactly 5 succeed, stock ends at 0."""
    product = make_product(world["rajut"], name="Tas Terakhir")
    record_stock_movement(product, "production", 5, actor=None)
    db.session.commit()
    product_id = product.id

    def take(_):
        record_stock_movement(db.session.get(Product, product_id), "order", -1, actor=None)

    outcomes = run_at_once(app, take, range(20))
    assert sorted(outcomes) == ["ok"] * 5 + ["refused"] * 15, outcomes
    assert reload(product).stock == 0
    total = db.session.scalar(select(func.sum(StockMovement.quantity)).where(
        StockMovement.product_id == product.id))
    assert total == 0
    balances = db.session.scalars(select(StockMovement.balance_after).where(
        StockMovement.product_id == product.id, StockMovement.kind == "order")).all()
    assert sorted(balances) == [0, 1, 2, 3, 4]


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_photo_upload_resizes_and_serves_and_refuses_renamed_files(browser, world):
    product = make_product(world["rajut"], name="Tas Foto")
    browser.login("rajut")
    url = f"/produk/{product.id}"
    browser.submit(url + "/foto", {"photo": (io.BytesIO(jpeg_bytes()), "tas.jpg")}, page=url,
                   content_type="multipart/form-data")
    photo = reload(product).photos[0]
    assert photo.filename.endswith(".jpg") and "tas" not in photo.filename
    small = browser.get(f"/foto/produk/{photo.id}/sm")
    assert small.status_code == 200 and max(Image.open(io.BytesIO(small.data)).size) == 400
    large = browser.get(f"/foto/produk/{photo.id}/lg")
    assert max(Image.open(io.BytesIO(large.data)).size) == 1200
    renamed = (io.BytesIO(b"MZ\x90\x00 this is an exe, not a photo"), "foto.jpg")
    response = browser.submit(url + "/foto", {"photo": renamed}, page=url,
                              content_type="multipart/form-data")
    assert "bukan gambar" in text_of(browser.get(response.headers["Location"]))
    assert len(reload(product).photos) == 1


def test_photo_of_inactive_product_is_not_public(client, world):
    product = make_product(world["rajut"], name="Tas Lama", active=False)
    from crm.catalog.photos import add_product_photo

    photo = add_product_photo(product, jpeg_bytes())
    db.session.commit()
    assert client.get(f"/foto/produk/{photo.id}/sm").status_code == 404
    assert client.get(f"/foto/produk/{photo.id}/xl").status_code == 404
