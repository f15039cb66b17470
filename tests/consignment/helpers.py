"""Helpers for the consignment tests: a small world and the forms sent like a browser."""

import re
from datetime import date
from html import unescape

from sqlalchemy import select

from crm.catalog.models import Product
from crm.consignment.models import Outlet
from crm.consignment.services import today_for
from crm.extensions import db
from tests import factories
from tests.helpers import csrf_token, form_token, text_of

MARKUP = '<img src="http://127.0.0.1:1/x.png"> <b>Warung</b>'
_ROW = re.compile(r'name="rows-(\d+)-drop_id" type="hidden" value="(\d*)"')
_SEEN = re.compile(r'name="rows-(\d+)-seen" type="hidden" value="(\d*)"')


def today() -> date:
    return today_for(None)


def make_world():
    """Two villages; in Katapang the ladu and rajut groups, in Sangkanhurip opak."""
    a = factories.village("Katapang", letter_code="KTP")
    b = factories.village("Sangkanhurip", letter_code="SKH")
    ladu = factories.group(a, "Ladu Ketan RW 09", chair_name="Ibu Euis Sumiati",
                           address="Kp. Katapang RT 02/RW 09", phone="6281234567890")
    rajut = factories.group(a, "Tas Rajut RW 09", kind="craft")
    opak = factories.group(b, "Opak Sangkanhurip")
    factories.officer(a, username="kesra", full_name="Bu Kasi Kesra")
    factories.officer(b, username="kesra_b")
    factories.producer(a, ladu, username="ladu", full_name="Ibu Euis")
    factories.producer(a, rajut, username="rajut")
    factories.producer(b, opak, username="opak")
    factories.reseller(a, username="ka")
    factories.partner_contact(a, username="pemdes")
    pak = factories.product(ladu, "Ladu Ketan Pak", shelf_life_days=5, retail_price=10_000)
    keripik = factories.product(ladu, "Keripik Pedas", retail_price=7_500,
                                reseller_price=6_000)
    box = factories.product(ladu, "Ladu Box Pesanan", made_to_order=True, daily_capacity=30)
    tas = factories.product(rajut, "Tas Rajut Mini", category="kerajinan", unit="pcs",
                            cost_price=40_000, reseller_price=60_000, retail_price=75_000)
    for product, quantity in ((pak, 50), (keripik, 40), (tas, 10)):
        factories.stock(product, quantity, note="produksi")
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "opak": opak, "pak": pak,
            "keripik": keripik, "box": box, "tas": tas}


def make_outlet(group, name="Warung Bu Imas", **fields) -> Outlet:
    outlet = Outlet(group_id=group.id, village_id=group.village_id, name=name,
                    kind=fields.pop("kind", "warung"),
                    owner_name=fields.pop("owner_name", "Bu Imas"),
                    phone=fields.pop("phone", "6281298765432"), **fields)
    db.session.add(outlet)
    db.session.commit()
    return outlet


def drop_data(browser, outlet, product, quantity, **fields) -> tuple[str, dict]:
    """The drop form as a browser sends it: (url, data)."""
    url = f"/titip/warung/{outlet.id}/taruh"
    html = browser.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html),
            "product_id": str(product.id), "quantity": str(quantity), "unit_price": "",
            "cut_kind": "percent", "cut_value": "10", "placed_on": today().isoformat(),
            "pull_back_on": "", "notes": ""}
    data.update({k: str(v) for k, v in fields.items()})
    return url, data


def post_drop(browser, outlet, product, quantity, **fields):
    url, data = drop_data(browser, outlet, product, quantity, **fields)
    return browser.client.post(url, data=data)


def visit_data(browser, outlet, counts: dict, cash="", **fields) -> tuple[str, dict]:
    """The visit form as a browser sends it. ``counts``: {drop id: (remaining,
    returned, expired)}; rows of other drops are sent empty."""
    url = f"/titip/warung/{outlet.id}/kunjungan"
    html = browser.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "form_token": form_token(html),
            "visited_on": today().isoformat(), "cash_collected": str(cash), "notes": ""}
    seen = dict(_SEEN.findall(html))
    for index, drop_id in _ROW.findall(html):
        data[f"rows-{index}-drop_id"] = drop_id
        data[f"rows-{index}-seen"] = seen[index]
        values = counts.get(int(drop_id), ("", "", ""))
        for name, value in zip(("remaining", "returned", "expired"), values, strict=True):
            data[f"rows-{index}-{name}"] = str(value)
    data.update({k: str(v) for k, v in fields.items()})
    return url, data


def post_visit(browser, outlet, counts: dict, cash="", **fields):
    url, data = visit_data(browser, outlet, counts, cash, **fields)
    return browser.client.post(url, data=data)


def words(response) -> str:
    """The visible text of a page with its white space collapsed."""
    return " ".join(text_of(response).split())


def section(response, css_class: str) -> str:
    """The visible text of the page's ``<section>`` with ``css_class`` ("" if none)."""
    html = response.get_data(as_text=True)
    match = re.search(r'<section class="[^"]*\b' + re.escape(css_class)
                      + r'\b[^"]*".*?</section>', html, re.S)
    if not match:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def stock_of(product) -> int:
    return db.session.scalar(select(Product.stock).where(Product.id == product.id))
