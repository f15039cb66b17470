"""The access matrix: every route of the app, as every role and owner.

For each rule in ``app.url_map`` and each of its methods, MATRIX names the logins that
get through with owner A's records in the URL (the Ladu Ketan group, reseller KA,
Pemerintah Desa Katapang, the Katapang officer). Everyone else gets 403 (wrong role)
or 404 (someone else's record), anonymous visitors are sent to sign in, and a refused
POST changes nothing. A new route fails the meta-test until it is added here.
"""

import pytest
from sqlalchemy import func, select

from crm.documents.models import DocumentCounter, IssuedDocument
from crm.extensions import db
from tests.helpers import Browser, csrf_token
from tests.security.records import STEP_WORDS, owner_a_records
from tests.security.snapshot import snapshot
from tests.security.world import build_world, restore_accounts

LOGINS = ("anon", "kesra", "kesra2", "ladu", "rajut", "opak", "ka", "ge", "pemdes", "camat",
          "admin")

# "<endpoint> <METHOD>": the logins that get through (200, 302 elsewhere than the
# sign-in page, or a form refused for its content: 400/422). The administrator (admin)
# sets up villages and officers: the villages' daily pages refuse them, and the few
# pages every role opens (calendar, products, orders, claims) show them no village's
# records (tests/setup/test_admin.py).
MATRIX = {
    "audit.index GET": "kesra kesra2",
    "audit.record GET": "kesra",
    "auth.account GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "auth.account POST": "kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "auth.create_user GET": "kesra kesra2",
    "auth.create_user POST": "kesra kesra2",
    # Opened without signing in; the link is the key (tests/auth/test_first_sign_in.py),
    # so a made-up one answers 404 to everyone.
    "auth.first_sign_in GET": "anon",
    "auth.first_sign_in POST": "anon",
    "auth.login GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "auth.login POST": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "auth.new_first_sign_in_link POST": "kesra",
    "auth.reset_password POST": "kesra",
    "auth.toggle_active POST": "kesra",
    "auth.user_detail GET": "kesra",
    "auth.users GET": "kesra kesra2",
    "calendar.agenda GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat",
    "calendar.create_token POST": "kesra kesra2 ladu rajut opak pemdes camat",
    "calendar.event_ics GET": "kesra ladu pemdes",
    "calendar.feed GET": "anon",
    "calendar.month GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat",
    "calendar.regenerate_token POST": "kesra kesra2 ladu rajut opak pemdes camat",
    "calendar.revoke_token POST": "kesra kesra2 ladu rajut opak pemdes camat",
    "catalog.create_product GET": "kesra ladu",
    "catalog.create_product POST": "kesra ladu",
    "catalog.edit_product GET": "kesra ladu",
    "catalog.edit_product POST": "kesra ladu",
    "catalog.ledger GET": "kesra ladu",
    "catalog.product_detail GET": "kesra ladu ka ge pemdes camat",
    "catalog.product_photo GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "catalog.products GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat",
    "catalog.record_stock POST": "kesra ladu",
    "catalog.upload_photo POST": "kesra ladu",
    "consignment.create_outlet GET": "kesra kesra2 ladu rajut opak",
    "consignment.create_outlet POST": "kesra kesra2 ladu rajut opak",
    "consignment.drop_detail GET": "kesra ladu",
    "consignment.edit_outlet GET": "kesra ladu",
    "consignment.edit_outlet POST": "kesra ladu",
    "consignment.outlet_detail GET": "kesra ladu",
    "consignment.outlets GET": "kesra kesra2 ladu rajut opak",
    "consignment.place_drop GET": "kesra ladu",
    "consignment.place_drop POST": "kesra ladu",
    "consignment.record_visit GET": "kesra ladu",
    "consignment.record_visit POST": "kesra ladu",
    "consignment.visit_detail GET": "kesra ladu",
    "consignment.visit_slip GET": "kesra ladu",
    "consignment.issue_slip POST": "kesra ladu",
    "events.book GET": "kesra pemdes",
    "events.book POST": "kesra pemdes",
    "events.booking_detail GET": "kesra ladu pemdes",
    "events.booking_step POST": "kesra ladu pemdes",
    "events.bookings GET": "kesra kesra2 ladu rajut opak pemdes camat",
    "events.cancel_event POST": "kesra pemdes",
    "events.ceilings GET": "kesra kesra2",
    "events.ceilings POST": "kesra kesra2",
    "events.create_event GET": "kesra kesra2 pemdes camat",
    "events.create_event POST": "kesra kesra2 pemdes camat",
    "events.delivery_pdf GET": "kesra ladu pemdes",
    "events.issue_delivery POST": "kesra ladu pemdes",
    "events.issue_invoice POST": "kesra ladu pemdes",
    "events.issue_receipt POST": "kesra ladu pemdes",
    "events.edit_event GET": "kesra pemdes",
    "events.edit_event POST": "kesra pemdes",
    "events.event_detail GET": "kesra ladu pemdes",
    "events.index GET": "kesra kesra2 ladu rajut opak pemdes camat",
    "events.invoice_pdf GET": "kesra ladu pemdes",
    "events.receipt_pdf GET": "kesra ladu pemdes",
    "fund.decide POST": "kesra",
    "fund.disbursement GET": "kesra ladu",
    "fund.index GET": "kesra kesra2 ladu rajut opak",
    "fund.ledger GET": "kesra ladu",
    "fund.request_disbursement GET": "kesra ladu",
    "fund.request_disbursement POST": "kesra ladu",
    "fund.rule GET": "kesra ladu",
    "fund.rule POST": "kesra ladu",
    "groups.create GET": "kesra kesra2",
    "groups.create POST": "kesra kesra2",
    "groups.detail GET": "kesra ladu",
    "groups.edit GET": "kesra ladu",
    "groups.edit POST": "kesra ladu",
    "groups.index GET": "kesra kesra2 ladu rajut opak",
    "health.healthz GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.dashboard GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.favicon GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.index GET": "kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.offline GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.service_worker GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.set_language POST": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "home.web_manifest GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "imports.index GET": "kesra kesra2",
    "imports.new_link POST": "kesra",
    "imports.preview GET": "kesra",
    "imports.save POST": "kesra",
    "imports.template GET": "kesra kesra2",
    "imports.upload GET": "kesra",
    "imports.upload POST": "kesra",
    "inbox.choose_products POST": "ka",
    "inbox.columns GET": "ka",
    "inbox.columns POST": "ka",
    "inbox.labels GET": "ka",
    "inbox.labels POST": "ka",
    "inbox.preview GET": "ka",
    "inbox.save POST": "ka",
    "inbox.upload GET": "ka ge",
    "inbox.upload POST": "ka ge",
    "orders.attach_label POST": "ka",
    "orders.create GET": "ka ge",
    "orders.create POST": "ka ge",
    "orders.detail GET": "kesra ladu ka",
    "orders.index GET": "kesra kesra2 ladu rajut opak ka ge",
    "orders.label GET": "ladu",
    "orders.paste POST": "ka ge",
    "orders.queue GET": "kesra kesra2 ladu rajut opak",
    "orders.today_page GET": "ladu rajut opak",
    "orders.remove_label POST": "ka",
    "orders.step POST": "kesra ladu ka",
    "partners.agreement_pdf GET": "kesra ladu rajut pemdes",
    "partners.issue_letter POST": "kesra",
    "partners.change_status POST": "kesra",
    "partners.create GET": "kesra kesra2",
    "partners.create POST": "kesra kesra2",
    "partners.create_partnership GET": "kesra kesra2",
    "partners.create_partnership POST": "kesra kesra2",
    "partners.detail GET": "kesra pemdes",
    "partners.edit GET": "kesra pemdes",
    "partners.edit POST": "kesra pemdes",
    "partners.index GET": "kesra kesra2 pemdes camat",
    "partners.offer_pdf GET": "kesra ladu rajut pemdes",
    "partners.partnership GET": "kesra ladu rajut pemdes",
    "partners.partnerships GET": "kesra kesra2 ladu rajut opak pemdes camat",
    "proposals.advocacy_pdf GET": "kesra ladu",
    "proposals.budget GET": "kesra ladu",
    "proposals.budget POST": "kesra ladu",
    "proposals.budget_line GET": "kesra ladu",
    "proposals.budget_line POST": "kesra ladu",
    "proposals.checklist GET": "kesra ladu",
    "proposals.checklist POST": "kesra ladu",
    "proposals.create GET": "kesra kesra2 ladu rajut opak",
    "proposals.create POST": "kesra kesra2 ladu rajut opak",
    "proposals.delete_budget_line POST": "kesra ladu",
    "proposals.detail GET": "kesra ladu",
    "proposals.edit GET": "kesra ladu",
    "proposals.edit POST": "kesra ladu",
    "proposals.index GET": "kesra kesra2 ladu rajut opak",
    "proposals.proposal_pdf GET": "kesra ladu",
    "proposals.step POST": "kesra ladu",
    "public.catalog GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "public.product GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "reports.area GET": "kesra kesra2",
    "reports.area_csv GET": "kesra kesra2",
    "reports.area_xlsx GET": "kesra kesra2",
    "reports.earnings GET": "ka ge",
    "reports.other_sales GET": "ladu rajut opak",
    "reports.other_sales POST": "ladu rajut opak",
    "reports.sales GET": "kesra kesra2 ladu rajut opak",
    "reports.sales_csv GET": "kesra kesra2 ladu rajut opak",
    "reports.villages GET": "kesra kesra2",
    "reports.villages_pdf GET": "kesra kesra2",
    "resellers.browse GET": "ka ge",
    "resellers.claim GET": "ka ge",
    "resellers.claim POST": "ka ge",
    "resellers.claim_detail GET": "kesra ladu ka",
    "resellers.claim_step POST": "ka",
    "resellers.claims GET": "kesra kesra2 ladu rajut opak ka ge",
    "resellers.detail GET": "kesra",
    "resellers.export_csv GET": "ka ge",
    "resellers.index GET": "kesra kesra2",
    "resellers.my_profile GET": "ka ge",
    "resellers.my_profile POST": "ka ge",
    "resellers.renew_public_link POST": "ka ge",
    "resellers.record_mentoring POST": "kesra",
    "settlements.balances GET": "kesra kesra2 ladu rajut opak ka ge",
    "settlements.create_payment POST": "ka ge",
    "settlements.decide_payment POST": "kesra ladu",
    "settlements.payment_proof GET": "kesra ladu ka",
    "settlements.payments GET": "kesra kesra2 ladu rajut opak ka ge",
    "settlements.record_return GET": "kesra ladu",
    "settlements.record_return POST": "kesra ladu",
    "settlements.statement GET": "kesra ladu ka",
    "settlements.statement_csv GET": "kesra ladu ka",
    "settlements.statement_pdf GET": "kesra ladu ka",
    # The first run answers only while there is no account (tests/setup).
    "setup.first_run GET": "anon",
    "setup.first_run POST": "anon",
    "setup.checklist_page GET": "kesra admin",
    "setup.create_officer GET": "admin",
    "setup.create_officer POST": "admin",
    "setup.create_village GET": "admin",
    "setup.create_village POST": "admin",
    "setup.edit_village GET": "admin",
    "setup.edit_village POST": "admin",
    "setup.new_link POST": "admin",
    "setup.officer GET": "admin",
    "setup.officer POST": "admin",
    "setup.officer_list GET": "admin",
    "setup.villages GET": "admin",
    "static GET": "anon kesra kesra2 ladu rajut opak ka ge pemdes camat admin",
    "villages.detail GET": "kesra",
    "villages.edit_letterhead GET": "kesra",
    "villages.edit_letterhead POST": "kesra",
    "villages.index GET": "kesra kesra2",
    "villages.logo GET": "kesra ladu rajut ka ge pemdes camat admin",
}
# Routes taken by every login but not walked here: signing out ends the session.
NOT_WALKED = {"auth.logout POST"}
DENIED = (403, 404)


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, f"{rule.endpoint} {method}"


