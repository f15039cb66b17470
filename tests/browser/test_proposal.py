"""Journey 6: the officer takes a group's capital proposal through review (village
recommendation, sent to the funder, approved) and downloads its PDF."""


import pytest

from crm.extensions import db
from crm.proposals.models import Proposal
from crm.proposals.services import add_budget_lines, create_proposal
from crm.proposals.workflow import take_step
from tests.browser.seeding import katapang
from tests.helpers import pdf_lines

pytestmark = pytest.mark.slow

# From the dashboard: proposals, the proposal, three steps (one refused once).
REVIEW_MAX_PAGES = 6
REVIEW_MAX_TAPS = 6


def submitted_proposal(place) -> Proposal:
    """A proposal the ladu ketan group wrote and sent to the officer."""
    maker = place.ladu_maker
    proposal = create_proposal(place.ladu, {
        "title": "Tambahan modal alat produksi ladu ketan",
        "funder_kind": "dinas_koperasi",
        "funder_name": "Dinas Koperasi dan UMKM Kabupaten Bandung",
        "requested_amount": 15_000_000,
        "background": "Pesanan snack box untuk rapat desa terus bertambah.",
        "aims": "Menambah kapasitas produksi harian.",
        "activities": "Membeli mesin penggiling dan panci besar.",
    }, maker).proposal
    add_budget_lines(proposal, [
        {"item": "Mesin penggiling beras ketan", "unit": "unit", "volume": 1,
         "unit_price": 9_000_000},
        {"item": "Panci dan kukusan besar", "unit": "set", "volume": 3,
         "unit_price": 2_000_000},
    ], maker)
    take_step(proposal, "submit", maker)
    db.session.commit()
    return proposal


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_officer_reviews_a_proposal_and_downloads_it(seed, journeys, screen):
    place = katapang(f"p{screen[0]}")
    proposal = submitted_proposal(place)
    officer = journeys("6-proposal", screen)
    page = officer.page
    officer.sign_in(place.officer.username)

    start = officer.counts()
    officer.menu("Proposal", "proposal")
    officer.tap(page.get_by_role("link", name=proposal.title), "proposal-diajukan",
                navigates=True)

    def step_form(button: str):
        return page.locator("form").filter(has=page.get_by_role("button", name=button))

    def next_step_says(text: str) -> None:
        assert text in page.locator(".pp-next").inner_text()

    next_step_says("Petugas desa memeriksa proposal")
    endorse = step_form("Beri rekomendasi desa")
    officer.type(endorse.get_by_label("Catatan"), "Kelompok aktif dan tertib; layak didukung.")
    officer.submit(endorse.get_by_role("button"), "direkomendasikan")
    next_step_says("Surat rekomendasi desa sudah bernomor.")
    officer.submit(step_form("Sudah dikirim ke pemberi dana").get_by_role("button"), "dikirim")
    next_step_says("Menunggu keputusan pemberi dana.")

    # The funder's decision, with a typing slip first: refused, the note kept.
    approve = step_form("Catat: disetujui")
    officer.type(approve.get_by_label("Jumlah"), "Rp 20.000.000")
    officer.type(approve.get_by_label("Catatan"), "Disetujui lewat surat Dinas.")
    officer.submit(approve.get_by_role("button"), "disetujui-ditolak")
    approve = step_form("Catat: disetujui")
    assert "tidak boleh melebihi permohonan Rp 15.000.000" in approve.inner_text()
    assert approve.get_by_label("Catatan").input_value() == "Disetujui lewat surat Dinas."
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "sent"
    officer.type(approve.get_by_label("Jumlah"), "Rp 15.000.000")
    officer.submit(approve.get_by_role("button"), "disetujui")
    used = officer.counts() - start
    next_step_says("Saat dana diterima")
    db.session.expire_all()
    reviewed = db.session.get(Proposal, proposal.id)
    assert (reviewed.status, reviewed.approved_amount) == ("approved", 15_000_000)
    assert used.pages <= REVIEW_MAX_PAGES and used.taps <= REVIEW_MAX_TAPS, used

    pdf = officer.download(page.get_by_role("link", name="Proposal (PDF)"))
    text = pdf_lines(pdf)
    assert proposal.title in text and "Mesin penggiling beras ketan" in text
