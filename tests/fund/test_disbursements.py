"""Money out of the fund: requested by the group, decided by the officer; the
balance is contributions minus approved disbursements, exactly, and two approvals
at once cannot overdraw it."""


import pytest
from sqlalchemy import select, text

from crm.audit.models import AuditEntry
from crm.auth.models import User
from crm.extensions import db
from crm.fund.models import FundEntry
from crm.fund.queries import (
    fund_balance,
    pending_disbursement_count,
    pending_disbursements_for,
)
from crm.fund.services import decide_disbursement, request_disbursement
from crm.web.errors import RuleError
from tests.fund.support import (
    REQUEST,
    ask,
    decide,
    request_form,
    requests_of,
    seed,
    today,
    user,
)
from tests.helpers import count, reload, run_at_once, text_of


def sql_balance(group) -> int:
    """The balance summed straight in SQL, without the app's query code."""
    value = db.session.execute(text(
        "SELECT COALESCE(SUM(CASE WHEN kind = 'contribution' THEN amount "
        "WHEN status = 'approved' THEN -amount ELSE 0 END), 0) "
        "FROM fund_entries WHERE group_id = :g"), {"g": group.id}).scalar()
    return int(value)


def new_request(group, amount, actor="ladu", purpose="poor_families", recipient="Bu Imas"):
    outcome = request_disbursement(group, {
        "amount": amount, "purpose": purpose, "recipient": recipient,
        "occurred_on": today(group)}, user(actor))
    db.session.commit()
    return outcome.entry


def ledger_balance(browser, group) -> str:
    html = browser.get(f"/dana-sosial/kelompok/{group.id}").get_data(as_text=True)
    return html.split('id="saldo">')[1].split("<")[0].replace("\xa0", " ")


def test_producer_asks_and_officer_approves(browser, make_browser, world):
    group = world["ladu"]
    seed(group, 100_000)
    browser.login("ladu")
    response = ask(browser, group)
    assert response.status_code == 302
    [entry] = requests_of(group)
    assert (entry.status, entry.amount, entry.purpose, entry.recipient) == (
        "requested", 60_000, "poor_families", "Keluarga Bapak Ujang, RT 02")
    assert entry.created_by_id == user("ladu").id and entry.occurred_on == today(group)
    page = text_of(browser.get(response.headers["Location"]))
    assert "Permintaan penyaluran Rp 60.000 tercatat" in page
    assert "Menunggu persetujuan petugas" in page
    assert ledger_balance(browser, group) == "Rp 100.000"  # a request is not money out yet
    officer = make_browser()
    officer.login("kesra")
    assert "Bantuan keluarga kurang mampu" in text_of(officer.get("/dana-sosial/"))
    response = decide(officer, entry, "setujui", note="Sudah dicek RT")
    assert response.status_code == 302
    entry = reload(entry)
    assert (entry.status, entry.decided_by_id, entry.decision_note) == (
        "approved", user("kesra").id, "Sudah dicek RT")
    assert entry.decided_at is not None
    assert fund_balance(group.id) == sql_balance(group) == 40_000
    assert ledger_balance(browser, group) == "Rp 40.000"
    actions = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id).where(
        AuditEntry.entity == "fund_entry", AuditEntry.entity_id == entry.id)
        .order_by(AuditEntry.id)).all()
    assert actions == [("request", user("ladu").id), ("approve", user("kesra").id)]
    page = text_of(browser.get(f"/dana-sosial/penyaluran/{entry.id}"))
    assert "Disetujui" in page and "Bu Kasi Kesra" in page and "Sudah dicek RT" in page


def test_balance_is_contributions_minus_approved_disbursements_exactly(browser, world):
    group = world["ladu"]
    for amount in (925, 3_750, 50_000, 1):
        seed(group, amount)
    seed(world["rajut"], 999_999)  # another group's money is not counted
    approved = new_request(group, 20_000)
    pending = new_request(group, 10_000)
    rejected = new_request(group, 5_000)
    before = fund_balance(group.id)
    assert before == sql_balance(group) == 54_676
    kesra = user("kesra")
    decide_disbursement(approved, "approve", kesra)
    decide_disbursement(rejected, "reject", kesra, note="Sudah dibantu desa")
    db.session.commit()
    assert reload(pending).status == "requested"
    assert fund_balance(group.id) == sql_balance(group) == 34_676
    browser.login("kesra")
    assert ledger_balance(browser, group) == "Rp 34.676"
    page = text_of(browser.get(f"/dana-sosial/kelompok/{group.id}"))
    assert "Sudah dibantu desa" in page  # the rejected request, with its reason
    assert "− Rp 20.000" in page and "− Rp 5.000" not in page


