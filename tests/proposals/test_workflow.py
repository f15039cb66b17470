"""The workflow through the pages: every (status, step) pair allowed or refused as the
table says, by role; comments, amounts, letter numbers and the audit trail."""

import re

import pytest
from sqlalchemy import func, select, update

from crm.audit.models import AuditEntry
from crm.documents.models import IssuedDocument
from crm.extensions import db
from crm.proposals.models import PROPOSAL_STATUSES, Proposal, ProposalStep
from crm.proposals.workflow import take_step
from crm.text.dates import roman_month, village_today
from crm.web.errors import RuleError
from tests.helpers import pdf_text, reload, text_of
from tests.proposals.conftest import LINES_TOTAL, make_proposal, move_to, user

# The table as the brief gives it: (status, step) → (new status, who may take it).
BOTH, OFFICER = {"producer", "officer"}, {"officer"}
EXPECTED = {
    ("draft", "submit"): ("submitted", BOTH),
    ("revision", "submit"): ("submitted", BOTH),
    ("submitted", "return"): ("revision", OFFICER),
    ("submitted", "endorse"): ("endorsed", OFFICER),
    ("endorsed", "send"): ("sent", BOTH),
    ("sent", "approve"): ("approved", OFFICER),
    ("sent", "reject"): ("rejected", OFFICER),
    ("approved", "disburse"): ("disbursed", BOTH),
    ("disbursed", "report"): ("reported", BOTH),
}
SLUGS = {"submit": "ajukan", "return": "kembalikan", "endorse": "rekomendasi",
         "send": "kirim", "approve": "setujui", "reject": "tolak", "disburse": "cair",
         "report": "laporan"}
# Enough for every step: a comment, an amount within the request and the approval.
STEP_DATA = {"comment": "Catatan uji", "amount": "1.000.000", "report": "Laporan uji"}
ROLES = {"producer": "ladu", "officer": "kesra"}


def post_step(browser, proposal, step, data=None):
    """Send a step's form (the CSRF token from the light list page) and follow on."""
    return browser.submit(f"/proposal/{proposal.id}/langkah/{SLUGS[step]}",
                          STEP_DATA if data is None else data, page="/proposal/",
                          follow_redirects=True)


def steps_of(proposal) -> int:
    return db.session.scalar(select(func.count()).select_from(ProposalStep).where(
        ProposalStep.proposal_id == proposal.id))


@pytest.mark.parametrize("status", PROPOSAL_STATUSES)
def test_every_step_from_every_status_by_role(world, make_browser, status):
    browsers = {}
    for role, username in ROLES.items():
        browsers[role] = make_browser()
        browsers[role].login(username)
    for step in SLUGS:
        for role, browser in browsers.items():
            proposal = move_to(make_proposal(world), status)
            before = steps_of(proposal)
            response = post_step(browser, proposal, step)
            assert response.status_code == 200
            page = text_of(response)
            after = reload(proposal)
            expected = EXPECTED.get((status, step))
            if expected and role in expected[1]:
                assert after.status == expected[0], (status, step, role)
                assert steps_of(after) == before + 1
            else:
                assert after.status == status, (status, step, role)
                assert steps_of(after) == before
                assert ("Langkah ini tidak bisa dilakukan pada proposal berstatus" in page
                        or "Langkah ini hanya untuk petugas desa." in page), (status, step, role)


def test_unknown_step_answers_404(browser, world):
    proposal = make_proposal(world)
    browser.login("ladu")
    response = browser.submit(f"/proposal/{proposal.id}/langkah/hapus", {},
                              page=f"/proposal/{proposal.id}")
    assert response.status_code == 404
    assert reload(proposal).status == "draft"


def test_submit_needs_a_budget_and_an_amount(browser, world):
    empty = make_proposal(world, lines=None)
    browser.login("ladu")
    page = text_of(post_step(browser, empty, "submit", {}))
    assert "Isi RAB dulu: paling sedikit satu baris." in page
    assert reload(empty).status == "draft"


