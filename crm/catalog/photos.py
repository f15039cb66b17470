"""Product photos: stored in several sizes under one generated name, so that pages
can offer phones the smallest picture that still looks sharp (``srcset``)."""

import secrets
from contextlib import suppress
from pathlib import Path

from crm.catalog.models import Product, ProductPhoto
from crm.extensions import db
from crm.i18n import gettext as _
from crm.rules import RuleError
from crm.uploads import store_image, stored_path, upload_dir

# Longest side in pixels per size, smallest first (the order of ``srcset``). Each size
# lives in its own folder ``products/<size>`` under the photo's one generated name.
PHOTO_SIZES = {"sm": 400, "md": 800, "lg": 1200}
# Sizes that photos uploaded before them lack: made from ``lg`` when first asked for.
DERIVED_SIZES = ("md",)
MAX_PHOTOS = 6


def add_product_photo(product: Product, data: bytes) -> ProductPhoto:
    """Check and store an uploaded picture of ``product`` in every size."""
    if len(product.photos) >= MAX_PHOTOS:
        raise RuleError(_("Maksimal %(n)d foto per produk.", n=MAX_PHOTOS), field="photo")
    name = ""
    for size, max_side in PHOTO_SIZES.items():
        # The first size draws the random name; the others are stored under it.
        name = store_image(
            data, f"products/{size}", max_side=max_side, field="photo", fmt="JPEG", name=name
        )
    photo = ProductPhoto(product_id=product.id, filename=name, position=len(product.photos))
    product.photos.append(photo)
    db.session.flush()
    return photo


def photo_path(photo: ProductPhoto, size: str) -> Path | None:
    """The file of ``photo`` in ``size``, or None when there is none.

    A size added after the photo was uploaded is made once from the ``lg`` file,
    with the same resize as an upload, and kept on disk for the next request.
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
