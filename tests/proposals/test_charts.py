"""The proposal page and the proposal PDF show the group's turnover per month as a
chart (crm.reports.charts), the PDF's drawn with reportlab and looked at as a
picture."""

from tests.helpers import pdf_text
from tests.proposals.conftest import make_proposal
from tests.reports.test_charts import world  # noqa: F401 (a fixture)
from tests.reports.test_charts_pdf import assert_chart_drawn, page_with, render_page


def test_proposal_pdf_holds_the_chart(browser, world, tmp_path):  # noqa: F811
    proposal = make_proposal(world)
    browser.login("ladu")
    response = browser.get(f"/proposal/{proposal.id}/proposal.pdf")
    text = pdf_text(response)
    assert "Omzet per bulan" in text
    assert "Penjualan lain belum dicatat: hanya omzet MRSE" in text
    number = page_with(response.data, "Omzet per bulan")
    assert number > 1  # after the cover letter
    assert_chart_drawn(render_page(response.data, number, tmp_path))


def test_proposal_page_shows_the_chart(browser, world):  # noqa: F811
    proposal = make_proposal(world)
    browser.login("ladu")
    html = browser.get(f"/proposal/{proposal.id}").get_data(as_text=True)
    assert '<figure class="chart" id="pp-chart">' in html
    assert 'role="img"' in html and "<desc" in html