def test_return_needs_a_comment_and_the_group_sees_it(browser, world, make_browser):
    proposal = move_to(make_proposal(world), "submitted")
    browser.login("kesra")
    response = post_step(browser, proposal, "return", {"comment": "  "})
    assert "Tulis apa yang perlu diperbaiki." in text_of(response)
    assert reload(proposal).status == "submitted"
    post_step(browser, proposal, "return",
              {"comment": "Tambahkan foto produk dan <b>harga</b> kemasan."})
    proposal = reload(proposal)
    assert proposal.status == "revision"
    assert proposal.officer_comment == "Tambahkan foto produk dan <b>harga</b> kemasan."
    group = make_browser()
    group.login("ladu")
    response = group.get(f"/proposal/{proposal.id}")
    html = response.get_data(as_text=True)
    assert "&lt;b&gt;harga&lt;/b&gt;" in html and "<b>harga</b>" not in html
    page = text_of(response)
    assert "Catatan petugas" in page
    assert page.count("Tambahkan foto produk dan <b>harga</b> kemasan.") == 2  # + history
    assert "Kelompok memperbaiki proposal sesuai catatan petugas" in page
    # Back in revision the group may change the content and submit again.
    assert group.get(f"/proposal/{proposal.id}/ubah").status_code == 200
    post_step(group, proposal, "submit", {"comment": "Sudah diperbaiki."})
    assert reload(proposal).status == "submitted"


def test_reject_needs_a_comment(browser, world):
    proposal = move_to(make_proposal(world), "sent")
    browser.login("kesra")
    page = text_of(post_step(browser, proposal, "reject", {"comment": ""}))
    assert "Tulis alasan penolakan dari pemberi dana." in page
    assert reload(proposal).status == "sent"
    post_step(browser, proposal, "reject", {"comment": "Kuota habis."})
    assert (reload(proposal).status, reload(proposal).officer_comment) == (
        "rejected", "Kuota habis.")


def test_approved_and_disbursed_amounts_have_ceilings(browser, world):
    proposal = move_to(make_proposal(world), "sent")
    browser.login("kesra")
    for amount, message in (("", "Isi jumlah yang disetujui."),
                            ("0", "Jumlah harus lebih dari nol."),
                            ("NaN", "Tulis jumlah rupiah dengan angka"),
                            ("6.083.332", "tidak boleh melebihi permohonan Rp 6.083.331")):
        page = text_of(post_step(browser, proposal, "approve", {"amount": amount}))
        assert message in page, amount
        assert reload(proposal).status == "sent"
        assert reload(proposal).approved_amount is None
    post_step(browser, proposal, "approve", {"amount": "6.000.000"})
    assert (reload(proposal).status, reload(proposal).approved_amount) == (
        "approved", 6_000_000)
    page = text_of(post_step(browser, proposal, "disburse", {"amount": "6.000.001"}))
    assert "tidak boleh melebihi jumlah yang disetujui Rp 6.000.000" in page
    assert reload(proposal).status == "approved"
    post_step(browser, proposal, "disburse", {"amount": "6.000.000"})
    assert (reload(proposal).status, reload(proposal).disbursed_amount) == (
        "disbursed", 6_000_000)
    page = text_of(post_step(browser, proposal, "report", {"report": ""}))
    assert "Tulis laporan penggunaan dana." in page
    page = text_of(post_step(browser, proposal, "report",
                             {"report": "Dibelikan 3 kompor dan 7 pak kemasan."}))
    assert reload(proposal).status == "reported"
    assert "Dibelikan 3 kompor dan 7 pak kemasan." in page


