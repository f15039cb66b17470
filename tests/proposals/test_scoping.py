"""Who sees which proposals: a producer their own group's, an officer their villages';
anything else answers 404 on every URL, GET and POST, and changes nothing."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.proposals.models import BudgetLine, ChecklistItem, Proposal, ProposalStep
from tests.helpers import text_of
from tests.proposals.conftest import make_proposal, move_to

SLUGS = ("ajukan", "kembalikan", "rekomendasi", "kirim", "setujui", "tolak", "cair",
         "laporan")


def snapshot(proposal_id: int) -> tuple:
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    lines = db.session.execute(select(BudgetLine.item, BudgetLine.volume,
                                      BudgetLine.unit_price).where(
        BudgetLine.proposal_id == proposal_id).order_by(BudgetLine.id)).all()
    checks = db.session.execute(select(ChecklistItem.key, ChecklistItem.present,
                                       ChecklistItem.not_needed).where(
        ChecklistItem.proposal_id == proposal_id).order_by(ChecklistItem.key)).all()
    counts = [db.session.scalar(select(func.count()).select_from(model))
              for model in (ProposalStep, AuditEntry)]
    return (proposal.status, proposal.title, proposal.requested_amount,
            proposal.approved_amount, tuple(lines), tuple(checks), tuple(counts))


@pytest.mark.parametrize("outsider", ["opak", "rajut", "kesra_b"])
def test_outsiders_get_404_everywhere_and_nothing_changes(browser, world, outsider):
    proposal = move_to(make_proposal(world), "endorsed")
    draft = make_proposal(world, title="Draf kedua")
    line = db.session.scalar(select(BudgetLine.id).where(BudgetLine.proposal_id == draft.id))
    before = snapshot(proposal.id), snapshot(draft.id)
    browser.login(outsider)
    listing = text_of(browser.get("/proposal/"))
    assert "Penambahan alat produksi" not in listing and "Draf kedua" not in listing
    for pid in (proposal.id, draft.id):
        base = f"/proposal/{pid}"
        for url in (base, f"{base}/ubah", f"{base}/rab", f"{base}/rab/{line}",
                    f"{base}/kelengkapan", f"{base}/proposal.pdf", f"{base}/rekomendasi.pdf"):
            assert browser.get(url).status_code == 404, url
        posts = {
            f"{base}/ubah": {"title": "Diambil alih", "funder_kind": "csr",
                             "funder_name": "X", "evidence_months": "12"},
            f"{base}/rab": {"lines-0-item": "Sisipan", "lines-0-volume": "1",
                            "lines-0-unit_price": "1.000"},
            f"{base}/rab/{line}": {"item": "Ubah", "volume": "9", "unit_price": "9"},
            f"{base}/rab/{line}/hapus": {},
            f"{base}/kelengkapan": {"state_photos": "present"},
        }
        for slug in SLUGS:
            posts[f"{base}/langkah/{slug}"] = {"comment": "x", "amount": "1.000",
                                               "report": "x"}
        for url, data in posts.items():
            response = browser.submit(url, data, page="/proposal/")
            assert response.status_code == 404, url
    assert (snapshot(proposal.id), snapshot(draft.id)) == before


def test_officer_sees_their_villages_and_review_comes_first(browser, world):
    draft = make_proposal(world, title="Masih draf")
    waiting = move_to(make_proposal(world, title="Menunggu tinjauan"), "submitted")
    other = make_proposal(world, group="opak", actor="opak", title="Opak desa lain")
    browser.login("kesra")
    page = text_of(browser.get("/proposal/"))
    assert "Opak desa lain" not in page
    assert page.index("Menunggu tinjauan") < page.index("Masih draf")
    assert "perlu ditinjau" in page
    only = text_of(browser.get("/proposal/?status=submitted"))
    assert "Menunggu tinjauan" in only and "Masih draf" not in only
    assert browser.get(f"/proposal/{draft.id}").status_code == 200
    assert browser.get(f"/proposal/{waiting.id}").status_code == 200
    assert browser.get(f"/proposal/{other.id}").status_code == 404


def test_producer_sees_only_their_group(browser, world):
    make_proposal(world, title="Proposal ladu")
    make_proposal(world, group="rajut", actor="rajut", title="Proposal rajut")
    browser.login("rajut")
    page = text_of(browser.get("/proposal/"))
    assert "Proposal rajut" in page and "Proposal ladu" not in page
