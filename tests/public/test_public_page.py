"""A reseller's public page: off until they switch it on, at a random link that can be
renewed, showing only the number they chose; every other link answers one same 404."""

import csv
import io
import re
import string
from html import unescape

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.resellers.models import Claim
from tests import factories
from tests.helpers import profile_of, statements_sent, text_of

LOGIN_PHONES = {"ka": "081211110001", "ge": "081211110002", "rb": "081211110003"}


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    ladu = factories.group(a, "Ladu Ketan RW 09", phone="6281311112222")
    factories.producer(a, ladu, username="ladu")
    snack = factories.product(ladu, "Ladu Ketan Original", retail_price=15_000)
    people = {}
    for username, name in (("ka", "Kiki Aulia"), ("ge", "Gilang Eka"), ("rb", "Rudi Budi")):
        people[username] = factories.reseller(a, username=username, full_name=name,
                                              phone=LOGIN_PHONES[username])
        factories.claim(snack, people[username], channels=("whatsapp", "website"))
    return {"a": a, "snack": snack, **people}


@pytest.fixture
def visitor(app):
    """Someone on the internet: no account, no cookies of the resellers."""
    return app.test_client()


def phone_forms(digits: str) -> list[str]:
    """A phone as the pages could print it: 0812…, 62812…, +62 812-…, 812…"""
    local = digits[1:] if digits.startswith("0") else digits[2:]
    return ["0" + local, "62" + local, local, f"0{local[:3]}-{local[3:7]}-{local[7:]}"]


def switch_on(browser, public_whatsapp=""):
    return browser.submit("/reseller/profil", {
        "public_page": "y", "public_whatsapp": public_whatsapp, "whatsapp": "0812-9999-0000",
    })


def page_body(response) -> bytes:
    """The page without the language form's return address (the path asked for) and
    its form token (it carries the second it was made)."""
    return re.sub(rb'name="(next|csrf_token)" value="[^"]*"', rb'name="\1"', response.data)


def wa_targets(html: str) -> set[str]:
    return set(re.findall(r'href="https://wa\.me/([0-9]*)\?', html))


def test_new_and_existing_resellers_start_hidden_with_a_random_link(visitor, world):
    profiles = [profile_of(world[u]) for u in ("ka", "ge", "rb")]
    for profile in profiles:
        assert profile.public_page is False and profile.public_whatsapp is None
        # 80 random bits, not the initials-and-counter code.
        assert re.fullmatch(r"[a-z2-7]{16}", profile.public_slug)
        assert visitor.get(f"/katalog/r/{profile.code}").status_code == 404
        assert visitor.get(f"/katalog/r/{profile.public_slug}").status_code == 404
    assert len({p.public_slug for p in profiles}) == 3


def test_counting_through_reseller_codes_finds_nobody(visitor, browser, world):
    """Even a reseller who switched her page on is not found by trying codes."""
    browser.login("ka")
    switch_on(browser, "0813-5555-6666")
    profile = profile_of(world["ka"])
    assert visitor.get(f"/katalog/r/{profile.public_slug}").status_code == 200
    unknown = visitor.get("/katalog/r/zzzzzzzzzzzzzzzz")
    codes = {profile_of(world[u]).code for u in ("ka", "ge", "rb")}
    assert codes == {"KA", "GE", "RB"}
    # Every two-letter code of the initials' letters, numbered or not, in both cases.
    letters = sorted({c[0] for c in codes})
    tried = [f"{first}{second}{n}" for first in letters for second in string.ascii_uppercase
             for n in ("", "2", "3")]
    for code in tried + [c.lower() for c in codes]:
        response = visitor.get(f"/katalog/r/{code}")
        assert response.status_code == 404, code
        assert page_body(response) == page_body(unknown), code


def answer_and_queries(app, visitor, url) -> tuple[int, bytes, int]:
    """The status and body of ``url`` and how many SQL statements answering took."""
    with statements_sent(app) as statements:
        response = visitor.get(url)
    return response.status_code, page_body(response), len(statements)


