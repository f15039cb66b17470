"""Check a generated database through the app: every manifest login signs in and
opens the records the manifest names, and (``--crawl``) each role's pages reached by
following links answer without a server error.

    .venv/bin/python -m bench.check_manifest --database-url URL --manifest PATH
        [--invariants] [--crawl N]

``--invariants`` also checks the app's bookkeeping in SQL (stock = ledger, open claims
counted, capacity, shelf arithmetic, fund balances …). Prints each URL with its
status; exits 1 when a manifest page is not 200, a crawled page answers 500 or an
invariant is broken.
"""

import argparse
import json
import re
import sys
import tempfile
import time
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

from crm import create_app
from crm.config import normalise_database_url

_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
_LINK = re.compile(r'href="([^"#][^"]*)"')
# Links a crawler must not follow: sign-out, other languages, static files, photos.
_SKIP = re.compile(r"^/(keluar|static/|foto/|favicon|bahasa)")


def manifest_pages(manifest: dict) -> list[tuple[str | None, str]]:
    """(login key, url) of every record of the manifest, for the role that sees it."""
    ids, feeds, month = manifest["ids"], manifest["feeds"], manifest["month"]
    booking, group = ids["booking"], ids["booking_group"]
    pair = f"{ids['statement_group']}/{ids['statement_reseller']}"
    pages = [
        (None, "/katalog"),
        (None, f"/katalog/r/{ids['reseller_link']}"),
        (None, f"/katalog/produk/{ids['product']}"),
        (None, f"/kalender/feed/{feeds['officer']}.ics"),
        (None, f"/kalender/feed/{feeds['producer']}.ics"),
        (None, f"/kalender/feed/{feeds['partner']}.ics"),
    ]
    for role in ("officer", "officer_many", "producer", "reseller", "partner"):
        pages.append((role, "/beranda"))
    for role in ("officer", "officer_many"):
        pages += [(role, url) for url in (
            f"/desa/{ids['village']}", f"/kelompok/{ids['group']}", "/kelompok", "/reseller",
            f"/reseller/{ids['reseller_profile']}", f"/pesanan/{ids['order']}", "/pesanan",
            f"/laporan?kelompok={ids['group']}", "/laporan", "/laporan/desa",
            f"/kalender?bulan={month}", f"/acara/{ids['event']}", f"/pesanan-acara/{booking}",
            f"/pesanan-acara/{booking}/kelompok/{group}/faktur.pdf",
            f"/pesanan-acara/{booking}/kelompok/{group}/kwitansi.pdf",
            f"/pesanan-acara/{booking}/kelompok/{group}/surat-jalan.pdf",
            f"/kemitraan/{ids['partnership']}", f"/kemitraan/{ids['partnership']}/perjanjian.pdf",
            f"/kemitraan/{ids['partnership']}/surat-penawaran.pdf", f"/mitra/{ids['partner']}",
            f"/titip/warung/{ids['outlet']}", f"/titip/kunjungan/{ids['visit']}",
            f"/titip/kunjungan/{ids['visit']}/nota.pdf", f"/proposal/{ids['proposal']}",
            f"/proposal/{ids['proposal']}/proposal.pdf",
            f"/proposal/{ids['proposal']}/rekomendasi.pdf", f"/saldo/{pair}",
            f"/saldo/{pair}/laporan.pdf", f"/produk/{ids['product']}",
            f"/dana-sosial/kelompok/{ids['group']}", "/riwayat/")]
    pages += [("producer", url) for url in (
        "/antrian", f"/kelompok/{ids['group']}", f"/pesanan/{ids['order']}", "/pesanan",
        f"/laporan?kelompok={ids['group']}", f"/produk/{ids['product']}",
        f"/produk/{ids['product']}/stok", f"/pesanan-acara/{booking}",
        f"/pesanan-acara/{booking}/kelompok/{group}/faktur.pdf", "/titip/",
        f"/titip/warung/{ids['outlet']}", f"/titip/kunjungan/{ids['visit']}/nota.pdf",
        f"/proposal/{ids['proposal']}", f"/proposal/{ids['proposal']}/proposal.pdf",
        f"/saldo/{pair}", f"/saldo/{pair}/laporan.pdf", f"/dana-sosial/kelompok/{ids['group']}",
        f"/kalender?bulan={month}", "/saldo", "/setoran")]
    pages += [("reseller", url) for url in (
        "/pesanan", f"/pesanan/{ids['order']}", "/klaim", "/klaim/pilih", "/saldo",
        f"/saldo/{pair}", f"/saldo/{pair}/laporan.pdf", "/setoran", "/penghasilan",
        "/reseller/profil")]
    pages += [("partner", url) for url in (
        f"/kalender?bulan={month}", f"/acara/{ids['event']}", f"/pesanan-acara/{booking}",
        f"/kemitraan/{ids['partnership']}", f"/kemitraan/{ids['partnership']}/perjanjian.pdf",
        "/kemitraan", "/acara", "/pesanan-acara")]
    return pages


