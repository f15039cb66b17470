"""The command line stays for scripts: an administrator and a village from it."""

from sqlalchemy import select

from crm.auth.models import Role, User
from crm.events.models import SpendingCeiling
from crm.events.spending_ceilings import set_spending_ceiling
from crm.extensions import db
from crm.text.dates import today_in
from crm.villages.models import Village
from tests import factories
from tests.helpers import PASSWORD, count


def test_create_user_makes_an_administrator(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "create-user", "--username", "admin", "--name",
                                 "Bu Admin", "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    assert (admin.role, admin.village_id) == (Role.ADMIN, None)
    assert app.test_client().get("/pasang/mulai").status_code == 404


def test_an_administrator_has_no_village(app):
    factories.village(code="32.04.11.2002")
    result = app.test_cli_runner().invoke(args=[
        "crm", "create-user", "--username", "admin", "--name", "Bu Admin", "--role", "admin",
        "--village", "32.04.11.2002", "--password", PASSWORD])
    assert result.exit_code != 0
    assert count(User) == 0


def test_create_village_takes_its_kabupatens_ceilings(app):
    katapang = factories.village(code="32.04.11.2002")
    set_spending_ceiling(katapang, today_in().year, "snack", 20_000, None)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[
        "crm", "create-village", "--code", "32.04.12.2001", "--name", "Margahayu",
        "--kecamatan", "Margahayu", "--kabupaten", "Kabupaten Bandung", "--provinsi",
        "Jawa Barat", "--letter-code", "MRG", "--timezone", "Asia/Jakarta"])
    assert result.exit_code == 0, result.output
    village = db.session.scalar(select(Village).where(Village.code == "32.04.12.2001"))
    assert db.session.scalar(select(SpendingCeiling.amount).where(
        SpendingCeiling.village_id == village.id)) == 20_000