def test_approval_above_the_balance_is_refused_and_changes_nothing(browser, world):
    group = world["ladu"]
    seed(group, 50_000)
    entry = new_request(group, 60_000)
    browser.login("kesra")
    response = decide(browser, entry, "setujui", amount="1")
    assert response.status_code == 400
    assert ("Saldo dana sosial Rp 50.000, kurang dari jumlah yang diminta Rp 60.000"
            in text_of(response))
    assert reload(entry).status == "requested"
    assert fund_balance(group.id) == 50_000
    assert count(AuditEntry, AuditEntry.action == "approve") == 0


def test_rejection_needs_a_reason(browser, world):
    group = world["ladu"]
    seed(group, 50_000)
    entry = new_request(group, 10_000)
    browser.login("kesra")
    response = decide(browser, entry, "tolak", note="  ")
    assert response.status_code == 400 and "Tulis alasan penolakan." in text_of(response)
    assert reload(entry).status == "requested"
    response = decide(browser, entry, "tolak", note="Penerima sudah dapat bantuan")
    assert response.status_code == 302
    entry = reload(entry)
    assert (entry.status, entry.decision_note) == ("rejected", "Penerima sudah dapat bantuan")
    assert fund_balance(group.id) == 50_000
    # Decided once: a second decision is refused.
    response = decide(browser, entry, "setujui")
    assert "Permintaan ini sudah ditolak." in text_of(response)
    assert reload(entry).status == "rejected"


def test_producer_cannot_decide(browser, world):
    group = world["ladu"]
    seed(group, 100_000)
    entry = new_request(group, 10_000)
    browser.login("ladu")
    page = f"/dana-sosial/penyaluran/{entry.id}"
    assert "Setujui" not in text_of(browser.get(page))
    for step in ("setujui", "tolak"):
        response = browser.submit(f"{page}/{step}", {"note": "ok"}, page=page)
        assert response.status_code == 403
    assert reload(entry).status == "requested"
    with pytest.raises(RuleError, match="Hanya petugas desa"):
        decide_disbursement(entry, "approve", user("ladu"))
    db.session.rollback()
    with pytest.raises(RuleError, match="Hanya petugas desa"):
        decide_disbursement(entry, "approve", user("kesra_b"))  # another village's officer
    db.session.rollback()
    assert reload(entry).status == "requested"


def test_extra_fields_on_a_decision_are_ignored(browser, world):
    group = world["ladu"]
    seed(group, 100_000)
    entry = new_request(group, 60_000)
    browser.login("kesra")
    decide(browser, entry, "setujui", amount="1", status="rejected",
           group_id=str(world["opak"].id), decided_by_id=str(user("ladu").id), kind="x")
    entry = reload(entry)
    assert (entry.status, entry.amount, entry.group_id, entry.decided_by_id) == (
        "approved", 60_000, group.id, user("kesra").id)
    assert fund_balance(group.id) == 40_000


def test_extra_fields_on_a_request_are_ignored(browser, world):
    browser.login("ladu")
    ask(browser, world["ladu"], status="approved", group_id=str(world["opak"].id),
        village_id=str(world["b"].id), kind="contribution", decided_by_id="1")
    [entry] = requests_of(world["ladu"])
    assert (entry.status, entry.kind, entry.village_id, entry.decided_by_id) == (
        "requested", "disbursement", world["a"].id, None)
    assert requests_of(world["opak"]) == []


def test_resent_request_creates_one(browser, world):
    browser.login("ladu")
    url, payload = request_form(browser, world["ladu"])
    first = browser.client.post(url, data=payload)
    second = browser.client.post(url, data=payload)
    assert first.status_code == second.status_code == 302
    assert len(requests_of(world["ladu"])) == 1
    assert count(AuditEntry, AuditEntry.action == "request") == 1


