"""Shared records and steps of the community fund tests."""

from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.fund import balances
from crm.fund.models import FundEntry, FundRule
from crm.fund.services import set_fund_rule
from crm.text.dates import village_today
from tests.helpers import csrf_token, form_token, user


def today(group) -> date:
    return village_today(group.village)


def set_rule(group, mode="percent", rate_bp=250, fixed_amount=None, starts_on=None,
             actor="kesra"):
    """A rule set through the service, as the officer."""
    rule = set_fund_rule(group, {"mode": mode, "rate_bp": rate_bp,
                                 "fixed_amount": fixed_amount,
                                 "starts_on": starts_on or today(group)}, user(actor))
    db.session.commit()
    return rule


_source_ids = iter(range(900_000, 10_000_000))


def seed(group, amount, day=None, source="order"):
    """A contribution written straight to the ledger (as a revenue hook would)."""
    entry = FundEntry(group_id=group.id, village_id=group.village_id, kind="contribution",
                      amount=amount, occurred_on=day or today(group), source=source,
                      source_id=next(_source_ids))
    db.session.add(entry)
    balances.add(group.id, group.village_id, balance=amount)  # what the accrual adds
    db.session.commit()
    return entry


REQUEST = {"amount": "60.000", "purpose": "poor_families",
           "recipient": "Keluarga Bapak Ujang, RT 02", "description": "Sembako bulanan"}


def request_form(browser, group, **data):
    """The request form as a browser sends it: (url, data)."""
    url = f"/dana-sosial/kelompok/{group.id}/penyaluran/baru"
    html = browser.get(url).get_data(as_text=True)
    payload = {"csrf_token": csrf_token(html), "form_token": form_token(html),
               "occurred_on": today(group).isoformat(), **REQUEST, **data}
    return url, payload


def ask(browser, group, **data):
    """Send a request for a disbursement; returns the response."""
    url, payload = request_form(browser, group, **data)
    return browser.client.post(url, data=payload)


def decide(browser, entry, step, **data):
    url = f"/dana-sosial/penyaluran/{entry.id}"
    return browser.submit(f"{url}/{step}", data, page=url)


def requests_of(group) -> list[FundEntry]:
    return db.session.scalars(select(FundEntry).where(
        FundEntry.group_id == group.id, FundEntry.kind == "disbursement")
        .order_by(FundEntry.id)).all()


def rule_of(group) -> FundRule | None:
    db.session.expire_all()
    return db.session.scalar(select(FundRule).where(FundRule.group_id == group.id))
