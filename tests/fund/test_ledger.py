"""The ledger page: rows by date with a running balance, pages of 50, a month filter,
totals per purpose this year; the officer's overview of their villages' groups."""

import re
from datetime import date, timedelta

from crm.extensions import db
from crm.fund.queries import fund_balance
from crm.fund.services import decide_disbursement, request_disbursement
from tests.fund.support import seed, set_rule, today, user
from tests.helpers import text_of


def rows(html: str) -> list[str]:
    return re.findall(r'<li class="fd-(?:contribution|disbursement)" id="baris-(\d+)"', html)


def running(html: str) -> list[str]:
    return [m.replace("\xa0", " ") for m in re.findall(r"saldo (Rp[^<]+)</span>", html)]


def approve(group, amount, day, purpose="orphans", recipient="Panti Asuhan Al-Ikhlas"):
    entry = request_disbursement(group, {
        "amount": amount, "purpose": purpose, "recipient": recipient, "occurred_on": day},
        user("kesra")).entry
    decide_disbursement(entry, "approve", user("kesra"))
    db.session.commit()
    return entry


def test_rows_by_date_with_running_balance(browser, world):
    group = world["ladu"]
    now = today(group)
    first = seed(group, 10_000, day=now - timedelta(days=3))
    approve(group, 4_000, now - timedelta(days=2))
    third = seed(group, 2_500, day=now - timedelta(days=1))
    browser.login("ladu")
    html = browser.get(f"/dana-sosial/kelompok/{group.id}").get_data(as_text=True)
    assert len(rows(html)) == 3
    assert rows(html)[0] == str(third.id) and rows(html)[-1] == str(first.id)  # newest first
    assert running(html) == ["Rp 8.500", "Rp 6.000", "Rp 10.000"]
    page = text_of(browser.get(f"/dana-sosial/kelompok/{group.id}"))
    assert "Santunan anak yatim — Panti Asuhan Al-Ikhlas" in page


def test_pages_of_fifty_keep_the_running_balance(browser, world):
    group = world["ladu"]
    start = today(group) - timedelta(days=80)
    for n in range(55):
        seed(group, 1_000 + n, day=start + timedelta(days=n))
    total = fund_balance(group.id)
    assert total == sum(1_000 + n for n in range(55))
    browser.login("kesra")
    first = browser.get(f"/dana-sosial/kelompok/{group.id}").get_data(as_text=True)
    second = browser.get(f"/dana-sosial/kelompok/{group.id}?page=2").get_data(as_text=True)
    assert len(rows(first)) == 50 and len(rows(second)) == 5
    assert not set(rows(first)) & set(rows(second))
    assert running(first)[0] == f"Rp {total:,}".replace(",", ".")
    # The oldest row's balance is its own amount.
    assert running(second)[-1] == "Rp 1.000"
    assert "Halaman 1 dari 2" in text_of(browser.get(f"/dana-sosial/kelompok/{group.id}"))


def test_month_filter(browser, world):
    group = world["ladu"]
    now = today(group)
    this_month = date(now.year, now.month, 1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    seed(group, 7_000, day=last_month)
    seed(group, 3_000, day=last_month + timedelta(days=5))
    approve(group, 2_000, last_month + timedelta(days=6), purpose="public_facility",
            recipient="Musala RW 09")
    seed(group, 500, day=this_month)
    browser.login("ladu")
    url = f"/dana-sosial/kelompok/{group.id}"
    html = browser.get(f"{url}?bulan={last_month:%Y-%m}").get_data(as_text=True)
    assert len(rows(html)) == 3
    summary = text_of(browser.get(f"{url}?bulan={last_month:%Y-%m}"))
    assert "masuk Rp 10.000, keluar Rp 2.000, saldo akhir bulan Rp 8.000" in summary
    assert len(rows(browser.get(f"{url}?bulan={this_month:%Y-%m}").get_data(as_text=True))) == 1
    empty = browser.get(f"{url}?bulan=2001-01")
    assert rows(empty.get_data(as_text=True)) == [] and "Belum ada catatan" in text_of(empty)
    for bad in ("2026-13", "kemarin", "<script>"):
        response = browser.get(f"{url}?bulan={bad}")
        assert response.status_code == 200
        assert "Bulan tidak dikenali" in text_of(response)
        assert len(rows(response.get_data(as_text=True))) == 4


def test_totals_per_purpose_this_year(browser, world):
    group = world["ladu"]
    now = today(group)
    seed(group, 500_000, day=date(now.year, 1, 1))
    seed(group, 40_000, day=date(now.year - 1, 12, 31))  # last year
    approve(group, 100_000, now, purpose="orphans")
    approve(group, 25_000, now, purpose="orphans")
    approve(group, 60_000, now, purpose="emergency_member", recipient="Ibu Cucu (sakit)")
    approve(group, 10_000, date(now.year - 1, 12, 31), purpose="public_facility")
    pending = request_disbursement(group, {
        "amount": 5_000, "purpose": "public_facility", "recipient": "Musala",
        "occurred_on": now}, user("ladu")).entry
    db.session.commit()
    browser.login("ladu")
    html = browser.get(f"/dana-sosial/kelompok/{group.id}").get_data(as_text=True)

    def figure(key):
        return html.split(f'id="{key}">')[1].split("<")[0].replace("\xa0", " ")

    assert figure("masuk-tahun-ini") == "Rp 500.000"
    assert figure("keperluan-orphans") == "Rp 125.000"
    assert figure("keperluan-emergency_member") == "Rp 60.000"
    assert figure("keperluan-public_facility") == "Rp 0"
    assert figure("saldo") == "Rp 345.000"
    assert figure("menunggu") == "Rp 5.000"
    assert pending.status == "requested"


def test_officer_overview_lists_their_groups_with_balance_and_requests(browser, world):
    seed(world["ladu"], 80_000)
    seed(world["opak"], 999_000)  # another village
    set_rule(world["ladu"], rate_bp=250)
    request_disbursement(world["ladu"], {
        "amount": 30_000, "purpose": "orphans", "recipient": "Panti", "occurred_on":
        today(world["ladu"])}, user("ladu"))
    db.session.commit()
    browser.login("kesra")
    response = browser.get("/dana-sosial/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Ladu Ketan RW 09" in page and "Tas Rajut RW 09" in page
    assert "Opak Sangkanhurip" not in page and "999.000" not in page
    assert "2,5% dari setiap penjualan selesai" in page
    assert "Belum ada aturan iuran." in page  # Tas Rajut
    assert "1 permintaan (Rp 30.000) menunggu" in page
    html = response.get_data(as_text=True)
    assert html.split('id="saldo-semua">')[1].split("<")[0].replace("\xa0", " ") == \
        "Rp 80.000"


def test_producer_goes_straight_to_their_ledger(browser, world):
    browser.login("rajut")
    response = browser.get("/dana-sosial/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dana-sosial/kelompok/{world['rajut'].id}")
    page = text_of(browser.get(response.headers["Location"]))
    assert "Dana sosial Tas Rajut RW 09" in page and "Belum ada iuran atau penyaluran." in page


def test_user_text_is_escaped(browser, world):
    group = world["ladu"]
    seed(group, 10_000)
    request_disbursement(group, {
        "amount": 1_000, "purpose": "other", "recipient": '<script>alert(1)</script>',
        "occurred_on": today(group)}, user("ladu"))
    db.session.commit()
    browser.login("kesra")
    html = browser.get(f"/dana-sosial/kelompok/{group.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
