"""The calendar page, one-event downloads and the iCalendar feeds behind a token."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from crm.calendar import tokens as calendar_tokens
from crm.calendar.models import CalendarToken
from crm.db.types import utcnow
from crm.documents.ical import CalendarEntry, build_calendar
from crm.events.models import BookingLine, CateringBooking, Event
from crm.extensions import db
from tests import factories
from tests.helpers import csrf_token, reload, statements_sent, text_of

WIB = "Asia/Jakarta"
FEED_URL = re.compile(r'value="(https?://[^"]+/kalender/feed/([A-Za-z0-9_-]+)\.ics)"')


def make_event(village, partner, title="Rapat Bulanan Desa", starts=None, **fields):
    starts = starts or utcnow() + timedelta(days=10)
    event = Event(village_id=village.id, partner_id=partner.id, title=title,
                  place="Balai Desa", starts_at=starts, ends_at=starts + timedelta(hours=2),
                  headcount=40, **fields)
    db.session.add(event)
    db.session.commit()
    return event


def make_booking(event, lines, deliver_at=None, **fields):
    """``lines``: (group, description, quantity) triples."""
    booking = CateringBooking(
        event_id=event.id, village_id=event.village_id, partner_id=event.partner_id,
        deliver_at=deliver_at or event.starts_at - timedelta(hours=1),
        deliver_place="Dapur Balai Desa",
        lines=[BookingLine(group_id=g.id, description=d, quantity=q, unit_price=10_000)
               for g, d, q in lines],
        **fields,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


@pytest.fixture
def world(app):
    a = factories.village("Katapang")
    b = factories.village("Sangkanhurip")
    ladu = factories.group(a, "Ladu Ketan Sari")
    rajut = factories.group(a, "Air Segar")
    pemdes = factories.partner(a, "Pemerintah Desa Katapang")
    kecamatan = factories.partner(a, "Kecamatan Katapang", kind="kecamatan")
    pemdes_b = factories.partner(b, "Pemerintah Desa Sangkanhurip")
    users = {
        "kesra": factories.officer(a, username="kesra"),
        "kesrab": factories.officer(b, username="kesrab"),
        "ladu": factories.producer(a, ladu, username="ladu"),
        "air": factories.producer(a, rajut, username="air"),
        "mitra": factories.partner_contact(a, pemdes, username="mitra"),
        "reseller": factories.reseller(a, username="kiki"),
    }
    meeting = make_event(a, pemdes)
    camat = make_event(a, kecamatan, title="Musrenbang Kecamatan")
    other = make_event(b, pemdes_b, title="Rapat Desa Sangkanhurip")
    shared = make_booking(meeting, [(ladu, "Snack box", 40), (rajut, "Air mineral", 40)])
    water = make_booking(camat, [(rajut, "Air mineral", 60)])
    b_booking = make_booking(other, [(factories.group(b, "Kue Balok"), "Kue balok", 30)])
    return {"a": a, "b": b, "ladu": ladu, "rajut": rajut, "pemdes": pemdes,
            "meeting": meeting, "camat": camat, "other": other, "shared": shared,
            "water": water, "b_booking": b_booking, **users}


def feed_url_for(user) -> str:
    token = calendar_tokens.issue_token(user)
    db.session.commit()
    return f"/kalender/feed/{token}.ics"


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def uids(calendar) -> set[str]:
    return {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")}


def vevent(calendar, uid):
    return next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid + "@"))


# --- iCalendar text ----------------------------------------------------------------


def test_crlf_and_markup_in_a_title_keep_the_feed_valid(app, client, world):
    world["meeting"].title = "Rapat\r\nBulanan, Desa; <script>alert(1)</script>\nSUMMARY:x"
    db.session.commit()
    response = client.get(feed_url_for(world["kesra"]))
    calendar = parse(response)
    events = calendar.walk("VEVENT")
    assert len(events) == response.data.count(b"BEGIN:VEVENT") == 4  # 2 events, 2 deliveries
    summary = str(vevent(calendar, f"event-{world['meeting'].id}")["SUMMARY"])
    assert summary == "Rapat Bulanan, Desa; <script>alert(1)</script> SUMMARY:x"
    # No raw line break inside a property: every unfolded line is NAME[;params]:value.
    unfolded = response.data.decode().replace("\r\n ", "")
    for line in unfolded.split("\r\n"):
        assert line == "" or re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
    assert "\nBulanan" not in unfolded and "\r\nSUMMARY:x" not in unfolded


def test_builder_is_pure_and_escapes_text():
    starts = datetime(2026, 11, 23, 2, tzinfo=UTC)
    entry = CalendarEntry(uid="event-1", summary="a\r\nb, c; d", starts_at=starts,
                          ends_at=starts + timedelta(hours=1), updated_at=starts,
                          description="baris 1\r\nbaris 2", location="Balai, Desa")
    body = build_calendar("Kalender", "crm.example", [entry])
    assert body == build_calendar("Kalender", "crm.example", [entry])
    assert b"SUMMARY:a b\\, c\\; d" in body
    parsed = Calendar.from_ical(body)
    event = parsed.walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == "baris 1\nbaris 2"
    assert str(event["UID"]) == "event-1@crm.example"
    assert b"DTSTART;TZID=Asia/Jakarta:20261123T090000" in body


def test_feed_has_the_icalendar_essentials(app, client, world):
    meeting = world["meeting"]
    meeting.sequence = 3
    meeting.status = "cancelled"
    meeting.cancel_reason = "Kepala desa berhalangan"
    db.session.commit()
    response = client.get(feed_url_for(world["kesra"]))
    calendar = parse(response)
    body = response.data.decode()
    for needed in ("PRODID:", "VERSION:2.0", "CALSCALE:GREGORIAN", "X-WR-CALNAME:",
                   "BEGIN:VTIMEZONE", "TZID:Asia/Jakarta"):
        assert needed in body
    event = vevent(calendar, f"event-{meeting.id}")
    assert event["SEQUENCE"] == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["DTSTART"].params["TZID"] == WIB
    assert event["DTEND"].params["TZID"] == WIB
    assert event["DTSTART"].dt == meeting.starts_at.replace(microsecond=0)
    assert f"DTSTART;TZID={WIB}:" in body
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert event["LAST-MODIFIED"].dt == reload(meeting).updated_at.replace(microsecond=0)
    assert "Rapat Bulanan Desa" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Balai Desa"
    assert "Kepala desa berhalangan" in str(event["DESCRIPTION"])
    # The deliveries of the cancelled event are cancelled too; the other event not.
    assert str(vevent(calendar, f"delivery-{world['shared'].id}-all")["STATUS"]) == "CANCELLED"
    assert str(vevent(calendar, f"event-{world['camat'].id}")["STATUS"]) == "CONFIRMED"
    assert calendar.timezones[0].tz_name == WIB


def test_uids_are_stable_across_requests(app, client, world):
    url = feed_url_for(world["kesra"])
    first, second = client.get(url), client.get(url)
    ids = [[str(e["UID"]) for e in parse(r).walk("VEVENT")] for r in (first, second)]
    assert ids[0] == ids[1]
    assert f"event-{world['meeting'].id}@localhost" in ids[0]
    assert f"delivery-{world['shared'].id}-all@localhost" in ids[0]
    assert first.data == second.data


# --- who sees what -----------------------------------------------------------------


def test_officer_feed_shows_only_their_villages(app, client, world):
    mine = uids(parse(client.get(feed_url_for(world["kesra"]))))
    assert mine == {f"event-{world['meeting'].id}", f"event-{world['camat'].id}",
                    f"delivery-{world['shared'].id}-all", f"delivery-{world['water'].id}-all"}
    theirs = parse(client.get(feed_url_for(world["kesrab"])))
    assert uids(theirs) == {f"event-{world['other'].id}",
                            f"delivery-{world['b_booking'].id}-all"}
    assert b"Katapang" not in client.get(feed_url_for(world["kesrab"])).data


def test_producer_feed_shows_their_deliveries_with_a_reminder(app, client, world):
    response = client.get(feed_url_for(world["ladu"]))
    calendar = parse(response)
    assert uids(calendar) == {f"delivery-{world['shared'].id}-{world['ladu'].group_id}"}
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Antar: 40 Snack box — Rapat Bulanan Desa"
    assert "Snack box" in str(event["DESCRIPTION"])
    assert b"Air mineral" not in response.data  # the other group's line stays hidden
    assert b"Musrenbang" not in response.data
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0]["TRIGGER"].dt == timedelta(days=-1)
    assert b"TRIGGER:-P1D" in response.data
    assert str(event["STATUS"]) == "TENTATIVE"

    water = parse(client.get(feed_url_for(world["air"])))
    assert uids(water) == {f"delivery-{world['shared'].id}-{world['rajut'].id}",
                           f"delivery-{world['water'].id}-{world['rajut'].id}"}


def test_partner_feed_shows_only_their_institution(app, client, world):
    calendar = parse(client.get(feed_url_for(world["mitra"])))
    assert uids(calendar) == {f"event-{world['meeting'].id}",
                              f"delivery-{world['shared'].id}-all"}


def test_reseller_gets_an_empty_calendar_and_no_subscription(app, browser, world):
    browser.login("kiki")
    page = browser.get("/kalender")
    assert page.status_code == 200
    assert "Langganan kalender" not in text_of(page)
    assert "Rapat Bulanan Desa" not in text_of(page)
    assert browser.submit("/kalender/langganan", page="/kalender").status_code == 403
    assert browser.get(f"/acara/{world['meeting'].id}.ics").status_code == 404


def test_one_event_ics_is_scoped(app, browser, world):
    meeting = world["meeting"]
    browser.login("kesrab")
    assert browser.get(f"/acara/{meeting.id}.ics").status_code == 404
    assert browser.get(f"/acara/{world['other'].id}.ics").status_code == 200
    browser.logout()
    browser.login("kesra")
    response = browser.get(f"/acara/{meeting.id}.ics")
    calendar = parse(response)
    assert uids(calendar) == {f"event-{meeting.id}", f"delivery-{world['shared'].id}-all"}
    assert "attachment" in response.headers["Content-Disposition"]
    browser.logout()
    browser.login("ladu")  # a producer gets their own delivery for the event
    assert uids(parse(browser.get(f"/acara/{meeting.id}.ics"))) == {
        f"delivery-{world['shared'].id}-{world['ladu'].group_id}"}
    assert browser.get(f"/acara/{world['camat'].id}.ics").status_code == 404


def test_one_event_ics_needs_login(app, client, world):
    response = client.get(f"/acara/{world['meeting'].id}.ics")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


# --- the window --------------------------------------------------------------------


def test_feed_reaches_90_days_back_and_all_ahead(app, client, world):
    old = make_event(world["a"], world["pemdes"], title="Rapat Lama",
                     starts=utcnow() - timedelta(days=100))
    recent = make_event(world["a"], world["pemdes"], title="Rapat Kemarin",
                        starts=utcnow() - timedelta(days=80))
    far = make_event(world["a"], world["pemdes"], title="Rapat Tahun Depan",
                     starts=utcnow() + timedelta(days=400))
    old_booking = make_booking(old, [(world["ladu"], "Snack box", 10)])
    found = uids(parse(client.get(feed_url_for(world["kesra"]))))
    assert f"event-{recent.id}" in found and f"event-{far.id}" in found
    assert f"event-{old.id}" not in found
    assert f"delivery-{old_booking.id}-all" not in found


# --- tokens ------------------------------------------------------------------------


def test_token_is_made_on_the_page_shown_once_and_stored_hashed(app, browser, make_browser,
                                                                world):
    browser.login("kesra")
    page = browser.get("/kalender")
    assert "Langganan kalender" in text_of(page)
    assert "Buat link langganan" in text_of(page)
    shown = browser.submit("/kalender/langganan", page="/kalender")
    assert shown.status_code == 201  # the answer to the POST itself shows the link
    match = FEED_URL.search(shown.get_data(as_text=True))
    assert match, "the new feed link is shown"
    url, token = match.groups()
    assert len(token) >= 43  # 32 random bytes
    assert shown.headers["Cache-Control"] == "no-store"
    assert shown.get_data(as_text=True).count(f'value="{url}"') == 1
    # Shown once: the next visit no longer has it.
    assert token not in browser.get("/kalender").get_data(as_text=True)

    rows = db.session.scalars(select(CalendarToken)).all()
    assert len(rows) == 1
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0].token_hash)
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in rows[0].token_hash

    stranger = make_browser()  # a calendar app: no session
    feed = stranger.get(url.split("localhost", 1)[1])
    assert uids(parse(feed)) >= {f"event-{world['meeting'].id}"}


def _session_payloads(app, responses) -> list[str]:
    """The decoded session of every Set-Cookie among ``responses`` (as text)."""
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    payloads = []
    for response in responses:
        for header in response.headers.getlist("Set-Cookie"):
            cookie_name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if cookie_name == name and value:
                payloads.append(repr(serializer.loads(value)))
    return payloads


@pytest.mark.parametrize("url", ["/kalender/langganan", "/kalender/langganan/ganti"])
def test_new_feed_secret_never_rides_in_the_session_cookie(app, browser, world, url):
    """The signed session cookie is readable by whoever holds it: the feed secret is
    shown in the answer that makes it and is never written into the cookie."""
    browser.login("ladu")
    if url.endswith("ganti"):
        browser.submit("/kalender/langganan", page="/kalender")
    responses = [browser.get("/kalender")]
    made = browser.submit(url, page="/kalender")
    responses.append(made)
    if made.status_code == 302:  # (a page that shows the link after a redirect)
        made = browser.get(made.headers["Location"])
        responses.append(made)
    token = FEED_URL.search(made.get_data(as_text=True)).group(2)
    responses += [browser.get("/kalender"), browser.get("/beranda")]
    payloads = _session_payloads(app, responses)
    assert payloads, "the flash message writes the session: its cookie is checked"
    assert not [p for p in payloads if token in p]
    cookie = browser.session_cookie()
    assert token not in repr(
        app.session_interface.get_signing_serializer(app).loads(cookie.value))
    # Shown once: the next page does not have it.
    assert token not in responses[-2].get_data(as_text=True)


def test_revoked_token_answers_404_and_a_regenerated_one_works(app, browser, make_browser,
                                                               world):
    browser.login("mitra")
    made = browser.submit("/kalender/langganan", page="/kalender")
    first = FEED_URL.search(made.get_data(as_text=True)).group(1)
    app_client = make_browser()
    first_path = first.split("localhost", 1)[1]
    assert app_client.get(first_path).status_code == 200

    made = browser.submit("/kalender/langganan/ganti", page="/kalender")
    second = FEED_URL.search(made.get_data(as_text=True)).group(1)
    second_path = second.split("localhost", 1)[1]
    assert second_path != first_path
    assert app_client.get(first_path).status_code == 404
    assert app_client.get(second_path).status_code == 200

    response = browser.submit("/kalender/langganan/cabut", page="/kalender")
    assert response.status_code == 302
    assert app_client.get(second_path).status_code == 404
    assert db.session.scalar(
        select(CalendarToken).where(CalendarToken.revoked_at.is_(None))) is None
    assert "Buat link langganan" in text_of(browser.get("/kalender"))


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 500, "..%2F..%2Fetc"])
def test_unknown_tokens_answer_404(app, client, world, token):
    assert client.get(f"/kalender/feed/{token}.ics").status_code == 404


def test_deactivated_users_feed_stops(app, client, world):
    url = feed_url_for(world["ladu"])
    world["ladu"].active = False
    db.session.commit()
    assert client.get(url).status_code == 404


# --- HTTP caching ------------------------------------------------------------------


def test_feed_etag_gives_304_and_changes_after_an_edit(app, client, world):
    url = feed_url_for(world["kesra"])
    response = client.get(url)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag and response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert "Set-Cookie" not in response.headers

    cached = client.get(url, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.data == b""
    assert cached.headers["ETag"] == etag
    assert cached.headers["Cache-Control"] == "private, max-age=300"

    meeting = world["meeting"]
    meeting.starts_at += timedelta(hours=1)
    meeting.ends_at += timedelta(hours=1)
    meeting.sequence += 1
    meeting.updated_at = utcnow() + timedelta(seconds=5)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert vevent(parse(changed), f"event-{meeting.id}")["SEQUENCE"] == 1


def test_unchanged_feed_is_answered_from_one_cheap_query(app, client, world):
    url = feed_url_for(world["ladu"])
    etag = client.get(url).headers["ETag"]
    with statements_sent(app) as statements:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        not_modified = list(statements)
        statements.clear()
        again = client.get(url)  # no validator: the body is built
    # The token lookup and the fingerprint; the calendar itself is not read.
    assert len(not_modified) == 2, not_modified
    assert "calendar_tokens" in not_modified[0]
    assert again.status_code == 200 and len(statements) > len(not_modified)
    assert again.headers["ETag"] == etag


def test_a_confirmed_line_changes_the_producers_feed_at_once(app, client, make_browser,
                                                             world):
    url = feed_url_for(world["ladu"])
    first = client.get(url)
    uid = f"delivery-{world['shared'].id}-{world['ladu'].group_id}"
    assert vevent(parse(first), uid)["STATUS"] == "TENTATIVE"

    producer = make_browser()
    producer.login("ladu")
    booking_page = producer.get(f"/pesanan-acara/{world['shared'].id}")
    token = csrf_token(booking_page.get_data(as_text=True))
    step = producer.client.post(f"/pesanan-acara/{world['shared'].id}/konfirmasi",
                                data={"csrf_token": token})
    assert step.status_code == 302

    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert vevent(parse(changed), uid)["STATUS"] == "CONFIRMED"


# --- pages -------------------------------------------------------------------------


def test_month_page_in_indonesian_with_cancelled_events(app, browser, world):
    starts = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09.00 WIB
    make_event(world["a"], world["pemdes"], title="Rapat Pleno", starts=starts)
    make_event(world["a"], world["pemdes"], title="Rapat Batal", status="cancelled",
               starts=starts + timedelta(days=2))
    make_event(world["b"], world["pemdes"], title="Rapat Desa Lain", starts=starts)
    make_event(world["a"], world["pemdes"], title="<script>alert(1)</script>", starts=starts)
    browser.login("kesra")
    page = browser.get("/kalender?bulan=2026-11")
    assert page.status_code == 200
    text = text_of(page)
    html = page.get_data(as_text=True)
    assert "November 2026" in text
    assert "Senin, 23 November 2026" in text
    assert "Rapat Pleno" in text and "09.00" in text
    assert re.search(r"<s[^>]*>Rapat Batal</s>", html)
    assert "Dibatalkan" in text
    assert "Rapat Desa Lain" not in text  # another village's officer sees it, not this one
    assert "bulan=2026-10" in html and "bulan=2026-12" in html
    assert "<script>" not in html  # user text escaped, no inline script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'style="' not in html


@pytest.mark.parametrize("value", ["abc", "2026-13", "99999-01", "2026-1", "0000-00", ""])
def test_bad_month_shows_this_month(app, browser, world, value):
    browser.login("kesra")
    page = browser.get(f"/kalender?bulan={value}")
    assert page.status_code == 200
    assert "Kalender" in text_of(page)


def test_agenda_lists_the_next_60_days_by_day(app, browser, world):
    make_event(world["a"], world["pemdes"], title="Rapat Jauh",
               starts=utcnow() + timedelta(days=90))
    browser.login("ladu")
    page = browser.get("/kalender/agenda")
    assert page.status_code == 200
    text = text_of(page)
    assert "Antar: 40 Snack box — Rapat Bulanan Desa" in text
    assert "Rapat Jauh" not in text
    assert "Air mineral" not in text
    browser.logout()
    browser.login("mitra")
    text = text_of(browser.get("/kalender/agenda"))
    assert "Rapat Bulanan Desa" in text and "Musrenbang" not in text


def test_calendar_pages_need_login(client):
    for url in ("/kalender", "/kalender/agenda"):
        assert client.get(url).status_code == 302
    assert client.post("/kalender/langganan").status_code in (302, 400)


# --- feeds built from the calendar -------------------------------------------------


def test_a_feed_is_built_from_the_calendar_each_time(app, client, world):
    url = feed_url_for(world["kesra"])
    first = client.get(url)
    assert len(parse(first).walk("VEVENT")) == 4  # two events and their two deliveries
    with statements_sent(app) as statements:
        assert client.get(url).data == first.data  # the same calendar, the same bytes
    assert any("catering_bookings" in s for s in statements)  # the calendar was read

    # A changed event shows at once; its delivery names the event, so it changes too.
    meeting = world["meeting"]
    meeting.title = "Rapat Pleno Desa"
    meeting.updated_at = utcnow() + timedelta(seconds=5)
    db.session.commit()
    changed = parse(client.get(url))
    assert str(vevent(changed, f"event-{meeting.id}")["SUMMARY"]) == "Rapat Pleno Desa"
    delivery = vevent(changed, f"delivery-{world['shared'].id}-all")
    assert "Rapat Pleno Desa" in str(delivery["SUMMARY"])


def test_calendars_show_each_reader_their_own_in_turn(app, client, make_browser, world):
    # The calendars' statements are built once per role and shape and run with each
    # reader's values: readers of one role, one after the other, see their own.
    camat = factories.partner_contact(world["a"], world["camat"].partner, username="camat")
    shared, water = world["shared"].id, world["water"].id
    meeting, musrenbang, other = (world[k].id for k in ("meeting", "camat", "other"))
    ladu, air = world["ladu"].group_id, world["air"].group_id
    expected = {  # login: (feed UIDs, on the agenda, not on it)
        "kesra": ({f"event-{meeting}", f"event-{musrenbang}", f"delivery-{shared}-all",
                   f"delivery-{water}-all"},
                  {"Rapat Bulanan Desa", "Musrenbang Kecamatan"}, {"Sangkanhurip"}),
        "kesrab": ({f"event-{other}", f"delivery-{world['b_booking'].id}-all"},
                   {"Rapat Desa Sangkanhurip"}, {"Rapat Bulanan", "Musrenbang"}),
        "ladu": ({f"delivery-{shared}-{ladu}"},
                 {"Antar: 40 Snack box — Rapat Bulanan Desa"}, {"Air mineral", "Musrenbang"}),
        "air": ({f"delivery-{shared}-{air}", f"delivery-{water}-{air}"},
                {"Antar: 40 Air mineral — Rapat Bulanan Desa",
                 "Antar: 60 Air mineral — Musrenbang Kecamatan"}, {"Snack box"}),
        "mitra": ({f"event-{meeting}", f"delivery-{shared}-all"},
                  {"Rapat Bulanan Desa"}, {"Musrenbang", "Sangkanhurip"}),
        "camat": ({f"event-{musrenbang}", f"delivery-{water}-all"},
                  {"Musrenbang Kecamatan"}, {"Rapat Bulanan", "Sangkanhurip"}),
    }
    users = {login: world[login] for login in expected if login != "camat"} | {"camat": camat}
    feeds = {login: feed_url_for(user) for login, user in users.items()}
    readers = {login: make_browser() for login in expected}
    for login, reader in readers.items():
        reader.login(login)
    for _round in range(2):
        for login, (feed, shown, hidden) in expected.items():
            assert uids(parse(client.get(feeds[login]))) == feed, login
            agenda = text_of(readers[login].get("/kalender/agenda"))
            assert all(text in agenda for text in shown), login
            assert not any(text in agenda for text in hidden), login
