"""Draw the app's PNG icons from the same shapes as static/img/icon.svg (a green
rounded square with a white bold "M"), for the web app manifest. Run once after the
mark changes and commit the PNGs; the app itself never draws them.

    .venv/bin/python -m bench.icons

No SVG rasteriser is installed, so Pillow draws the shapes directly, four times
larger than needed and then scaled down for smooth edges.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "img"
GREEN = "#166534"  # --green in static/css/app.css and the fill of icon.svg
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SUPERSAMPLE = 4


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The mark at size x size pixels. A maskable icon fills the whole square with
    green (the launcher cuts its own shape) and keeps the letter in the 80 % safe zone."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=GREEN)
        scale = big / 64 * 0.8  # the 64-unit drawing shrunk into the safe zone
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 12 // 64, fill=GREEN)
        scale = big / 64
    # As in the SVG: font-size 26 units, centred, baseline at y = 42 of 64.
    font = ImageFont.truetype(FONT, round(26 * scale))
    baseline = big / 2 + (42 - 32) * scale
    pen.text((big / 2, baseline), "M", font=font, fill="white", anchor="ms")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon-192.png, icon-512.png and icon-maskable-512.png next to icon.svg."""
    for name, size, maskable in [("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)]:
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
