"""Product photos: stored in several sizes under one generated name, so that pages
can offer phones the smallest picture that still looks sharp (``srcset``)."""

import secrets
from contextlib import suppress
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.catalog.models import Product, ProductPhoto
from crm.extensions import db
from crm.web.errors import RuleError
from crm.web.i18n import gettext as _
from crm.web.uploads import (
    new_name,
    render_sizes,
    save_upload,
    store_image,
    stored_path,
    upload_dir,
)

# Longest side in pixels per size, smallest first (the order of ``srcset``). Each size
# lives in its own folder ``products/<size>`` under the photo's one generated name.
PHOTO_SIZES = {"sm": 400, "md": 800, "lg": 1200}
# Sizes that photos uploaded before them lack: made from ``lg`` when first asked for.
DERIVED_SIZES = ("md",)
MAX_PHOTOS = 6


def add_product_photo(product: Product, data: bytes) -> ProductPhoto:
    """Check an uploaded picture of ``product`` and store it in every size, in the
    first free of the ``MAX_PHOTOS`` positions.

    A full product is refused before the picture is decoded; the picture is decoded
    once and its sizes are written only after its row has taken a position, so that
    a refused upload leaves no file behind."""
    if len(_taken_positions(product.id)) >= MAX_PHOTOS:
        raise _full()
    sides = render_sizes(data, tuple(PHOTO_SIZES.values()), field="photo", fmt="JPEG")
    photo = _take_free_position(product, new_name("JPEG"))
    for size, side in PHOTO_SIZES.items():
        save_upload(sides[side], f"products/{size}", photo.filename)
    return photo


def _taken_positions(product_id: int) -> set[int]:
    return set(db.session.scalars(
        select(ProductPhoto.position).where(ProductPhoto.product_id == product_id)))


def _full() -> RuleError:
    return RuleError(_("Maksimal %(n)d foto per produk.", n=MAX_PHOTOS), field="photo")


def _take_free_position(product: Product, filename: str) -> ProductPhoto:
    """A new photo row in the first free position. The database keeps one photo per
    position (0 to MAX_PHOTOS - 1): when a concurrent upload took the position
    first, the next free one is tried, and a product filled meanwhile is refused."""
    for _attempt in range(MAX_PHOTOS + 1):
        free = sorted(set(range(MAX_PHOTOS)) - _taken_positions(product.id))
        if not free:
            break
        photo = ProductPhoto(product_id=product.id, filename=filename, position=free[0])
        try:
            with db.session.begin_nested():
                db.session.add(photo)
        except IntegrityError:  # the position was taken by an upload at the same moment
            continue
        product.photos.append(photo)
        return photo
    raise _full()


def photo_path(photo: ProductPhoto, size: str) -> Path | None:
    """The file of ``photo`` in ``size``, or None when there is none.

    A size added after the photo was uploaded is made once from the ``lg`` file,
    with the same resize as an upload, and stored on disk for the next request.
    """
    if size not in PHOTO_SIZES:
        return None
    kind = f"products/{size}"
    path = stored_path(kind, photo.filename)
    if path is not None or size not in DERIVED_SIZES:
        return path
    source = stored_path("products/lg", photo.filename)
    if source is None:
        return None
    _derive(source.read_bytes(), kind, PHOTO_SIZES[size], photo.filename)
    return stored_path(kind, photo.filename)


def _derive(data: bytes, kind: str, max_side: int, name: str) -> None:
    """Store ``data`` resized as ``kind``/``name``. Written under a temporary name
    and then renamed, so that a request arriving meanwhile (the public catalogue
    asks for many photos at once) never sends, or lets caches keep, a half-written
    file; two requests racing both write a whole file and the last rename wins."""
    temporary = f".{secrets.token_hex(8)}.part"  # never matches a generated name
    folder = upload_dir(kind)
    try:
        # A large file that is no readable picture any more: no file, so the view
        # answers 404 as for a missing one rather than fail.
        with suppress(RuleError):
            store_image(data, kind, max_side=max_side, fmt="JPEG", name=temporary)
            (folder / temporary).replace(folder / name)
    finally:
        (folder / temporary).unlink(missing_ok=True)