# The app's bookkeeping, as queries that return the rows breaking it (none expected).
INVARIANTS = {
    "stock is the end of the ledger": """
        SELECT p.id FROM products p
        LEFT JOIN (SELECT product_id, SUM(quantity) AS total, MAX(id) AS last_id
                   FROM stock_movements GROUP BY product_id) m ON m.product_id = p.id
        LEFT JOIN stock_movements l ON l.id = m.last_id
        WHERE p.stock <> COALESCE(m.total, 0) OR p.stock <> COALESCE(l.balance_after, 0)
           OR (p.made_to_order AND m.total IS NOT NULL)""",
    "ledger balances run on": """
        SELECT m.id FROM stock_movements m
        WHERE m.balance_after <> (SELECT SUM(x.quantity) FROM stock_movements x
                                  WHERE x.product_id = m.product_id AND x.id <= m.id)""",
    "open claims counted on the product": """
        SELECT p.id FROM products p
        WHERE p.claim_count <> (SELECT COUNT(*) FROM claims c WHERE c.product_id = p.id
                                AND c.status IN ('pending', 'active'))
           OR (p.claim_cap IS NOT NULL AND p.claim_count > p.claim_cap)""",
    "capacity within the daily capacity": """
        SELECT d.id FROM capacity_days d JOIN products p ON p.id = d.product_id
        WHERE d.used > p.daily_capacity OR NOT p.made_to_order""",
    "capacity is what orders, bookings and drops took": """
        SELECT k.product_id, k.day FROM (
            SELECT l.product_id, o.ship_date AS day, l.quantity AS n
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            JOIN products p ON p.id = l.product_id
            WHERE p.made_to_order AND o.status IN ('confirmed', 'packed', 'shipped', 'finished')
            UNION ALL
            SELECT d.product_id, d.placed_on, d.quantity FROM consignment_drops d
            JOIN products p ON p.id = d.product_id WHERE p.made_to_order
            UNION ALL
            SELECT l.product_id, {local_day}, l.quantity FROM booking_lines l
            JOIN catering_bookings b ON b.id = l.booking_id
            JOIN products p ON p.id = l.product_id
            WHERE p.made_to_order AND b.status <> 'cancelled'
            UNION ALL
            SELECT c.product_id, c.day, -c.used FROM capacity_days c
        ) k GROUP BY k.product_id, k.day HAVING SUM(k.n) <> 0""",
    "order status has its timestamps": """
        SELECT id FROM orders WHERE
            (status IN ('confirmed', 'packed', 'shipped', 'finished') AND confirmed_at IS NULL)
         OR (status IN ('packed', 'shipped', 'finished') AND packed_at IS NULL)
         OR (status IN ('shipped', 'finished') AND (shipped_at IS NULL OR tracking_number = ''))
         OR (status = 'finished' AND finished_at IS NULL)
         OR (status = 'cancelled' AND (cancelled_at IS NULL OR cancel_reason = ''))
         OR (status <> 'cancelled' AND cancelled_at IS NOT NULL)
         OR (status IN ('new', 'confirmed') AND packed_at IS NOT NULL)
         OR confirmed_at < created_at OR packed_at < confirmed_at OR shipped_at < packed_at
         OR finished_at < shipped_at""",
    "order history ends in the order's status": """
        SELECT o.id FROM orders o JOIN order_events e ON e.order_id = o.id
        WHERE e.id = (SELECT MAX(x.id) FROM order_events x WHERE x.order_id = o.id)
          AND e.to_status <> o.status""",
    "orders have lines": """
        SELECT o.id FROM orders o WHERE NOT EXISTS (
            SELECT 1 FROM order_lines l WHERE l.order_id = o.id)""",
    "returns within what was shipped": """
        SELECT r.id FROM order_returns r JOIN order_lines l ON l.id = r.line_id
        JOIN orders o ON o.id = r.order_id
        WHERE r.quantity > l.quantity OR l.order_id <> r.order_id
           OR o.status NOT IN ('shipped', 'finished') OR r.created_at < o.shipped_at
           OR (r.borne_by = 'producer' AND r.credit <> r.quantity * l.reseller_price)
           OR (r.borne_by = 'reseller' AND r.credit <> 0)""",
    "drops: shelf = placed − counted": """
        SELECT d.id FROM consignment_drops d
        WHERE d.on_shelf <> d.quantity - COALESCE((
            SELECT SUM(l.sold + l.returned + l.expired) FROM consignment_visit_lines l
            WHERE l.drop_id = d.id), 0)
           OR (d.status = 'closed') <> (d.on_shelf = 0)
           OR (d.status = 'closed' AND d.closed_at IS NULL)""",
    "visit lines follow the shelf": """
        SELECT l.id FROM consignment_visit_lines l JOIN consignment_visits v ON v.id = l.visit_id
        JOIN consignment_drops d ON d.id = l.drop_id
        WHERE v.visited_on < d.placed_on OR d.outlet_id <> v.outlet_id
           OR l.on_shelf_before <> d.quantity - COALESCE((
               SELECT SUM(x.sold + x.returned + x.expired) FROM consignment_visit_lines x
               WHERE x.drop_id = l.drop_id AND x.visit_id < l.visit_id), 0)""",
    "visit due is the sum of its lines": """
        SELECT v.id FROM consignment_visits v
        WHERE v.amount_due <> COALESCE((SELECT SUM(l.amount_due) FROM consignment_visit_lines l
                                        WHERE l.visit_id = v.id), 0)""",
    "outlets never owe less than nothing": """
        SELECT o.id FROM outlets o
        WHERE (SELECT COALESCE(SUM(amount_due - cash_collected), 0) FROM consignment_visits v
               WHERE v.outlet_id = o.id) < 0""",
    "fund balances not below zero": """
        SELECT group_id FROM fund_entries GROUP BY group_id
        HAVING SUM(CASE WHEN kind = 'contribution' THEN amount
                        WHEN status = 'approved' THEN -amount ELSE 0 END) < 0""",
    "fund contributions follow the rule": """
        SELECT e.id FROM fund_entries e JOIN fund_rules r ON r.group_id = e.group_id
        WHERE e.kind = 'contribution' AND e.source <> 'fixed'
          AND (r.mode <> 'percent' OR e.rate_bp <> r.rate_bp OR e.occurred_on < r.starts_on
               OR e.amount <> e.revenue * r.rate_bp / 10000)""",
    "confirmed bookings have every line confirmed": """
        SELECT b.id FROM catering_bookings b
        WHERE b.status IN ('confirmed', 'delivered', 'invoiced', 'paid') AND EXISTS (
            SELECT 1 FROM booking_lines l WHERE l.booking_id = b.id AND l.confirmed_at IS NULL)
           OR (b.status = 'paid' AND b.paid_at IS NULL)
           OR (b.status = 'cancelled' AND b.cancelled_at IS NULL)""",
    "booking and event times in order": """
        SELECT b.id FROM catering_bookings b JOIN events e ON e.id = b.event_id
        WHERE b.created_at < e.created_at OR b.updated_at < b.created_at
           OR b.cancelled_at < b.created_at OR b.delivered_at < b.created_at
           OR b.invoiced_at < b.delivered_at OR b.paid_at < b.invoiced_at
           OR e.ends_at < e.starts_at OR e.updated_at < e.created_at""",
    "booking lines from the event's village": """
        SELECT l.id FROM booking_lines l JOIN catering_bookings b ON b.id = l.booking_id
        JOIN producer_groups g ON g.id = l.group_id
        LEFT JOIN products p ON p.id = l.product_id
        WHERE g.village_id <> b.village_id OR (p.id IS NOT NULL AND p.group_id <> l.group_id)""",
    "orders from claimed products of the reseller's village": """
        SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
        JOIN products p ON p.id = l.product_id JOIN users u ON u.id = o.reseller_id
        WHERE p.group_id <> o.group_id OR p.village_id <> o.village_id
           OR u.village_id <> o.village_id OR u.role <> 'reseller'""",
    "document counters cover the numbers issued": """
        SELECT i.id FROM issued_documents i LEFT JOIN document_counters c
          ON c.village_id = i.village_id AND c.kind = i.kind AND c.year = i.year
        WHERE c.id IS NULL OR i.seq > c.last""",
    "every reseller has a profile": """
        SELECT u.id FROM users u LEFT JOIN reseller_profiles r ON r.user_id = u.id
        WHERE u.role = 'reseller' AND r.id IS NULL""",
}


