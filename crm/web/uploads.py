"""Uploaded images: checked by content, re-encoded, stored under generated names.

A picture is refused from its header, before any pixel is decoded, when it is not a
PNG, JPEG or WebP or has more than ``MAX_PIXELS`` pixels: a file of a few kilobytes
can declare 40 million pixels, and decoding those takes seconds of CPU and hundreds of
megabytes. An accepted picture is decoded once, JPEG at a reduced scale (draft mode),
and every size is made from that one decoded picture.
"""

import re
import secrets
import warnings
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from crm.web.errors import RuleError
from crm.web.i18n import gettext as _

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")
GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|pdf)$")
# Pixels a picture may have. A phone photo (a JPEG of 12 to 24 MP) passes: JPEG is
# decoded at a reduced scale, so its largest costs 0.1 s of CPU and 20 MB. PNG and
# WebP are decoded whole and cost more per pixel (a lossless WebP 15 bytes, a PNG up
# to 9): at 12 MP their largest costs 0.4 s and 190 MB (figures: bench/images.py).
MAX_PIXELS = 24_000_000
MAX_PIXELS_BY_FORMAT = {"JPEG": MAX_PIXELS, "PNG": 12_000_000, "WEBP": 12_000_000}
# Pillow's own guard for every Image.open in the app: an error above twice this, and
# a warning above it, which says nothing here: uploads above it are refused anyway.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.simplefilter("ignore", Image.DecompressionBombWarning)
SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "PDF": ".pdf"}


def upload_dir(kind: str) -> Path:
    """The folder for uploads of ``kind`` (e.g. ``logos``), created when missing."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def checked_picture(data: bytes, field: str | None = None) -> Image.Image:
    """``data`` opened as a picture whose header says it is a PNG, JPEG or WebP of at
    most ``MAX_PIXELS_BY_FORMAT`` pixels, with no pixel decoded yet; RuleError otherwise.
    The caller closes it."""
    try:
        image = Image.open(BytesIO(data))
    except Image.DecompressionBombError as exc:  # more than twice MAX_PIXELS
        raise _too_big(MAX_PIXELS, field) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise RuleError(_("Berkas ini bukan gambar yang bisa dibaca."), field=field) from exc
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise RuleError(_("Unggah gambar PNG, JPG atau WebP."), field=field)
    limit = MAX_PIXELS_BY_FORMAT[image.format]
    if image.width * image.height > limit:
        image.close()
        raise _too_big(limit, field)
    return image


def _too_big(limit: int, field: str | None) -> RuleError:
    return RuleError(
        _("Gambar terlalu besar: paling besar %(mp)d megapiksel. Kirim foto dengan ukuran "
          "lebih kecil.", mp=limit // 1_000_000),
        field=field,
    )


def render_sizes(
    data: bytes, sides: tuple[int, ...], field: str | None = None, fmt: str = "PNG"
) -> dict[int, bytes]:
    """``data`` checked (``checked_picture``), decoded once and encoded as ``fmt`` with
    its longest side shrunk to each of ``sides`` (PNG keeps transparency, JPEG keeps
    photos small). Nothing is written. Returns the encoded files by side."""
    image = checked_picture(data, field)
    try:
        with image:
            image.verify()  # the file's structure (PNG checksums), before decoding
        image = _decoded(checked_picture(data, field), max(sides),
                         "RGBA" if fmt == "PNG" else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise RuleError(_("Berkas ini bukan gambar yang bisa dibaca."), field=field) from exc
    options = {"optimize": True} if fmt == "PNG" else {"quality": 82, "optimize": True}
    encoded = {}
    for side in sorted(sides, reverse=True):  # each size from the one before it
        image.thumbnail((side, side))
        buffer = BytesIO()
        image.save(buffer, format=fmt, **options)
        encoded[side] = buffer.getvalue()
    return encoded


def _decoded(image: Image.Image, side: int, mode: str) -> Image.Image:
    """The pixels of ``image`` (opened, not decoded) in ``mode``, longest side at most
    ``side``. Shrunk before the conversion, so that only the small picture is copied;
    JPEG is decoded at the smallest scale (1/2 to 1/8) still larger than needed, and
    palette pictures are converted first, since they can only be shrunk pixel by pixel."""
    image.draft(None, (side, side))  # JPEG only: the smallest scale still >= side
    if image.mode in ("P", "PA", "1", "I", "I;16", "F"):
        image = image.convert(mode)
    image.thumbnail((side, side))
    return image if image.mode == mode else image.convert(mode)


def save_upload(encoded: bytes, kind: str, name: str) -> None:
    """Write an encoded picture as ``kind``/``name``."""
    (upload_dir(kind) / name).write_bytes(encoded)


def new_name(fmt: str) -> str:
    """A random name for a stored file in ``fmt`` (a picture, or a PDF)."""
    return secrets.token_hex(16) + SUFFIXES[fmt]


def store_image(
    data: bytes,
    kind: str,
    max_side: int = 1200,
    field: str | None = None,
    name: str = "",
    fmt: str = "PNG",
) -> str:
    """Check that ``data`` is a PNG, JPEG or WebP picture, shrink it to ``max_side``
    and store it as ``fmt`` under a random name, or under ``name``. Returns the name."""
    encoded = render_sizes(data, (max_side,), field=field, fmt=fmt)[max_side]
    name = name or new_name(fmt)
    save_upload(encoded, kind, name)
    return name


def stored_path(kind: str, name: str) -> Path | None:
    """Path of a stored upload, or None if the name is not one we generated."""
    if not GENERATED_NAME.match(name or ""):
        return None
    path = upload_dir(kind) / name
    return path if path.is_file() else None
