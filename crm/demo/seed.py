"""The Katapang demo: the MRSE study's village, its groups, resellers and partners,
loaded through the features' own services (each part in its module of
:mod:`crm.demo`), then a year of its past (:mod:`crm.demo.history`).

Later features add their demo records in a module of their own, called from
:func:`load_demo`.
"""

from sqlalchemy import func, select

from crm.auth.models import User
from crm.demo.catalogue import add_catalogue
from crm.demo.events import add_events
from crm.demo.group_business import (
    add_consignment,
    add_fund_rules,
    add_fund_use,
    add_proposal,
)
from crm.demo.history import load_history
from crm.demo.orders import add_orders
from crm.demo.village import add_villages, open_accounts
from crm.extensions import db
from crm.reports import summaries
from crm.villages.models import Village

# Printed by `flask crm demo` and written in the README: demo data only (the demo is
# refused in production), so not a secret.
DEMO_PASSWORD = "mrse-demo-2026"  # noqa: S105  # nosec B105


def database_is_empty() -> bool:
    """True when there is no village and no user yet."""
    return not (
        db.session.scalar(select(func.count()).select_from(Village))
        or db.session.scalar(select(func.count()).select_from(User))
    )


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo records; return ``(login, role, description)`` for each login."""
    katapang, ladu, rajut, pemdes, kecamatan = add_villages()
    users, logins = open_accounts(katapang, ladu, rajut, pemdes, DEMO_PASSWORD)
    snacks, bags = add_catalogue(ladu, rajut, users)
    ladu.baseline_monthly_turnover = 15_000_000  # before MRSE (from the study)
    rajut.baseline_monthly_turnover = 10_000_000
    add_fund_rules(ladu, rajut, users)
    add_orders(snacks, bags, users)
    # The orders were moved into the past after shipping: count them in their months.
    db.session.flush()
    summaries.rebuild()
    add_events(katapang, pemdes, kecamatan, ladu, rajut, snacks, users)
    add_consignment(ladu, rajut, snacks, bags, users)
    add_fund_use(ladu, rajut, users)
    add_proposal(ladu, users)
    # A year of the past in every channel, for the reports and the proposal.
    load_history(katapang, ladu, rajut, snacks, bags, pemdes, kecamatan, users)
    return logins