def invariants(database_url: str, out=sys.stdout) -> int:
    """Run :data:`INVARIANTS`; returns how many are broken."""
    from sqlalchemy import create_engine, text

    engine = create_engine(normalise_database_url(database_url))
    # The WIB day of a booking's delivery (villages of generated data are all WIB).
    local_day = ("date(b.deliver_at, '+7 hours')" if engine.dialect.name == "sqlite"
                 else "CAST(b.deliver_at + INTERVAL '7 hours' AS date)")
    broken = 0
    with engine.connect() as conn:
        for name, sql in INVARIANTS.items():
            sql = sql.replace("{local_day}", local_day)
            started = time.perf_counter()
            rows = conn.execute(text(sql)).fetchmany(5)
            broken += bool(rows)
            print(f"{'BAD' if rows else 'ok '} {time.perf_counter() - started:6.1f}s {name}"
                  + (f": {[tuple(r) for r in rows]}" if rows else ""), file=out)
    engine.dispose()
    return broken


def _login(client, login: str, password: str) -> int:
    page = client.get("/masuk").get_data(as_text=True)
    token = unescape(_CSRF.search(page).group(1))
    return client.post("/masuk", data={"csrf_token": token, "login": login,
                                       "password": password}).status_code


def _pattern(url: str) -> str:
    """The url with numbers and query values blanked: one visit per kind of page."""
    path, _, query = url.partition("?")
    path = re.sub(r"\d+", "#", path)
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return path + ("?" + "&".join(keys) if keys else "")