def test_hidden_unknown_old_and_malformed_links_answer_alike(app, visitor, browser, world):
    browser.login("ge")
    switch_on(browser, "0813-7777-8888")
    ge = profile_of(world["ge"])
    assert visitor.get(f"/katalog/r/{ge.public_slug}").status_code == 200
    browser.submit("/reseller/profil", {"public_whatsapp": "0813-7777-8888"})  # unticked
    hidden = profile_of(world["ge"])
    assert hidden.public_page is False
    ka = profile_of(world["ka"])  # never switched on
    product = world["snack"].id
    visitor.get("/katalog/r/warmup")  # first connection
    answers = {}
    for name, link in (("hidden", hidden.public_slug), ("never on", ka.public_slug),
                       ("unknown", "a7bq2mxk4p5s6t7v"), ("old code", "GE"),
                       ("old code lower", "ka"), ("too long", "a" * 300),
                       ("nul", "ab%00cd"), ("accents", "%C3%A9t%C3%A9")):
        for url in (f"/katalog/r/{link}", f"/katalog/r/{link}/produk/{product}"):
            answers[(name, url.endswith(str(product)))] = answer_and_queries(app, visitor, url)
    for product_page in (False, True):
        seen = {answer for (name, page), answer in answers.items() if page == product_page}
        assert len(seen) == 1, seen  # one status, one body, one number of queries
        status, body, _queries = seen.pop()
        assert status == 404 and b"Gilang" not in body and b"Kiki" not in body


def test_switching_on_shows_the_page_with_only_the_chosen_number(visitor, browser, world):
    browser.login("ka")
    page = text_of(browser.get("/reseller/profil"))
    assert "Halaman publik Anda belum aktif" in page
    assert "Tampilkan halaman publik saya" in page
    response = switch_on(browser, "0813-5555-6666")
    assert response.status_code == 302
    profile = profile_of(world["ka"])
    assert profile.public_page is True and profile.public_whatsapp == "6281355556666"
    assert profile.whatsapp == "6281299990000"  # the contact for the group, kept apart
    shown = browser.get("/reseller/profil").get_data(as_text=True)
    assert f"http://localhost/katalog/r/{profile.public_slug}" in shown
    assert "Halaman publik Anda aktif" in unescape(shown)

    html = visitor.get(f"/katalog/r/{profile.public_slug}").get_data(as_text=True)
    assert "Katalog dari reseller Kiki Aulia" in text_of(visitor.get(
        f"/katalog/r/{profile.public_slug}"))
    assert wa_targets(html) == {"6281355556666"}
    product = visitor.get(f"/katalog/r/{profile.public_slug}/produk/{world['snack'].id}")
    assert wa_targets(product.get_data(as_text=True)) == {"6281355556666"}
    # Without a chosen number the page stays up and orders go to the group.
    saved = browser.submit("/reseller/profil", {"public_page": "y", "public_whatsapp": "",
                                                "whatsapp": "0812-9999-0000"})
    assert saved.status_code == 302, text_of(saved)[-3000:]
    assert profile_of(world["ka"]).public_whatsapp is None
    html = visitor.get(f"/katalog/r/{profile.public_slug}").get_data(as_text=True)
    assert "Katalog dari reseller Kiki Aulia" in unescape(html)
    assert wa_targets(html) == {"6281311112222"}


def test_login_and_contact_phones_never_appear_on_any_public_page(visitor, browser,
                                                                    make_browser, world):
    """KA shows her page with a number; GE shows his page without one; RB stays
    hidden. All three sell the same product."""
    browser.login("ka")
    switch_on(browser, "0813-5555-6666")
    ge = make_browser()
    ge.login("ge")
    switch_on(ge)
    product = world["snack"].id
    urls = ["/katalog", f"/katalog/produk/{product}"]
    for username in ("ka", "ge", "rb"):
        slug = profile_of(world[username]).public_slug
        urls += [f"/katalog/r/{slug}", f"/katalog/r/{slug}/produk/{product}"]
    secrets = [form for digits in (*LOGIN_PHONES.values(), "081299990000")
               for form in phone_forms(digits)]
    shown = set()
    for url in urls:
        html = visitor.get(url).get_data(as_text=True)
        for secret in secrets:
            assert secret not in html, (url, secret)
        shown |= wa_targets(html)
    # Only KA's chosen number and the group's phone are ever called.
    assert shown == {"6281355556666", "6281311112222"}


def test_renewing_the_link_kills_the_old_one(visitor, browser, world):
    browser.login("ka")
    switch_on(browser, "0813-5555-6666")
    old = profile_of(world["ka"]).public_slug
    assert visitor.get(f"/katalog/r/{old}").status_code == 200
    unknown = visitor.get("/katalog/r/zzzzzzzzzzzzzzzz")
    response = browser.submit("/reseller/profil/link-baru", page="/reseller/profil")
    assert response.status_code == 302
    new = profile_of(world["ka"]).public_slug
    assert new != old and re.fullmatch(r"[a-z2-7]{16}", new)
    gone = visitor.get(f"/katalog/r/{old}")
    assert gone.status_code == 404 and page_body(gone) == page_body(unknown)
    assert visitor.get(f"/katalog/r/{old}/produk/{world['snack'].id}").status_code == 404
    assert visitor.get(f"/katalog/r/{new}").status_code == 200
    page = browser.get("/reseller/profil").get_data(as_text=True)
    assert f"/katalog/r/{new}" in page and old not in page
    assert "Link lama tidak berlaku lagi" in page


