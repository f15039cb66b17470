"""Product photos in three sizes (sm, md, lg): stored at upload, ``md`` made on demand
for photos uploaded before it existed, and offered to browsers through ``srcset``."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

from crm.catalog.photos import PHOTO_SIZES
from crm.extensions import db
from crm.resellers.models import Claim
from tests import factories
from tests.helpers import reload

SRCSET = re.compile(r'<img [^>]*srcset="([^"]+)"[^>]*sizes="([^"]+)"')


def jpeg_bytes(size=(1600, 1200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, rajut, username="rajut")
    ka = factories.reseller(a, username="ka")
    return {"rajut": rajut, "ka": ka}


@pytest.fixture
def uploaded(browser, world):
    """A product with one photo (1600 x 1200) sent through the upload form."""
    product = factories.product(world["rajut"], "Tas Foto")
    browser.login("rajut")
    url = f"/produk/{product.id}"
    response = browser.submit(url + "/foto", {"photo": (io.BytesIO(jpeg_bytes()), "tas.jpg")},
                              page=url, content_type="multipart/form-data")
    assert response.status_code == 302
    return reload(product).photos[0]


def stored_file(app, size, photo):
    return Path(app.config["UPLOAD_FOLDER"]) / "products" / size / photo.filename


def longest_side(response) -> int:
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    return max(Image.open(io.BytesIO(response.data)).size)


def test_upload_stores_every_size(app, browser, uploaded):
    assert PHOTO_SIZES == {"sm": 400, "md": 800, "lg": 1200}
    for size, side in PHOTO_SIZES.items():
        assert stored_file(app, size, uploaded).is_file()
        assert longest_side(browser.get(f"/foto/produk/{uploaded.id}/{size}")) == side


def test_missing_middle_size_is_made_once_from_the_large_file(app, browser, uploaded):
    md = stored_file(app, "md", uploaded)
    md.unlink()
    assert longest_side(browser.get(f"/foto/produk/{uploaded.id}/md")) == 800
    assert md.is_file() and max(Image.open(md).size) == 800
    made = md.stat().st_mtime_ns
    assert longest_side(browser.get(f"/foto/produk/{uploaded.id}/md")) == 800
    assert md.stat().st_mtime_ns == made  # served from disk, not made again
    assert sorted(p.name for p in md.parent.iterdir()) == [uploaded.filename]


def test_missing_files_and_unknown_sizes_answer_404(app, browser, uploaded):
    for size in ("xl", "md.jpg", "LG", "products"):
        assert browser.get(f"/foto/produk/{uploaded.id}/{size}").status_code == 404
    assert browser.get(f"/foto/produk/{uploaded.id + 1000}/md").status_code == 404
    # Without the large file there is nothing to make the middle size from.
    stored_file(app, "md", uploaded).unlink()
    stored_file(app, "lg", uploaded).unlink()
    assert browser.get(f"/foto/produk/{uploaded.id}/md").status_code == 404
    assert not stored_file(app, "md", uploaded).exists()
    # Only the middle size is made on demand: a missing small file stays missing.
    stored_file(app, "sm", uploaded).unlink()
    assert browser.get(f"/foto/produk/{uploaded.id}/sm").status_code == 404


def srcsets(html: str) -> list[tuple[list[tuple[str, str]], str]]:
    """Every ``srcset`` of the page as (url, width) pairs, with its ``sizes``."""
    found = []
    for srcset, sizes in SRCSET.findall(html):
        pairs = [tuple(part.strip().split(" ")) for part in unescape(srcset).split(",")]
        found.append((pairs, unescape(sizes)))
    return found


@pytest.mark.parametrize("page", ["/katalog", "/katalog/produk/{product_id}"])
def test_public_pages_offer_three_widths_that_all_load(app, browser, uploaded, make_browser,
                                                       page):
    visitor = make_browser()
    # An older photo without the middle size: the page's md link still loads.
    stored_file(app, "md", uploaded).unlink()
    html = visitor.get(page.format(product_id=uploaded.product_id)).get_data(as_text=True)
    found = srcsets(html)
    assert len(found) == 1
    pairs, sizes = found[0]
    assert [width for _url, width in pairs] == ["400w", "800w", "1200w"]
    assert "vw" in sizes or "rem" in sizes
    for (url, width), (size, side) in zip(pairs, PHOTO_SIZES.items(), strict=True):
        assert (url, width) == (f"/foto/produk/{uploaded.id}/{size}", f"{side}w")
        assert longest_side(visitor.get(url)) == side
    assert stored_file(app, "md", uploaded).is_file()


def test_public_product_page_keeps_first_photo_eager(app, browser, uploaded):
    url = f"/produk/{uploaded.product_id}"
    browser.submit(url + "/foto", {"photo": (io.BytesIO(jpeg_bytes((900, 600))), "b.jpg")},
                   page=url, content_type="multipart/form-data")
    html = browser.get(f"/katalog/produk/{uploaded.product_id}").get_data(as_text=True)
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2 and all("srcset=" in img and 'width="1200"' in img for img in images)
    assert 'loading="lazy"' not in images[0] and 'loading="lazy"' in images[1]


def test_signed_in_pages_offer_the_sizes_for_thumbnails(browser, uploaded):
    html = browser.get(f"/produk/{uploaded.product_id}").get_data(as_text=True)
    ((pairs, sizes),) = srcsets(html)
    assert [width for _url, width in pairs] == ["400w", "800w", "1200w"]
    assert sizes == "160px"
    assert re.search(r'<img [^>]*srcset="[^"]*"[^>]*width="160" height="160" loading="lazy"', html)


def test_listing_kit_thumbnails_offer_the_sizes(world, uploaded, make_browser):
    claim = Claim(product_id=uploaded.product_id, reseller_id=world["ka"].id,
                  village_id=world["ka"].village_id, status="active", channels="whatsapp")
    db.session.add(claim)
    db.session.commit()
    reseller = make_browser()
    reseller.login("ka")
    html = reseller.get(f"/klaim/{claim.id}").get_data(as_text=True)
    ((pairs, sizes),) = srcsets(html)
    assert [width for _url, width in pairs] == ["400w", "800w", "1200w"]
    assert sizes == "160px"
    assert f'href="/foto/produk/{uploaded.id}/lg" download' in html