def test_every_route_is_in_the_matrix(app):
    keys = {key for _rule, _method, key in _rules(app)}
    assert keys - set(MATRIX) - NOT_WALKED == set(), "routes missing from MATRIX"
    assert set(MATRIX) - keys == set(), "MATRIX names routes that no longer exist"
    for key, logins in MATRIX.items():
        assert set(logins.split()) <= set(LOGINS), key


def _url(rule, records) -> str:
    params = {name: records[name] for name in rule.arguments if name in records}
    params.update(STEP_WORDS.get(rule.endpoint, {}))
    params.update(rule.defaults or {})
    return rule.build(params)[1]


def _outcome(response) -> str:
    if response.status_code == 302 and "/masuk" in response.headers.get("Location", ""):
        return "login"
    return str(response.status_code)


def _document_numbers() -> tuple:
    """The numbers issued and how far every counter went."""
    db.session.rollback()  # read what the requests committed
    return (db.session.scalar(select(func.count()).select_from(IssuedDocument)),
            db.session.scalar(select(func.coalesce(func.sum(DocumentCounter.last), 0))))


@pytest.mark.parametrize("login", LOGINS)
def test_access_matrix(app, login):
    build_world()
    records = owner_a_records()
    restore_accounts()
    browser = Browser(app.test_client())
    if login != "anon":
        assert browser.login(login).status_code == 302
    token = csrf_token(browser.get("/akun" if login != "anon" else "/masuk")
                       .get_data(as_text=True))
    walked = [(rule, method, key) for rule, method, key in _rules(app)
              if key not in NOT_WALKED]
    # Reading first, then writing: a POST of this login may change what it reads.
    walked.sort(key=lambda item: item[1] != "GET")
    wrong = []
    refused = 0
    numbers = _document_numbers()
    for rule, method, key in walked:
        if method != "GET" and numbers is not None:
            # Every GET of every route walked: none gave a document a number (a link
            # on another site can make a signed-in browser send any GET).
            assert _document_numbers() == numbers, f"{login}: a GET issued a number"
            numbers = None
        url = _url(rule, records)
        allowed = login in MATRIX[key].split()
        if key == "calendar.feed GET":  # the secret link is the key, not the login
            url = url.replace(records["token"], "x" * 43)
            allowed = False
        if key.startswith("auth.first_sign_in "):  # a made-up first sign-in link
            allowed = False
        if key.startswith("setup.first_run "):  # the world has accounts: closed
            allowed = False
        before = None if allowed or method == "GET" else snapshot()
        if method == "GET":
            response = browser.client.get(url)
        else:
            response = browser.client.post(url, data={"csrf_token": token})
        outcome = _outcome(response)
        assert response.status_code < 500, f"{login} {key} {url}: {outcome}"
        if allowed:
            ok = outcome not in ("login", "403", "404")
        elif login == "anon" and key not in PUBLIC:
            ok = outcome == "login"
        else:
            ok = response.status_code in DENIED
        refused += not allowed
        if before is not None and snapshot() != before:
            wrong.append(f"{key} {url}: refused but changed data")
        if not ok:
            wrong.append(f"{key} {url}: {outcome}")
    assert wrong == [], f"{login}: {wrong}"
    print(f"\n[access matrix] {login}: {len(walked)} route-methods, {refused} refused")


# Routes open to visitors (no sign-in page on the way).
PUBLIC = {key for key, logins in MATRIX.items() if "anon" in logins.split()}


def test_the_calendar_feed_answers_only_to_its_secret_link(app):
    build_world()
    records = owner_a_records()
    client = app.test_client()
    assert client.get(f"/kalender/feed/{records['token']}.ics").status_code == 200
    assert client.get(f"/kalender/feed/{'x' * 43}.ics").status_code == 404
