"""The balance kept per group (``fund_balances``) equals the ledger after every kind
of write: contributions accrued (a percentage of revenue, a fixed amount per month),
a disbursement requested over HTTP, approved and rejected."""

from datetime import timedelta

from sqlalchemy import select

from crm.extensions import db
from crm.fund import balances
from crm.fund.accrual import accrue_contribution, accrue_fixed_months
from crm.fund.models import FundBalance
from crm.fund.queries import fund_balance
from crm.fund.services import decide_disbursement
from crm.reports.drift import table_drift
from tests.fund.support import ask, decide, requests_of, set_rule, today, user
from tests.helpers import text_of


def kept(group) -> tuple[int, int] | None:
    """The group's stored (balance, waiting requests)."""
    db.session.expire_all()
    row = db.session.scalar(select(FundBalance).where(FundBalance.group_id == group.id))
    return None if row is None else (row.balance, row.waiting)


def no_drift() -> bool:
    checked, differences = table_drift(FundBalance, balances.computed_balances())
    return checked > 0 and differences == []


def test_kept_balance_follows_every_write(browser, make_browser, world):
    group, other = world["ladu"], world["opak"]
    set_rule(group, rate_bp=1_000)  # 10 %
    accrue_contribution(group, "order", 1, revenue=500_000, day=today(group))
    accrue_contribution(group, "order", 1, revenue=500_000, day=today(group))  # counted once
    accrue_contribution(group, "booking", 2, revenue=1_000_000, day=today(group))
    db.session.commit()
    assert kept(group) == (150_000, 0) and no_drift()
    set_rule(other, mode="fixed", rate_bp=None, fixed_amount=25_000, actor="kesra_b",
             starts_on=today(other).replace(day=1) - timedelta(days=40))
    accrue_fixed_months(other, today(other))
    db.session.commit()
    assert kept(other) == (fund_balance(other.id), 0) and kept(other)[0] >= 50_000
    assert no_drift()

    browser.login("ladu")
    for amount in ("60.000", "20.000", "5.000"):
        assert ask(browser, group, amount=amount).status_code == 302
    assert kept(group) == (150_000, 3) and no_drift()
    first, second, third = requests_of(group)
    officer = make_browser()
    officer.login("kesra")
    assert decide(officer, first, "setujui").status_code == 302
    assert kept(group) == (90_000, 2) and no_drift()
    response = decide(officer, second, "tolak", note="Sudah dibantu desa")
    assert response.status_code == 302, text_of(response)
    assert kept(group) == (90_000, 1) and no_drift()
    decide_disbursement(third, "approve", user("kesra"))
    db.session.commit()
    assert kept(group) == (85_000, 0) == (fund_balance(group.id), 0) and no_drift()


def test_a_refused_approval_leaves_the_kept_balance(browser, make_browser, world):
    group = world["ladu"]
    set_rule(group, rate_bp=1_000)
    accrue_contribution(group, "order", 7, revenue=100_000, day=today(group))
    db.session.commit()
    browser.login("ladu")
    ask(browser, group, amount="60.000")
    [entry] = requests_of(group)
    officer = make_browser()
    officer.login("kesra")
    assert decide(officer, entry, "setujui").status_code == 400  # more than the balance
    assert kept(group) == (10_000, 1) and no_drift()