def crawl(client, start: str, limit: int, per_pattern: int = 2):
    """Follow same-site links from ``start`` breadth first, at most ``per_pattern``
    pages of each kind and ``limit`` pages in all; yields (url, status, seconds)."""
    seen, kinds = set(), {}
    queue = deque([start])
    done = 0
    while queue and done < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        kind = _pattern(url)
        if kinds.get(kind, 0) >= per_pattern:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        started = time.perf_counter()
        response = client.get(url)
        done += 1
        yield url, response.status_code, time.perf_counter() - started
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for href in _LINK.findall(response.get_data(as_text=True)):
            href = urldefrag(unescape(href))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or _SKIP.match(href):
                continue
            if href not in seen:
                queue.append(href)


def check(database_url: str, manifest: dict, crawl_limit: int = 0, out=sys.stdout) -> int:
    """Run the checks; returns the number of failures."""
    upload_dir = tempfile.mkdtemp(prefix="bench-uploads-")
    app = create_app({
        "CRM_ENV": "testing", "TESTING": True, "SECRET_KEY": "x" * 40,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": upload_dir,
    })
    failures = 0
    clients = {}
    for key, login in manifest["logins"].items():
        client = app.test_client()
        status = _login(client, login, manifest["password"])
        ok = status == 302
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} login {key:13s} {login:14s} -> {status}", file=out)
        clients[key] = client
    anonymous = app.test_client()
    for key, url in manifest_pages(manifest):
        client = clients[key] if key else anonymous
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
        ok = response.status_code == 200
        failures += not ok
        print(f"{'ok ' if ok else 'BAD'} {response.status_code} {seconds * 1000:7.0f} ms "
              f"{key or 'public':13s} {url}", file=out)
    if crawl_limit:
        for key, client in [*clients.items(), ("public", anonymous)]:
            start = "/katalog" if key == "public" else "/beranda"
            statuses = {}
            for url, status, seconds in crawl(client, start, crawl_limit):
                statuses[status] = statuses.get(status, 0) + 1
                bad = status >= 500
                failures += bad
                if bad or status not in (200, 302, 303, 304):
                    print(f"{'BAD' if bad else '   '} {status} {seconds * 1000:7.0f} ms "
                          f"{key:13s} {url}", file=out)
            print(f"crawl {key}: {sum(statuses.values())} pages, statuses {statuses}", file=out)
    print(f"{failures} failure(s)", file=out)
    return failures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_manifest")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--crawl", type=int, default=0, metavar="N",
                        help="also follow links from each role's home page, N pages a role")
    parser.add_argument("--invariants", action="store_true",
                        help="also check the data's bookkeeping with SQL")
    args = parser.parse_args(argv)
    with open(args.manifest) as handle:
        manifest = json.load(handle)
    failures = invariants(args.database_url) if args.invariants else 0
    failures += check(args.database_url, manifest, args.crawl)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
