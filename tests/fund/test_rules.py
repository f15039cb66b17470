"""The fund rule: a percentage typed the Indonesian way or a fixed amount a month,
who may set it, its audit trail, and the fixed months accrued without anyone
remembering them (the page and the daily command)."""

import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.fund.accrual import accrue_all_fixed
from crm.fund.cli import fund_accrue_command
from crm.fund.models import FundEntry, FundRule
from crm.text.percent import PercentError, parse_percent
from tests.fund.support import rule_of, set_rule, today
from tests.helpers import count, text_of


def rule_url(group) -> str:
    return f"/dana-sosial/kelompok/{group.id}/aturan"


def save_rule(browser, group, **data):
    values = {"mode": "percent", "rate": "", "fixed_amount": "",
              "starts_on": today(group).isoformat(), **data}
    return browser.submit(rule_url(group), values)


@pytest.mark.parametrize("typed, basis_points", [
    ("2,5", 250), ("2.5", 250), ("5", 500), ("5 %", 500), ("2,5%", 250), ("0", 0),
    ("100", 10_000), ("2,55", 255), ("12,50", 1250), (" 7 ", 700),
])
def test_rate_is_read_the_indonesian_way(browser, world, typed, basis_points):
    browser.login("ladu")
    response = save_rule(browser, world["ladu"], rate=typed)
    assert response.status_code == 302
    rule = rule_of(world["ladu"])
    assert (rule.mode, rule.rate_bp, rule.fixed_amount) == ("percent", basis_points, 0)
    assert parse_percent(typed) == basis_points


def test_rule_is_shown_in_plain_words(browser, world):
    browser.login("ladu")
    response = save_rule(browser, world["ladu"], rate="2,5")
    assert "2,5% dari setiap penjualan selesai" in text_of(
        browser.get(response.headers["Location"]))
    response = save_rule(browser, world["ladu"], mode="fixed", fixed_amount="Rp 50.000")
    page = text_of(browser.get(response.headers["Location"]))
    assert "Rp 50.000 setiap bulan" in page
    # The form shows the saved rule back.
    html = browser.get(rule_url(world["ladu"])).get_data(as_text=True)
    assert 'value="50.000"' in html
    assert re.search(r'<input checked[^>]*value="fixed"', html)


@pytest.mark.parametrize("data, message", [
    ({"rate": ""}, "Isi persentase, misalnya 2,5."),
    ({"rate": "abc"}, "Tulis persentase dengan angka, misalnya 2,5 atau 5."),
    ({"rate": "NaN"}, "Tulis persentase dengan angka"),
    ({"rate": "Infinity"}, "Tulis persentase dengan angka"),
    ({"rate": "1e2"}, "Tulis persentase dengan angka"),
    ({"rate": "٥"}, "Tulis persentase dengan angka"),
    ({"rate": "2,5,1"}, "Tulis persentase dengan angka"),
    ({"rate": "-1"}, "Persentase 0 sampai 100."),
    ({"rate": "101"}, "Persentase 0 sampai 100."),
    ({"rate": "100,01"}, "Persentase 0 sampai 100."),
    ({"rate": "99999999999999999999"}, "Persentase 0 sampai 100."),
    ({"rate": "2,555"}, "Paling banyak dua angka di belakang koma"),
    ({"mode": "fixed", "fixed_amount": ""}, "Isi jumlah iuran per bulan, misalnya 50.000."),
    ({"mode": "fixed", "fixed_amount": "0"}, "Iuran per bulan harus lebih dari nol."),
    ({"mode": "fixed", "fixed_amount": "lima puluh"}, "Tulis jumlah rupiah dengan angka"),
    ({"mode": "fixed", "fixed_amount": "-50.000"}, "Jumlah tidak boleh negatif."),
    ({"rate": "2,5", "starts_on": ""}, "Isi tanggal mulai berlaku."),
    ({"rate": "2,5", "starts_on": "kemarin"}, "Tulis tanggal yang benar"),
    ({"rate": "2,5", "starts_on": "1999-12-31"}, "Tanggal mulai dari tahun 2000"),
    ({"rate": "2,5", "starts_on": "2999-01-01"}, "Tanggal mulai dari tahun 2000"),
    ({"mode": "weekly", "rate": "2,5"}, "Not a valid choice"),
])
def test_bad_rule_input_is_refused_and_stores_nothing(browser, world, data, message):
    browser.login("ladu")
    response = save_rule(browser, world["ladu"], **data)
    assert response.status_code == 200
    page = text_of(response)
    if message == "Not a valid choice":  # WTForms' own text, translated or not
        assert message in page or "Bukan pilihan yang valid" in page
    else:
        assert message in page
    assert count(FundRule) == 0 and count(FundEntry) == 0
    typed = data.get("rate") or data.get("fixed_amount")
    if typed:  # what the user typed is kept
        assert f'value="{typed}"' in response.get_data(as_text=True)


def test_percent_parser_refuses_nonsense():
    for text in ("", "%", "Infinity", "nan", "2..5", ".5", "+5", "5-"):
        with pytest.raises(PercentError):
            parse_percent(text)


def test_leftover_in_the_other_field_is_ignored(browser, world):
    browser.login("ladu")
    response = save_rule(browser, world["ladu"], mode="fixed", fixed_amount="50.000",
                         rate="bukan angka")
    assert response.status_code == 302
    assert (rule_of(world["ladu"]).mode, rule_of(world["ladu"]).rate_bp) == ("fixed", 0)
    response = save_rule(browser, world["ladu"], rate="3", fixed_amount="lima")
    assert response.status_code == 302
    rule = rule_of(world["ladu"])
    assert (rule.mode, rule.rate_bp, rule.fixed_amount) == ("percent", 300, 0)


