"""Product photos: stored once large and once small under one generated name."""

from crm.catalog.models import Product, ProductPhoto
from crm.extensions import db
from crm.i18n import gettext as _
from crm.rules import RuleError
from crm.uploads import store_image

PHOTO_SIZES = {"lg": 1200, "sm": 400}
MAX_PHOTOS = 6


def add_product_photo(product: Product, data: bytes) -> ProductPhoto:
    """Check and store an uploaded picture of ``product`` in both sizes."""
    if len(product.photos) >= MAX_PHOTOS:
        raise RuleError(_("Maksimal %(n)d foto per produk.", n=MAX_PHOTOS), field="photo")
    name = store_image(
        data, "products/lg", max_side=PHOTO_SIZES["lg"], field="photo", fmt="JPEG"
    )
    store_image(
        data, "products/sm", max_side=PHOTO_SIZES["sm"], field="photo", fmt="JPEG", name=name
    )
    photo = ProductPhoto(product_id=product.id, filename=name, position=len(product.photos))
    product.photos.append(photo)
    db.session.flush()
    return photo
