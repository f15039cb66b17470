"""Uploaded images: checked by content, re-encoded, stored under generated names."""

import re
import secrets
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from crm.i18n import gettext as _
from crm.rules import RuleError

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg)$")
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before memory runs out


def upload_dir(kind: str) -> Path:
    """The folder for uploads of ``kind`` (e.g. ``logos``), created when missing."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_image(
    data: bytes,
    kind: str,
    max_side: int = 1200,
    field: str | None = None,
    name: str = "",
    fmt: str = "PNG",
) -> str:
    """Check that ``data`` is a PNG, JPEG or WebP picture, shrink it to ``max_side``
    and store it as ``fmt`` (PNG keeps transparency, JPEG keeps photos small) under a
    random name, or under ``name`` for a second size of the same picture.
    Returns the name."""
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise RuleError(_("Unggah gambar PNG, JPG atau WebP."), field=field)
            if probe.width * probe.height > MAX_PIXELS:
                raise RuleError(_("Gambar terlalu besar."), field=field)
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA" if fmt == "PNG" else "RGB")
            image.thumbnail((max_side, max_side))
            name = name or secrets.token_hex(16) + (".png" if fmt == "PNG" else ".jpg")
            options = {"optimize": True} if fmt == "PNG" else {"quality": 82, "optimize": True}
            image.save(upload_dir(kind) / name, format=fmt, **options)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise RuleError(_("Berkas ini bukan gambar yang bisa dibaca."), field=field) from exc
    return name


def stored_path(kind: str, name: str) -> Path | None:
    """Path of a stored upload, or None if the name is not one we generated."""
    if not GENERATED_NAME.match(name or ""):
        return None
    path = upload_dir(kind) / name
    return path if path.is_file() else None