def test_every_change_is_audited_old_to_new(browser, make_browser, world):
    browser.login("ladu")
    save_rule(browser, world["ladu"], rate="2,5")
    officer = make_browser()
    officer.login("kesra")
    save_rule(officer, world["ladu"], rate="5")
    save_rule(officer, world["ladu"], rate="5")  # nothing changed: no audit row
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "fund_rule")
                              .order_by(AuditEntry.id)).all()
    assert [(r.action, r.actor.username) for r in rows] == [
        ("set_rule", "ladu"), ("set_rule", "kesra")]
    assert rows[0].changes["rate_bp"] == [None, 250]
    assert rows[1].changes == {"rate_bp": [250, 500]}
    assert rule_of(world["ladu"]).updated_by_id == rows[1].actor_id


def test_rule_is_set_by_the_group_or_its_officer_only(make_browser, world):
    for username, status in (("rajut", 404), ("opak", 404), ("kesra_b", 404),
                             ("ka", 403), ("pemdes", 403)):
        other = make_browser()
        other.login(username)
        assert other.get(rule_url(world["ladu"])).status_code == status, username
        response = other.submit(rule_url(world["ladu"]), {
            "mode": "percent", "rate": "50", "starts_on": today(world["ladu"]).isoformat()},
            page="/beranda")
        assert response.status_code == status, username
    assert count(FundRule) == 0


def months_back(day: date, n: int) -> date:
    year, month = day.year, day.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def fixed_entries(group):
    db.session.expire_all()
    return db.session.scalars(select(FundEntry).where(
        FundEntry.group_id == group.id, FundEntry.source == "fixed")
        .order_by(FundEntry.source_id)).all()


def test_fixed_rule_accrues_each_month_up_to_today_once(browser, world):
    group = world["ladu"]
    now = today(group)
    start = months_back(now, 3)
    browser.login("ladu")
    response = save_rule(browser, group, mode="fixed", fixed_amount="50.000",
                         starts_on=start.isoformat())
    assert response.status_code == 302
    expected = [months_back(now, n) for n in (3, 2, 1, 0)]
    entries = fixed_entries(group)
    assert [(e.source_id, e.occurred_on, e.amount) for e in entries] == [
        (d.year * 100 + d.month, d, 50_000) for d in expected]
    page = text_of(browser.get(response.headers["Location"]))
    for day in expected:
        assert f"Iuran bulan {format_date(day, 'MMMM y', locale='id')}" in page
    assert "Rp 200.000" in page
    # Opening the page again, saving the same rule again: nothing new.
    browser.get(f"/dana-sosial/kelompok/{group.id}")
    save_rule(browser, group, mode="fixed", fixed_amount="50.000", starts_on=start.isoformat())
    assert len(fixed_entries(group)) == 4
    # Months in the future are not counted.
    assert max(e.occurred_on for e in fixed_entries(group)) <= now


def test_first_month_counts_from_the_start_day(world):
    group = world["ladu"]
    now = today(group)
    start = months_back(now, 1) + timedelta(days=9)
    set_rule(group, mode="fixed", fixed_amount=25_000, starts_on=start)
    assert [e.occurred_on for e in fixed_entries(group)] == [start, months_back(now, 0)]


def test_opening_the_fund_page_adds_a_missing_month(browser, world):
    group = world["ladu"]
    set_rule(group, mode="fixed", fixed_amount=30_000, starts_on=months_back(today(group), 2))
    latest = fixed_entries(group)[-1]
    db.session.delete(latest)  # as if the month had only just begun
    db.session.commit()
    assert len(fixed_entries(group)) == 2
    browser.login("ladu")
    assert browser.get(f"/dana-sosial/kelompok/{group.id}").status_code == 200
    assert len(fixed_entries(group)) == 3
    browser.get(f"/dana-sosial/kelompok/{group.id}")
    assert len(fixed_entries(group)) == 3
    officer_list = browser.get("/dana-sosial/")  # producers go to their own ledger
    assert officer_list.headers["Location"].endswith(f"/dana-sosial/kelompok/{group.id}")


def test_daily_command_accrues_missing_months_of_every_fixed_group(app, world):
    ladu, opak = world["ladu"], world["opak"]
    set_rule(ladu, mode="fixed", fixed_amount=50_000, starts_on=months_back(today(ladu), 1))
    set_rule(opak, mode="fixed", fixed_amount=20_000, starts_on=months_back(today(opak), 0),
             actor="kesra_b")
    set_rule(world["rajut"], rate_bp=500)  # percent groups get no monthly entries
    for group in (ladu, opak):
        db.session.delete(fixed_entries(group)[-1])
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(fund_accrue_command)
    assert result.exit_code == 0, result.output
    assert "2 fixed monthly contribution(s) added." in result.output
    assert len(fixed_entries(ladu)) == 2 and len(fixed_entries(opak)) == 1
    assert fixed_entries(world["rajut"]) == []
    again = runner.invoke(fund_accrue_command)
    assert "0 fixed monthly contribution(s) added." in again.output
    assert count(FundEntry) == 3
    assert "cron" in fund_accrue_command.help


def test_switching_to_percent_stops_the_monthly_amount(world):
    group = world["ladu"]
    set_rule(group, mode="fixed", fixed_amount=50_000, starts_on=months_back(today(group), 1))
    set_rule(group, mode="percent", rate_bp=250)
    db.session.delete(fixed_entries(group)[-1])
    db.session.commit()
    assert accrue_all_fixed() == []
    assert len(fixed_entries(group)) == 1