@pytest.mark.parametrize("data, message", [
    ({"amount": ""}, "Isi jumlah rupiah."),
    ({"amount": "0"}, "Jumlah harus lebih dari nol."),
    ({"amount": "1,5"}, "Tulis jumlah rupiah tanpa sen"),
    ({"amount": "NaN"}, "Tulis jumlah rupiah dengan angka"),
    ({"amount": "-60.000"}, "Jumlah tidak boleh negatif."),
    ({"amount": "99.999.999.999.999"}, "Jumlah terlalu besar."),
    ({"recipient": "  "}, "Isi nama penerima."),
    ({"recipient": "x" * 161}, "Terlalu panjang"),
    ({"recipient": "Bu\x00Imas"}, "Teks berisi karakter yang tidak diizinkan."),
    ({"purpose": "party"}, "Not a valid choice"),
    ({"occurred_on": ""}, "Isi tanggal."),
    ({"occurred_on": "2999-01-01"}, "Tanggal tidak boleh sesudah hari ini."),
])
def test_bad_request_input_is_refused_and_stores_nothing(browser, world, data, message):
    browser.login("ladu")
    response = ask(browser, world["ladu"], **data)
    assert response.status_code == 200
    page = text_of(response)
    if message == "Not a valid choice":
        assert message in page or "Bukan pilihan yang valid" in page
    else:
        assert message in page
    assert requests_of(world["ladu"]) == []
    assert "Keluarga Bapak Ujang, RT 02" in response.get_data(as_text=True) \
        or "recipient" in data


def test_officer_may_ask_for_a_group_of_their_village(browser, world):
    browser.login("kesra")
    assert ask(browser, world["rajut"], purpose="public_facility").status_code == 302
    [entry] = requests_of(world["rajut"])
    assert (entry.purpose, entry.created_by_id) == ("public_facility", user("kesra").id)


def test_other_groups_villages_and_roles_are_kept_out(make_browser, world):
    group = world["ladu"]
    seed(group, 100_000)
    entry = new_request(group, 10_000)
    ledger = f"/dana-sosial/kelompok/{group.id}"
    detail = f"/dana-sosial/penyaluran/{entry.id}"
    asking = f"{ledger}/penyaluran/baru"
    for username, status in (("rajut", 404), ("opak", 404), ("kesra_b", 404),
                             ("ka", 403), ("pemdes", 403)):
        other = make_browser()
        other.login(username)
        for url in (ledger, detail, asking, f"{ledger}/aturan"):
            assert other.get(url).status_code == status, (username, url)
        for url, data in ((f"{detail}/setujui", {}), (f"{detail}/tolak", {"note": "x"}),
                          (asking, {**REQUEST, "occurred_on": today(group).isoformat()})):
            assert other.submit(url, data, page="/beranda").status_code == status, (
                username, url)
        if status == 403:
            assert other.get("/dana-sosial/").status_code == 403
    assert reload(entry).status == "requested"
    assert len(requests_of(group)) == 1 and requests_of(world["rajut"]) == []
    assert fund_balance(group.id) == 100_000


def test_pending_requests_for_dashboards_are_scoped(world):
    new_request(world["ladu"], 10_000)
    new_request(world["rajut"], 20_000, actor="rajut")
    new_request(world["opak"], 30_000, actor="opak")
    rejected = new_request(world["ladu"], 5_000)
    decide_disbursement(rejected, "reject", user("kesra"), note="Dobel")
    db.session.commit()

    def amounts(username):
        return sorted(e.amount for e in db.session.scalars(
            pending_disbursements_for(user(username))))

    assert amounts("kesra") == [10_000, 20_000]
    assert amounts("kesra_b") == [30_000]
    assert amounts("ladu") == [10_000]
    assert amounts("ka") == [] and amounts("pemdes") == []
    assert pending_disbursement_count(user("kesra")) == 2


def _approve_all_at_once(app, entry_ids, officer_id):
    def approve(entry_id):
        decide_disbursement(db.session.get(FundEntry, entry_id), "approve",
                            db.session.get(User, officer_id))

    return run_at_once(app, approve, entry_ids)


def test_two_approvals_at_once_cannot_overdraw(app, world):
    group = world["ladu"]
    seed(group, 100_000)
    first, second = new_request(group, 60_000), new_request(group, 50_000)
    outcomes = _approve_all_at_once(app, [first.id, second.id], user("kesra").id)
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    statuses = sorted(reload(e).status for e in (first, second))
    assert statuses == ["approved", "requested"]
    assert fund_balance(group.id) == sql_balance(group) >= 0
    assert count(AuditEntry, AuditEntry.action == "approve") == 1


def test_many_approvals_at_once_stop_at_the_balance(app, world):
    group = world["ladu"]
    seed(group, 100_000)
    entries = [new_request(group, 30_000) for _ in range(5)]
    outcomes = _approve_all_at_once(app, [e.id for e in entries], user("kesra").id)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 2, outcomes
    assert fund_balance(group.id) == sql_balance(group) == 10_000


def test_the_same_request_approved_twice_at_once_counts_once(app, world):
    group = world["ladu"]
    seed(group, 100_000)
    entry = new_request(group, 30_000)
    outcomes = _approve_all_at_once(app, [entry.id, entry.id], user("kesra").id)
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    assert fund_balance(group.id) == 70_000
