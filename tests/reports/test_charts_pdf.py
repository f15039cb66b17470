"""The village report PDF (/laporan/desa.pdf) and the proposal PDF carry the same
chart and numbers as the pages: the text of the PDF holds the chart's table, and the
page rendered as a picture (pdftoppm) shows the chart's bars in its region."""

import io
import os
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from crm.text.money import group_digits
from tests import factories
from tests.helpers import pdf_text
from tests.reports.test_charts import mrse_by_sql, world  # noqa: F401 (a fixture)

# The chart's colours (crm.documents.charts): reseller green, other sales violet and
# the baseline's red. Nothing else on these pages is drawn in them.
CHART_COLOURS = ((0x16, 0x65, 0x34), (0x6D, 0x28, 0xD9), (0xB9, 0x1C, 0x1C))
DPI = 50


def render_page(pdf: bytes, number: int, tmp_path) -> Image.Image:
    """Page ``number`` (from 1) of ``pdf`` as a picture."""
    if shutil.which("pdftoppm") is None:
        missing = "pdftoppm is missing (apt-get install -y poppler-utils)"
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: the pictures must be looked at
            pytest.fail(missing)
        pytest.skip(missing)
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number),  # noqa: S603, S607
                    "-png", "-singlefile", str(source), str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png").convert("RGB")


def _near(pixel, colour) -> bool:
    return all(abs(a - b) <= 40 for a, b in zip(pixel, colour, strict=True))


def chart_region(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around every pixel in the chart's colours (None: there is none)."""
    width, height = image.size
    pixels = image.load()
    xs, ys = [], []
    for y in range(height):
        for x in range(width):
            if any(_near(pixels[x, y], c) for c in CHART_COLOURS):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if xs else None


def assert_chart_drawn(image: Image.Image) -> None:
    region = chart_region(image)
    assert region is not None, "no pixel of the chart's colours on the page"
    left, top, right, bottom = region
    # The bars and the baseline spread over a good part of the page's width …
    assert right - left > image.size[0] * 0.15, region
    # … and the region is not blank: inked pixels, not just a line.
    crop = image.crop(region)
    pixels = crop.load()
    inked = sum(1 for y in range(crop.size[1]) for x in range(crop.size[0])
                if pixels[x, y] != (255, 255, 255))
    assert inked > 150, (region, inked)


def page_with(pdf: bytes, text: str) -> int:
    """The number (from 1) of the first page whose text holds ``text``."""
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        if text in " ".join(page.extract_text().split()):
            return number
    raise AssertionError(f"{text!r} is on no page")


def test_village_report_pdf_holds_the_chart_and_its_numbers(browser, world, tmp_path):  # noqa: F811
    browser.login("kesra")
    response = browser.get("/laporan/desa.pdf")
    text = pdf_text(response)
    assert "LAPORAN OMZET KELOMPOK USAHA" in text and "Ladu Ketan RW 09" in text
    last = world["last"]
    whole = mrse_by_sql(world["ladu"], last) + 16_000_000
    # The chart's table: last month's whole turnover with the baseline, and months
    # without recorded other sales said to be "belum dicatat", never compared.
    assert group_digits(whole) in text and "15.000.000" in text
    assert "belum dicatat" in text and "+12% dibanding sebelum program" in text
    assert "Perubahan omzet seluruhnya : +12%" in text
    # The same chart as the page, on page 1.
    image = render_page(response.data, 1, tmp_path)
    assert_chart_drawn(image)


def test_village_report_pdf_is_scoped(browser, make_browser, world):  # noqa: F811
    b = factories.village("Sangkanhurip", letter_code="SKH")
    factories.group(b, "Opak Ketan")
    factories.officer(b, username="kesra2")
    stranger = make_browser()
    stranger.login("kesra2")
    text = pdf_text(stranger.get("/laporan/desa.pdf"))
    assert "Opak Ketan" in text and "Ladu Ketan RW 09" not in text
    browser.login("ladu")
    assert browser.get("/laporan/desa.pdf").status_code == 403
