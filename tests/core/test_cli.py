"""``flask crm`` commands: demo data, accounts, backup."""

import re
import sqlite3

import pytest
from flask import current_app
from sqlalchemy import func, select

from crm.auth.models import User
from crm.consignment.models import ConsignmentDrop, ConsignmentVisit, Outlet
from crm.demo import DEMO_PASSWORD
from crm.extensions import db
from crm.fund.models import FundEntry
from crm.proposals.models import Proposal
from crm.villages.models import Village
from tests import factories
from tests.helpers import text_of


def run(app, *args):
    return app.test_cli_runner().invoke(args=["crm", *args])


def test_demo_loads_katapang_and_every_login_reaches_its_dashboard(app, make_browser):
    result = run(app, "demo")
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    katapang = db.session.scalar(select(Village).where(Village.code == "32.04.11.2002"))
    assert katapang.name == "Katapang" and katapang.letter_code == "KTP"
    expected = {"kesra": "officer", "ladu": "producer", "rajut": "producer", "ka": "reseller",
                "ge": "reseller", "pemdes": "partner"}
    for login, role in expected.items():
        assert f"{login}" in result.output
        user = db.session.scalar(select(User).where(User.username == login))
        assert user.role == role
        browser = make_browser()
        assert browser.login(login, DEMO_PASSWORD).headers["Location"] == "/beranda"
        assert browser.get("/beranda").status_code == 200
    ladu = db.session.scalar(select(User).where(User.username == "ladu"))
    assert ladu.group.name == "Ladu Ketan RW 09"
    pemdes = db.session.scalar(select(User).where(User.username == "pemdes"))
    assert pemdes.partner.name == "Pemerintah Desa Katapang"


def test_demo_has_consignment_a_submitted_proposal_and_the_fund(app, make_browser):
    assert run(app, "demo").exit_code == 0
    outlets = db.session.scalars(select(Outlet).order_by(Outlet.name)).all()
    assert [o.name for o in outlets] == ["Kios Pasar Katapang", "Warung Bu Iis"]
    drops = db.session.scalars(select(ConsignmentDrop)).all()
    assert len(drops) == 3 and db.session.scalar(
        select(func.count()).select_from(ConsignmentVisit)) == 1
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == "submitted" and proposal.group.name == "Ladu Ketan RW 09"
    assert proposal.funder_kind == "dinas_koperasi"
    assert proposal.requested_amount == proposal.budget_total == 7_700_000
    kinds = db.session.execute(
        select(FundEntry.kind, FundEntry.status, func.count()).group_by(
            FundEntry.kind, FundEntry.status)).all()
    counts = {(kind, status): n for kind, status, n in kinds}
    assert counts[("contribution", None)] > 0
    assert counts[("disbursement", "approved")] == 1
    # The officer sees the overdue batch, the proposal to review and the request.
    kesra = make_browser()
    kesra.login("kesra", DEMO_PASSWORD)
    home = text_of(kesra.get("/beranda"))
    assert "lewat batas tarik" in home and "proposal modal perlu ditinjau" in home
    for url in ("/titip/", "/proposal/", "/dana-sosial/", f"/proposal/{proposal.id}"):
        assert kesra.get(url).status_code == 200, url


def test_demo_refuses_a_non_empty_database(app):
    factories.village()
    result = run(app, "demo")
    assert result.exit_code != 0 and "not empty" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert run(app, "demo", "--if-empty").exit_code == 0


def test_demo_refuses_production(app, monkeypatch):
    monkeypatch.setitem(current_app.config, "CRM_ENV", "production")
    result = run(app, "demo")
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Village)) == 0


def test_create_village_and_officer(app):
    result = run(app, "create-village", "--code", "32.04.11.2004", "--name", "Gandasari",
                 "--kecamatan", "Katapang", "--kabupaten", "Kabupaten Bandung",
                 "--provinsi", "Jawa Barat", "--letter-code", "gds")
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(args=[
        "crm", "create-user", "--username", "petugas", "--name", "Petugas Gandasari",
        "--role", "officer", "--village", "32.04.11.2004", "--phone", "0812-9999-0000"],
        input="pisang-goreng-7\npisang-goreng-7\n")
    assert result.exit_code == 0, result.output
    officer = db.session.scalar(select(User).where(User.username == "petugas"))
    assert [v.name for v in officer.assigned_villages] == ["Gandasari"]
    assert officer.phone == "6281299990000"


def test_create_user_reports_rule_errors(app):
    result = app.test_cli_runner().invoke(args=[
        "crm", "create-user", "--username", "x y", "--name", "X", "--role", "reseller"],
        input="pisang-goreng-7\npisang-goreng-7\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_backup_writes_a_consistent_copy(app, tmp_path, is_postgres):
    factories.village("Katapang")
    target = tmp_path / "copy.sqlite3"
    result = run(app, "backup", "--output", str(target))
    if is_postgres:
        assert result.exit_code == 2 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM villages").fetchall() == [("Katapang",)]
    assert run(app, "backup", "--output", str(target)).exit_code != 0  # never overwrites


@pytest.mark.parametrize("command", ["demo", "backup", "create-user", "create-village"])
def test_commands_are_listed(app, command):
    assert command in run(app, "--help").output


def test_demo_musrenbang_booking_compares_only_its_food_with_the_ceiling(app, make_browser):
    """The Musrenbang booking: Rp 17.000 of snacks per person and five knitted
    souvenir bags. The snack ceiling (Rp 21.000) is about the food only."""
    from crm.events.models import CateringBooking, Event

    assert run(app, "demo").exit_code == 0
    booking = db.session.scalar(select(CateringBooking).join(Event).where(
        Event.title.like("Musrenbang%")))
    kesra = make_browser()
    kesra.login("kesra", DEMO_PASSWORD)
    response = kesra.get(f"/pesanan-acara/{booking.id}")
    page = text_of(response)
    assert "melebihi batas biaya" not in page and "bukan makanan/minuman" in page
    per_person = re.search(r'id="per-orang">([^<]+)<', response.get_data(as_text=True))
    assert per_person and per_person.group(1).replace("\xa0", " ").strip() == "Rp 17.000"