def test_endorsing_issues_the_recommendation_letter_number(browser, world, make_browser):
    proposal = move_to(make_proposal(world), "submitted")
    browser.login("kesra")
    response = browser.get(f"/proposal/{proposal.id}/rekomendasi.pdf", follow_redirects=True)
    assert "Surat rekomendasi dibuat setelah petugas desa memberi rekomendasi." in \
        text_of(response)
    page = text_of(post_step(browser, proposal, "endorse", {"comment": "Layak dibantu."}))
    today = village_today(world["a"])
    number = f"001/SREK/KTP/{roman_month(today.month)}/{today.year}"
    assert f"Rekomendasi desa dibuat dengan nomor {number}." in page
    assert "Perhatian: kelengkapan belum ada: Fotokopi KTP pengurus" in page
    assert reload(proposal).status == "endorsed"
    assert re.fullmatch(r"\d{3}/SREK/KTP/[IVX]+/\d{4}", number)
    letter = pdf_text(browser.get(f"/proposal/{proposal.id}/rekomendasi.pdf"))
    assert f"Nomor : {number}" in letter
    assert "Rekomendasi Permohonan Bantuan Modal Usaha" in letter
    assert "Kelompok Ladu Ketan RW 09" in letter
    assert "Rp 6.083.331" in letter
    assert "enam juta delapan puluh tiga ribu tiga ratus tiga puluh satu rupiah" in letter
    assert "H. Asep Saepudin" in letter and "Kepala Desa Katapang" in letter
    # The group downloads the same letter with the same number.
    group = make_browser()
    group.login("ladu")
    assert number in pdf_text(group.get(f"/proposal/{proposal.id}/rekomendasi.pdf"))
    assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1


def test_sending_numbers_the_proposal_and_removes_the_draft_mark(browser, world):
    proposal = move_to(make_proposal(world), "endorsed")
    browser.login("ladu")
    draft = pdf_text(browser.get(f"/proposal/{proposal.id}/proposal.pdf"))
    assert "DRAF – belum dikirim" in draft and "Nomor : —" in draft
    page = text_of(post_step(browser, proposal, "send", {}))
    today = village_today(world["a"])
    number = f"001/PROP/KTP/{roman_month(today.month)}/{today.year}"
    assert f"Proposal tercatat sudah dikirim, nomor {number}." in page
    sent = pdf_text(browser.get(f"/proposal/{proposal.id}/proposal.pdf"))
    assert f"Nomor : {number}" in sent and "DRAF" not in sent


def test_each_step_is_recorded_in_history_and_audit(browser, world):
    proposal = move_to(make_proposal(world), "reported")
    history = db.session.scalars(select(ProposalStep).where(
        ProposalStep.proposal_id == proposal.id).order_by(ProposalStep.id)).all()
    assert [(h.from_status, h.to_status) for h in history] == [
        ("draft", "submitted"), ("submitted", "endorsed"), ("endorsed", "sent"),
        ("sent", "approved"), ("approved", "disbursed"), ("disbursed", "reported")]
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "proposal", AuditEntry.entity_id == proposal.id)
        .order_by(AuditEntry.id)).all()
    assert actions[-6:] == ["submit", "endorse", "send", "approve", "disburse", "report"]
    browser.login("ladu")
    page = text_of(browser.get(f"/proposal/{proposal.id}"))
    assert "Selesai. Laporan pertanggungjawaban sudah dicatat." in page
    assert "Kompor dan kemasan sudah dibeli." in page
    assert "Yang bisa Anda lakukan" not in page


def test_content_is_locked_after_submitting(browser, world):
    proposal = move_to(make_proposal(world), "submitted")
    browser.login("ladu")
    response = browser.get(f"/proposal/{proposal.id}/ubah", follow_redirects=True)
    assert "Proposal hanya bisa diubah saat masih draf atau perlu perbaikan." in \
        text_of(response)
    response = browser.submit(f"/proposal/{proposal.id}/rab", {
        "lines-0-item": "Tambahan", "lines-0-volume": "1", "lines-0-unit": "unit",
        "lines-0-unit_price": "1.000"}, follow_redirects=True)
    assert "Proposal hanya bisa diubah" in text_of(response)
    assert reload(proposal).budget_total == LINES_TOTAL
    # Attachments may still be gathered while the officer reviews.
    assert browser.get(f"/proposal/{proposal.id}/kelengkapan").status_code == 200


def test_a_step_on_a_proposal_changed_meanwhile_is_refused(world):
    proposal = move_to(make_proposal(world), "submitted")
    stale = reload(proposal)
    # Someone else endorses it after this page was loaded.
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                       .values(status="endorsed"),
                       execution_options={"synchronize_session": False})
    before = steps_of(proposal)
    assert stale.status == "submitted"
    with pytest.raises(RuleError, match="baru saja diubah orang lain"):
        take_step(stale, "return", user("kesra"), comment="Perbaiki.")
    db.session.rollback()
    assert reload(proposal).status == "submitted"
    assert steps_of(proposal) == before
