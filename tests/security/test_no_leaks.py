"""What owner A's pages, lists, CSV files, PDFs, calendar feeds and dashboards show
holds nothing of owner B: neither B's names nor links to B's records."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from crm.auth.models import User
from crm.calendar.tokens import issue_token
from crm.catalog.models import ProducerGroup, Product
from crm.consignment.services import create_outlet
from crm.extensions import db
from crm.fund.services import request_disbursement
from crm.proposals.services import create_proposal
from tests import factories
from tests.helpers import Browser
from tests.security.crawl import crawl
from tests.security.world import build_world


def _group(name: str) -> ProducerGroup:
    return db.session.scalar(select(ProducerGroup).where(ProducerGroup.name.like(f"{name}%")))


def _user(login: str) -> User:
    return db.session.scalar(select(User).where(User.username == login))


def _secrets() -> dict:
    """Records of the B owners with names no A owner may ever see; their URLs."""
    rajut, opak = _group("Tas Rajut"), _group("Opak")
    kesra2 = _user("kesra2")
    proposal = {"title": "x", "funder_kind": "dinas_koperasi", "funder_name": "Dinas",
                "requested_amount": None, "evidence_months": 6}
    made = {
        "rajut_outlet": create_outlet(rajut, {"name": "Warung RAHASIA RAJUT",
                                              "kind": "warung"}, _user("rajut")),
        "rajut_proposal": create_proposal(rajut, {**proposal,
                                                  "title": "Proposal RAHASIA RAJUT"},
                                          _user("rajut")).proposal,
        "rajut_fund": request_disbursement(rajut, {
            "amount": 1_000, "purpose": "other", "recipient": "Penerima RAHASIA RAJUT",
            "description": "", "occurred_on": date.today()}, _user("rajut")).entry,
        "skh_outlet": create_outlet(opak, {"name": "Warung RAHASIA SKH", "kind": "warung"},
                                    kesra2),
        "skh_proposal": create_proposal(opak, {**proposal, "title": "Proposal RAHASIA SKH"},
                                        kesra2).proposal,
    }
    bag = db.session.scalar(select(Product).where(Product.group_id == rajut.id))
    made["ge_order"] = factories.order(_user("ge"), [(bag, 1)], status="new",
                                       customer_name="Pembeli RAHASIA GE")
    issue_token(_user("pemdes"))
    db.session.commit()
    return {
        "urls": {
            "rajut": [f"/titip/warung/{made['rajut_outlet'].id}",
                      f"/proposal/{made['rajut_proposal'].id}",
                      f"/dana-sosial/penyaluran/{made['rajut_fund'].id}"],
            "skh": [f"/titip/warung/{made['skh_outlet'].id}",
                    f"/proposal/{made['skh_proposal'].id}"],
            "ge": [f"/pesanan/{made['ge_order'].id}"],
        },
    }


# Owner A → what must never reach them.
FORBIDDEN = {
    "kesra": ("RAHASIA SKH", "Opak Sangkanhurip"),
    "ladu": ("RAHASIA RAJUT", "RAHASIA SKH", "RAHASIA GE"),
    "ka": ("RAHASIA GE", "RAHASIA RAJUT", "RAHASIA SKH"),
    "pemdes": ("Musrenbang", "RAHASIA"),
}
FORBIDDEN_LINKS = {"kesra": ("skh",), "ladu": ("rajut", "skh", "ge"),
                   "ka": ("ge", "rajut", "skh"), "pemdes": ("rajut", "skh", "ge")}


@pytest.mark.parametrize("login", sorted(FORBIDDEN))
@pytest.mark.slow
def test_nothing_of_another_owner_shows_anywhere(app, login):
    build_world()
    secrets = _secrets()
    browser = Browser(app.test_client())
    assert browser.login(login).status_code == 302
    pages, _forms, documents = crawl(browser.client, limit=300)
    assert len(pages) > 5
    for url, text in {**pages, **documents}.items():
        for name in FORBIDDEN[login]:
            assert name not in text, f"{login} sees {name!r} on {url}"
    for url, html in pages.items():
        links = set(re.findall(r'href="([^"]+)"', html))
        for owner in FORBIDDEN_LINKS[login]:
            for secret in secrets["urls"][owner]:
                assert secret not in links, f"{login} has a link to {secret} on {url}"
    kinds = {url.rsplit(".", 1)[-1] for url in documents}
    print(f"\n{login}: {len(pages)} pages, {len(documents)} documents ({sorted(kinds)})")
