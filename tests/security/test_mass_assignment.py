"""Extra fields in every form (ids of another owner, a status, prices, amounts, a
role) are ignored: posted with each form as the page filled it in, they end up in no
stored row. Forms are found by walking the site as each role; the create forms with
required input are covered field by field in each feature's tests as well."""

import pytest
from sqlalchemy import BigInteger, func, literal, or_, select, union_all

from crm.auth.models import User
from crm.catalog.models import ProducerGroup
from crm.extensions import db
from crm.villages.models import Village
from tests.helpers import Browser
from tests.security.crawl import crawl
from tests.security.test_bad_input import _encode
from tests.security.world import build_world, restore_accounts

ODD_AMOUNT = 999_999_937
LOGINS = ("kesra", "ladu", "ka", "pemdes")


def _foreign_ids() -> dict:
    opak = db.session.scalar(select(ProducerGroup).where(ProducerGroup.name.like("Opak%")))
    skh = db.session.scalar(select(Village).where(Village.letter_code == "SKH"))
    ge = db.session.scalar(select(User).where(User.username == "ge"))
    return {"group_id": opak.id, "village_id": skh.id, "reseller_id": ge.id}


def _extras(foreign: dict) -> dict:
    return {
        **{name: str(value) for name, value in foreign.items()},
        "status": "finished", "role": "officer", "active": "y", "price": "1",
        "retail_price": "1", "reseller_price": "1", "unit_price": "1",
        "amount": str(ODD_AMOUNT), "approved_amount": str(ODD_AMOUNT),
        "disbursed_amount": str(ODD_AMOUNT), "on_shelf": str(ODD_AMOUNT),
        "stock": str(ODD_AMOUNT), "balance": str(ODD_AMOUNT), "user_id": "1",
        "created_by_id": "1", "partner_id": "1",
    }


def _foreign_rows(foreign: dict) -> dict:
    """How many rows of each table point at the other owner, or hold the odd amount
    (one statement for all tables)."""
    counts = []
    for table in db.metadata.sorted_tables:
        conditions = [table.c[name] == value for name, value in foreign.items()
                      if name in table.c]
        conditions += [column == ODD_AMOUNT for column in table.c
                       if isinstance(column.type, BigInteger)]
        if conditions:
            counts.append(select(literal(table.name).label("name"),
                                 func.count().label("n")).select_from(table)
                          .where(or_(*conditions)))
    return dict(db.session.execute(union_all(*counts)).all())


@pytest.mark.parametrize("login", LOGINS)
@pytest.mark.slow
def test_extra_fields_are_ignored_in_every_form(app, login):
    build_world()
    foreign = _foreign_ids()
    extras = _extras(foreign)
    browser = Browser(app.test_client())
    assert browser.login(login).status_code == 302
    _pages, forms, _documents = crawl(browser.client)
    role = db.session.scalar(select(User.role).where(User.username == login))
    accepted = 0
    for form in forms:
        before = _foreign_rows(foreign)
        values = {name: (offered[0] if offered else "") for name, offered in form.fields.items()}
        values.update({name: value for name, value in extras.items() if name not in values})
        response = browser.client.post(form.action, data=_encode(values.items()),
                                       content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, form.action
        accepted += response.status_code == 302
        db.session.expire_all()
        assert _foreign_rows(foreign) == before, f"{login} {form.action} stored an extra field"
        assert db.session.scalar(select(User.role).where(User.username == login)) == role
        if browser.get("/beranda").status_code != 200:  # the form signed us out
            restore_accounts()
            browser.login(login)
    print(f"\nmass assignment as {login}: {len(forms)} forms, {accepted} accepted")
    assert accepted > 0
