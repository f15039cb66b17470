"""What a picture upload costs: CPU time and peak memory of checking, decoding and
resizing one uploaded picture (the three sizes of a product photo), each picture in a
fresh process, so that the peak memory measured is its own.

    .venv/bin/python -m bench.images

Hostile pictures (a few bytes declaring tens of megapixels) are refused from their
header; the dearest pictures still accepted (24 megapixels, the limit) show the most
an upload can cost. tests/security/test_hostile_images.py sends the same pictures
through the upload forms.
"""

import argparse
import io
import json
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def webp_lossless(width: int, height: int) -> bytes:
    """A one-colour lossless WebP of any size in 38 bytes: a 16 × 16 one with the
    size in its header changed (a one-colour picture takes no bits per pixel)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 120, 40)).save(buffer, format="WEBP", lossless=True)
    data = buffer.getvalue()
    at = data.index(b"VP8L") + 8  # signature byte, then 14 bits width - 1, 14 bits height - 1
    bits = int.from_bytes(data[at + 1:at + 5], "little")
    bits = (bits & ~((1 << 28) - 1)) | (width - 1) | ((height - 1) << 14)
    return data[:at + 1] + bits.to_bytes(4, "little") + data[at + 5:]


def png_one_bit(width: int, height: int) -> bytes:
    """A black-and-white PNG of ``width`` × ``height``, written row by row (a few KB)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def gif_of_size(width: int, height: int) -> bytes:
    """A GIF whose header declares ``width`` × ``height``."""
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, format="GIF")
    data = buffer.getvalue()
    return data[:6] + struct.pack("<HH", width, height) + data[10:]


def jpeg(width: int, height: int, mode: str = "L") -> bytes:
    """A plain JPEG (grey by default: quick to make, decoded like a photo)."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), 90).save(buffer, format="JPEG", quality=60)
    return buffer.getvalue()


def png_rgba(width: int, height: int) -> bytes:
    """A PNG with transparency, the dearest PNG to decode."""
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (1, 2, 3, 4)).save(buffer, format="PNG",
                                                           compress_level=1)
    return buffer.getvalue()


CASES = {
    "hostile: lossless WebP 6300 x 6300": lambda: webp_lossless(6300, 6300),
    "hostile: lossless WebP 16383 x 16383": lambda: webp_lossless(16383, 16383),
    "hostile: PNG 6000 x 6000": lambda: png_one_bit(6000, 6000),
    "hostile: JPEG 7000 x 5000": lambda: jpeg(7000, 5000),
    "hostile: GIF 6000 x 6000": lambda: gif_of_size(6000, 6000),
    "hostile: lossless WebP 4898 x 4898 (24 MP)": lambda: webp_lossless(4898, 4898),
    "phone photo: JPEG 4000 x 3000": lambda: jpeg(4000, 3000, mode="RGB"),
    "largest accepted: JPEG 6000 x 4000": lambda: jpeg(6000, 4000, mode="RGB"),
    "largest accepted: lossless WebP 4000 x 3000": lambda: webp_lossless(4000, 3000),
    "largest accepted: PNG RGBA 4000 x 3000": lambda: png_rgba(4000, 3000),
    "largest accepted: PNG 1-bit 4000 x 3000": lambda: png_one_bit(4000, 3000),
}


def measure_one(path: Path) -> dict:
    """Check and resize the picture in ``path`` as a product photo upload does."""
    from crm import create_app
    from crm.catalog.photos import PHOTO_SIZES
    from crm.web.errors import RuleError
    from crm.web.uploads import render_sizes

    app = create_app({"CRM_ENV": "testing", "SECRET_KEY": "bench-images-" + "x" * 32,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    data = path.read_bytes()
    with app.test_request_context():
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.process_time()
        try:
            render_sizes(data, tuple(PHOTO_SIZES.values()), field="photo", fmt="JPEG")
            outcome = "accepted"
        except RuleError as refusal:
            outcome = f"refused: {refusal.message}"
        cpu = time.process_time() - started
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    return {"bytes": len(data), "cpu_s": cpu, "peak_mb": grown / 1024, "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a picture file: measure it here
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(Path(args.one))))
        return
    print(f"{'picture':46} {'file':>9} {'CPU':>8} {'memory':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for n, (name, make) in enumerate(CASES.items()):
            path = Path(folder) / f"{n}.img"
            path.write_bytes(make())
            answer = subprocess.run(  # noqa: S603 - this module, no shell
                [sys.executable, "-m", "bench.images", "--one", str(path)],
                cwd=ROOT, capture_output=True, text=True, check=True)
            row = json.loads(answer.stdout.strip().splitlines()[-1])
            print(f"{name:46} {row['bytes']:>7,} B {row['cpu_s']:>6.3f} s {row['peak_mb']:>5.0f} MB"
                  f"  {row['outcome'][:60]}")


if __name__ == "__main__":
    main()
