"""At most six photos per product, each in its own position (0 to 5), kept by the
database: sixteen uploads at the same moment leave six photos, the others get the
"Maksimal 6 foto" message, never an error page, and no file of theirs is left behind."""

import io
import threading
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.catalog.models import ProductPhoto
from crm.catalog.photos import MAX_PHOTOS
from crm.extensions import db
from tests import factories
from tests.helpers import csrf_token, text_of

UPLOADS = 16
ADDED = "Foto sudah ditambahkan."
FULL = "Maksimal 6 foto per produk."


def jpeg_bytes(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    factories.producer(a, rajut, username="rajut")
    return {"product": factories.product(rajut, "Tas Foto")}


def photos_of(product_id):
    db.session.expire_all()
    return db.session.scalars(select(ProductPhoto).where(
        ProductPhoto.product_id == product_id).order_by(ProductPhoto.position)).all()


def test_parallel_uploads_never_pass_six_photos(app, make_browser, world):
    product_id = world["product"].id
    page = f"/produk/{product_id}"
    browsers, tokens = [], []
    for _ in range(UPLOADS):  # each signed in, its form open, before the race starts
        browser = make_browser()
        browser.login("rajut")
        browsers.append(browser)
        tokens.append(csrf_token(browser.get(page).get_data(as_text=True)))
    pictures = [jpeg_bytes((10 * n, 100, 200)) for n in range(UPLOADS)]
    barrier = threading.Barrier(UPLOADS)
    answers = [None] * UPLOADS

    def upload(n):
        barrier.wait(timeout=60)
        try:
            answers[n] = browsers[n].client.post(
                page + "/foto", content_type="multipart/form-data",
                data={"csrf_token": tokens[n], "photo": (io.BytesIO(pictures[n]), "f.jpg")})
        except Exception as error:  # reported by the assertion below
            answers[n] = error

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(UPLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [getattr(a, "status_code", a) for a in answers] == [302] * UPLOADS
    said = []
    for browser, answer in zip(browsers, answers, strict=True):
        shown = text_of(browser.get(answer.headers["Location"]))
        said.append(ADDED if ADDED in shown else FULL if FULL in shown else shown[:300])
    assert sorted(said) == [ADDED] * MAX_PHOTOS + [FULL] * (UPLOADS - MAX_PHOTOS), said
    photos = photos_of(product_id)
    assert [p.position for p in photos] == list(range(MAX_PHOTOS))
    for size in ("sm", "md", "lg"):
        folder = Path(app.config["UPLOAD_FOLDER"]) / "products" / size
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.filename for p in photos)
    # The product page shows the six, and offers no more.
    html = browsers[0].get(page).get_data(as_text=True)
    assert sum(f"/foto/produk/{p.id}/" in html for p in photos) == MAX_PHOTOS


def test_database_refuses_a_shared_or_seventh_position(app, world):
    product_id = world["product"].id
    db.session.add(ProductPhoto(product_id=product_id, filename="a" * 32 + ".jpg", position=0))
    db.session.commit()
    for position in (0, MAX_PHOTOS, -1):
        db.session.add(ProductPhoto(product_id=product_id, filename="b" * 32 + ".jpg",
                                    position=position))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert [p.position for p in photos_of(product_id)] == [0]


def test_an_upload_takes_the_first_free_position(browser, world):
    """A position left free (a photo removed from the database) is filled first."""
    product_id = world["product"].id
    for position, name in ((0, "a"), (2, "b")):
        db.session.add(ProductPhoto(product_id=product_id, filename=name * 32 + ".jpg",
                                    position=position))
    db.session.commit()
    browser.login("rajut")
    page = f"/produk/{product_id}"
    response = browser.submit(page + "/foto", {"photo": (io.BytesIO(jpeg_bytes("red")), "f.jpg")},
                              page=page, content_type="multipart/form-data")
    assert ADDED in text_of(browser.get(response.headers["Location"]))
    assert [p.position for p in photos_of(product_id)] == [0, 1, 2]


def test_migration_numbers_existing_photos_again_and_keeps_six(fresh_database_url, tmp_path):
    """Photos left by the race before the rule (shared positions, seven or more) are
    numbered 0 to 5 in their order (position, then upload); those beyond are removed."""
    from flask_migrate import upgrade

    from crm import create_app
    from tests.conftest import _config

    app = create_app(_config(fresh_database_url("photos"), tmp_path))
    with app.app_context():
        upgrade(revision="856d59197f3a")
        group = factories.group(factories.village("Katapang"), "Tas Rajut RW 09")
        product_id = factories.product(group, "Tas Foto").id
        other_id = factories.product(group, "Tas Lain").id
        db.session.commit()
        rows = [(product_id, position, f"{n:032x}.jpg")
                for n, position in enumerate([1, 0, 0, 3, 1, 5, 4, 2])]
        rows.append((other_id, 3, "f" * 32 + ".jpg"))
        insert = ProductPhoto.__table__.insert()
        with db.engine.begin() as connection:
            for row_product, position, filename in rows:
                connection.execute(insert.values(product_id=row_product, position=position,
                                                 filename=filename))
        db.session.remove()
        upgrade()
        kept = [(p.position, p.filename[-5]) for p in photos_of(product_id)]
        # Old order by (position, id): 0 (ids 2, 3), 1 (ids 1, 5), 2 (id 8), 3 (id 4), …
        assert kept == [(0, "1"), (1, "2"), (2, "0"), (3, "4"), (4, "7"), (5, "3")]
        assert [p.position for p in photos_of(other_id)] == [0]
        db.session.remove()
        db.engine.dispose()