def test_listing_kit_and_csv_use_the_public_link_and_say_whether_it_is_on(browser, world):
    browser.login("ka")
    claim_id = db.session.scalar(select(Claim.id).where(Claim.reseller_id == world["ka"].id))
    product = world["snack"].id
    slug = profile_of(world["ka"]).public_slug

    kit = browser.get(f"/klaim/{claim_id}").get_data(as_text=True)
    assert "Halaman publik Anda belum aktif" in unescape(kit)
    assert f"http://localhost/katalog/produk/{product}" in kit
    assert "/katalog/r/" not in kit
    assert "Halaman publik Anda belum aktif" in text_of(browser.get("/klaim"))
    assert "Halaman publik Anda belum aktif" in text_of(browser.get("/beranda"))
    assert "/katalog/r/" not in browser.get("/beranda").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(browser.get("/klaim/ekspor.csv").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert f"http://localhost/katalog/produk/{product}" in rows[1][1]

    switch_on(browser, "0813-5555-6666")
    kit = browser.get(f"/klaim/{claim_id}").get_data(as_text=True)
    assert "Halaman publik Anda aktif" in unescape(kit)
    assert f"http://localhost/katalog/r/{slug}/produk/{product}" in kit
    assert f"/katalog/r/{slug}" in browser.get("/beranda").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(browser.get("/klaim/ekspor.csv").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert f"http://localhost/katalog/r/{slug}/produk/{product}" in rows[1][1]
    assert "/katalog/r/KA" not in kit


def test_migration_hides_existing_pages_and_gives_each_a_random_link(fresh_database_url,
                                                                    tmp_path):
    """Resellers already on the app: their pages go off, their public number stays
    empty (not copied from the login phone) and each gets its own random link."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from crm import create_app
    from crm.config import MIGRATIONS_DIR
    from tests.conftest import _config

    revision = "3f1c9a7d2b64"
    before = ScriptDirectory(MIGRATIONS_DIR).get_revision(revision).down_revision
    app = create_app(_config(fresh_database_url("public_page"), tmp_path))
    with app.app_context():
        upgrade(revision=before)
        now = "2026-12-01 08:00:00"
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO villages (id, code, name, kecamatan, kabupaten, provinsi, "
                "letter_code, timezone, institution_name, address, head_name, head_title, "
                "created_at, updated_at) VALUES (1, '32.04.11.2002', 'Katapang', "
                "'Katapang', 'Bandung', 'Jawa Barat', 'KTP', 'Asia/Jakarta', '', '', '', '', "
                ":now, :now)"), {"now": now})
            for n, (name, phone) in enumerate((("ka", "6281211110001"),
                                               ("ge", "6281211110002")), start=1):
                conn.execute(text(
                    "INSERT INTO users (id, username, full_name, role, password_hash, "
                    "session_token, locale, active, failed_logins, created_at, phone, "
                    "village_id) VALUES (:id, :name, :name, 'reseller', 'x', :token, 'id', "
                    ":yes, 0, :now, :phone, 1)"),
                    {"id": n, "name": name, "token": f"t{n}", "yes": True, "now": now,
                     "phone": phone})
                conn.execute(text(
                    "INSERT INTO reseller_profiles (user_id, village_id, code, whatsapp, "
                    "karang_taruna, shopee_url, tokopedia_url, facebook_url, instagram_url, "
                    "whatsapp_business, other_url, stage, stage_since, mentoring_notes, "
                    "created_at) VALUES (:id, 1, :code, :phone, :no, '', '', '', '', '', "
                    "'', 'socialisation', '2026-12-01', '', :now)"),
                    {"id": n, "code": name.upper(), "phone": phone, "no": False,
                     "now": now})
        upgrade(revision=revision)
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT code, public_page, public_slug, public_whatsapp, whatsapp "
                "FROM reseller_profiles ORDER BY id")).all()
        assert [(r[0], bool(r[1]), r[3]) for r in rows] == [("KA", False, None),
                                                           ("GE", False, None)]
        slugs = [r[2] for r in rows]
        assert all(re.fullmatch(r"[a-z2-7]{16}", s) for s in slugs) and len(set(slugs)) == 2
        assert [r[4] for r in rows] == ["6281211110001", "6281211110002"]  # kept
        downgrade(revision=before)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM reseller_profiles")).scalar() == 2
        db.engine.dispose()
