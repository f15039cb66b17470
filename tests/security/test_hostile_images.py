"""Hostile pictures: small files declaring huge pictures, sent as a product photo and as
a payment receipt. Each is refused from its header, with a clear message, before its
pixels are decoded (no pixel of it is ever read): nothing is stored, and the process
grows by little memory. Speed is measured in bench/images.py, not here; the CPU bound
below only catches a decode of seconds.
A phone photo still passes, and the three sizes of a product photo come from one decode.
"""

import io
import resource
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from sqlalchemy import func, select

from bench.images import gif_of_size, jpeg, png_one_bit, webp_lossless
from crm.catalog.models import ProductPhoto
from crm.extensions import db
from crm.settlements.models import ResellerPayment
from tests import factories
from tests.helpers import csrf_token, form_token, reload, text_of

TOO_BIG = ("Gambar terlalu besar: paling besar {mp} megapiksel. Kirim foto dengan ukuran "
           "lebih kecil.")
NOT_ALLOWED = "Unggah gambar PNG, JPG atau WebP."
CPU_BOUND = 5.0  # seconds per request, a guard against whole decodes (old code: up to 30)
MEMORY_BOUND = 200  # MB the process may grow by; the old code needed 250 to 1,900


@pytest.fixture(scope="module")
def hostile():
    """name → (file, words of the refusal). Between 24 and 40 megapixels the old code
    decoded them (40 MP was its limit); beyond, it refused them as well."""
    return {
        "webp-lossless-6300x6300": (webp_lossless(6300, 6300), TOO_BIG.format(mp=12)),
        "webp-lossless-16383x16383": (webp_lossless(16383, 16383), TOO_BIG.format(mp=24)),
        "webp-lossless-4898x4898": (webp_lossless(4898, 4898), TOO_BIG.format(mp=12)),
        "png-6000x6000": (png_one_bit(6000, 6000), TOO_BIG.format(mp=12)),
        "jpeg-7000x5000": (jpeg(7000, 5000), TOO_BIG.format(mp=24)),
        "gif-6000x6000": (gif_of_size(6000, 6000), NOT_ALLOWED),
    }


HOSTILE = ["webp-lossless-6300x6300", "webp-lossless-16383x16383", "webp-lossless-4898x4898",
           "png-6000x6000", "jpeg-7000x5000", "gif-6000x6000"]


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09")
    factories.producer(a, ladu, username="ladu")
    ka = factories.reseller(a, username="ka")
    product = factories.product(ladu, "Ladu Ketan Original")
    return {"ladu": ladu, "ka": ka, "product": product}


class Cost:
    """CPU seconds and growth of the process's peak memory (MB) of a block."""

    def __enter__(self):
        self.peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.started = time.process_time()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.started
        self.grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self.peak) / 1024


@pytest.fixture
def decodes(monkeypatch):
    """The sizes of the pictures whose pixels were decoded while the test ran."""
    decoded = []
    load = ImageFile.ImageFile.load

    def counted_load(image):
        if getattr(image, "tile", None):  # pixels still to be decoded from the file
            decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted_load)
    return decoded


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def post_photo(browser, product, data: bytes, filename: str):
    url = f"/produk/{product.id}"
    return browser.submit(url + "/foto", {"photo": (io.BytesIO(data), filename)}, page=url,
                          content_type="multipart/form-data")


def post_receipt(browser, group, data: bytes, filename: str):
    html = browser.get("/setoran").get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "form_token": form_token(html), "group_id": group.id,
            "amount": "25.000", "paid_on": (date.today() - timedelta(days=1)).isoformat(),
            "reference": "", "proof": (io.BytesIO(data), filename)}
    return browser.client.post("/setoran", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_product_photo_is_refused_before_decoding(app, browser, world, hostile,
                                                          decodes, name):
    data, refusal = hostile[name]
    assert len(data) < 600_000
    browser.login("ladu")
    with Cost() as cost:
        response = post_photo(browser, world["product"], data, "foto.jpg")
    assert response.status_code == 302
    assert refusal in text_of(browser.get(response.headers["Location"]))
    assert reload(world["product"]).photos == []
    assert stored_files(app) == []
    assert decodes == [], f"{name}: pixels decoded"
    assert cost.cpu < CPU_BOUND, f"{name}: {cost.cpu:.2f} s CPU"
    assert cost.grown < MEMORY_BOUND, f"{name}: {cost.grown:.0f} MB"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_receipt_is_refused_before_decoding(app, browser, world, hostile, decodes,
                                                    name):
    data, refusal = hostile[name]
    browser.login("ka")
    with Cost() as cost:
        response = post_receipt(browser, world["ladu"], data, "bukti.jpg")
    assert response.status_code == 400
    assert refusal in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(ResellerPayment)) == 0
    assert stored_files(app) == []
    assert decodes == [], f"{name}: pixels decoded"
    assert cost.cpu < CPU_BOUND, f"{name}: {cost.cpu:.2f} s CPU"
    assert cost.grown < MEMORY_BOUND, f"{name}: {cost.grown:.0f} MB"


def test_a_phone_photo_passes_in_every_size_from_one_decode(app, browser, world, decodes):
    """A 12 MP phone photo: accepted, three sizes, and its pixels decoded once."""
    browser.login("ladu")
    data = jpeg(4000, 3000, mode="RGB")
    with Cost() as cost:
        response = post_photo(browser, world["product"], data, "IMG_0001.jpg")
    assert response.status_code == 302
    assert "Foto sudah ditambahkan." in text_of(browser.get(response.headers["Location"]))
    photo = db.session.scalars(select(ProductPhoto)).one()
    assert sorted(p.parent.name for p in stored_files(app)) == ["lg", "md", "sm"]
    for size, side in (("sm", 400), ("md", 800), ("lg", 1200)):
        served = browser.get(f"/foto/produk/{photo.id}/{size}")
        assert Image.open(io.BytesIO(served.data)).size == (side, side * 3 // 4)
    # One decode, in JPEG draft mode at half scale (2000 × 1500), not 4000 × 3000.
    assert decodes == [(2000, 1500)]
    assert cost.cpu < CPU_BOUND
