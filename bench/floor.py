"""The bare-stack floor: what the key pages would cost with nothing but Flask, a
SQLAlchemy engine and one hand-written SQL statement each.

No login, no ORM, no template engine: each endpoint runs ONE ``text()`` statement
that does the same aggregation as the real page, scoped the same way (the same
user, group, village and reseller ids, taken from the dataset's manifest), and
returns a small HTML page, an iCalendar file or a minimal reportlab PDF with the same
figures. It sends the same ``Server-Timing`` header as the app (``crm/profiling.py``),
so the benchmark compares like with like.

Served by gunicorn like the app::

    BENCH_MANIFEST=bench/out/manifest-village.json DATABASE_URL=postgresql://… \\
        gunicorn -w 2 -b 127.0.0.1:8001 'bench.floor:create_floor_app()'

``GET /f/<page name>`` answers for the page of that name in :func:`bench.pages.key_pages`
(only pages with a ``floor``); ``GET /healthz`` says the app is up.
"""

# The statements below are put together from this module's constants and fragments;
# every value from outside (ids, dates, tokens) is a bound parameter.
# ruff: noqa: S608

import contextlib
import hashlib
import html
import io
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, g
from sqlalchemy import Date, DateTime, bindparam, create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from bench.pages import Page, key_pages
from crm.config import POSTGRES_SESSION_OPTIONS
from crm.reports import views as reports_views

WIB = ZoneInfo("Asia/Jakarta")
SOLD = "('shipped', 'finished')"
QUEUE = "('new', 'confirmed', 'packed')"
PAGE_SIZE = 25
CATALOG_PAGE = 24
# The same cuts as the app's pages, so that both do the same work.
LIST_LIMIT = reports_views.LIST_LIMIT
GROUPS_PER_PAGE = reports_views.GROUPS_PER_PAGE
FEED_PAST = timedelta(days=90)
MENTORING_INTERVAL = timedelta(days=30)


@dataclass(frozen=True)
class Scope:
    """Who a floor page is for: the ids the real page's scope is built from."""

    login: str
    user_id: int
    role: str
    group_id: int | None
    partner_id: int | None
    village_id: int | None


# --- helpers ---------------------------------------------------------------------------


def database_url(url: str) -> str:
    """The psycopg 3 driver for plain ``postgresql://`` URLs (as the app does)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sql(statement: str, **types):
    """A ``text()`` statement; ``types`` give bind types (dates for SQLite's storage)."""
    query = text(statement)
    if types:
        query = query.bindparams(*(bindparam(name, type_=kind) for name, kind in types.items()))
    return query


def _when(value) -> datetime | None:
    """A UTC datetime from a result cell (SQLite gives text, PostgreSQL datetimes)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _page(title: str, rows, head: tuple = ()) -> str:
    """A bare HTML page with one table."""
    esc = html.escape
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f"<!doctype html><html lang=id><meta charset=utf-8><title>{esc(title)}</title>"
            f"<h1>{esc(title)}</h1><table><tr>{header}</tr>{body}</table></html>")


def _months(count: int, last: tuple[int, int] | None = None) -> list[tuple[datetime, datetime]]:
    """``count`` WIB months up to ``last`` (default this month), as UTC ranges."""
    if last is None:
        now = datetime.now(WIB)
        last = (now.year, now.month)
    index = last[0] * 12 + last[1] - 1
    out = []
    for n in range(index - count + 1, index + 1):
        start = datetime(n // 12, n % 12 + 1, 1, tzinfo=WIB)
        nxt = datetime((n + 1) // 12, (n + 1) % 12 + 1, 1, tzinfo=WIB)
        out.append((start.astimezone(UTC).replace(tzinfo=None),
                    nxt.astimezone(UTC).replace(tzinfo=None)))
    return out


def _month_days(count: int, last: tuple[int, int] | None = None) -> list[date]:
    """The first days of ``count`` months up to ``last`` (default this month, WIB)."""
    if last is None:
        now = datetime.now(WIB)
        last = (now.year, now.month)
    index = last[0] * 12 + last[1] - 1
    return [date(n // 12, n % 12 + 1, 1) for n in range(index - count + 1, index + 1)]


def _period_args(page: Page) -> tuple[int, tuple[int, int] | None]:
    """Months of a sales page: ``?bulan=YYYY-MM`` alone, else the last six."""
    args = _query_args(page)
    if args.get("bulan"):
        year, month = (int(x) for x in args["bulan"].split("-"))
        return 1, (year, month)
    return 6, None


def _month_case(months, column: str) -> tuple[str, dict, dict]:
    """A ``CASE`` putting ``column`` into its month index, with its parameters."""
    parts, params, types = [], {}, {}
    for n, (start, end) in enumerate(months):
        parts.append(f"WHEN {column} >= :m{n}s AND {column} < :m{n}e THEN {n}")
        params[f"m{n}s"], params[f"m{n}e"] = start, end
        types[f"m{n}s"] = types[f"m{n}e"] = DateTime()
    return "CASE " + " ".join(parts) + " END", params, types


def _query_args(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _order_scope(scope: Scope, alias: str = "o") -> str:
    """The order lists' rule: a reseller's own, a producer's group's, an officer's
    villages'."""
    if scope.role == "reseller":
        return f"{alias}.reseller_id = :uid"
    if scope.role == "producer":
        return f"{alias}.group_id = :gid"
    return f"{alias}.village_id IN (SELECT village_id FROM officer_villages WHERE user_id = :uid)"


def _params(scope: Scope | None) -> dict:
    if scope is None:
        return {}
    return {"uid": scope.user_id, "gid": scope.group_id, "pid": scope.partner_id,
            "vid": scope.village_id}


OFFICER_VILLAGES = "(SELECT village_id FROM officer_villages WHERE user_id = :uid)"


# --- the floor of each key page ----------------------------------------------------------


def dashboard_officer(conn, scope: Scope, page: Page):
    """The officer's home figures: eight counts over the officer's villages."""
    v = OFFICER_VILLAGES
    today = date.today()
    row = conn.execute(_sql(f"""
        SELECT
          (SELECT count(*) FROM officer_villages WHERE user_id = :uid) AS villages,
          (SELECT count(*) FROM producer_groups WHERE village_id IN {v}) AS groups_,
          (SELECT count(*) FROM users WHERE village_id IN {v} AND role = 'reseller'
             AND active) AS resellers,
          (SELECT count(*) FROM partners WHERE village_id IN {v}) AS partners,
          (SELECT count(*) FROM claims WHERE village_id IN {v} AND status = 'pending')
             AS pending_claims,
          (SELECT count(*) FROM reseller_profiles rp JOIN users u ON u.id = rp.user_id
             WHERE rp.village_id IN {v} AND u.active AND rp.stage <> 'independent'
               AND (rp.next_mentoring_on <= :today OR (rp.next_mentoring_on IS NULL
                    AND coalesce(rp.last_mentored_on, rp.stage_since) <= :due)))
             AS due_resellers,
          (SELECT count(*) FROM proposals WHERE village_id IN {v} AND status = 'submitted')
             AS proposals,
          (SELECT count(*) FROM fund_entries WHERE village_id IN {v}
             AND kind = 'disbursement' AND status = 'requested') AS fund_requests,
          (SELECT count(*) FROM consignment_drops WHERE village_id IN {v}
             AND status = 'open' AND on_shelf > 0 AND pull_back_on < :today) AS overdue
        """, today=Date(), due=Date()),
        {**_params(scope), "today": today, "due": today - MENTORING_INTERVAL}).one()
    return _page("Beranda", [tuple(row._mapping.items())])


def dashboard_producer(conn, scope: Scope, page: Page):
    """The producer's home figures: members, claims, queue, proposals, drops, fund."""
    row = conn.execute(_sql("""
        SELECT
          (SELECT count(*) FROM users WHERE group_id = :gid AND active) AS members,
          (SELECT count(*) FROM claims c JOIN products p ON p.id = c.product_id
             WHERE p.group_id = :gid AND c.status = 'pending') AS pending_claims,
          (SELECT count(*) FROM orders WHERE group_id = :gid AND status = 'new') AS new_,
          (SELECT count(*) FROM orders WHERE group_id = :gid AND status = 'confirmed')
             AS confirmed,
          (SELECT count(*) FROM orders WHERE group_id = :gid AND status = 'packed') AS packed,
          (SELECT count(*) FROM proposals WHERE group_id = :gid AND status = 'revision')
             AS revision,
          (SELECT count(*) FROM consignment_drops WHERE group_id = :gid AND status = 'open'
             AND on_shelf > 0 AND pull_back_on < :today) AS overdue,
          (SELECT coalesce(sum(CASE WHEN kind = 'contribution' THEN amount
                                    WHEN status = 'approved' THEN -amount ELSE 0 END), 0)
             FROM fund_entries WHERE group_id = :gid) AS fund
        """, today=Date()), {**_params(scope), "today": date.today()}).one()
    return _page("Beranda", [tuple(row._mapping.items())])


def dashboard_reseller(conn, scope: Scope, page: Page):
    """The reseller's claims and orders per status."""
    rows = conn.execute(_sql("""
        SELECT 'claim' AS what, status, count(*) FROM claims WHERE reseller_id = :uid
          GROUP BY status
        UNION ALL
        SELECT 'order', status, count(*) FROM orders WHERE reseller_id = :uid GROUP BY status
        UNION ALL
        SELECT 'profile', code, village_id FROM reseller_profiles WHERE user_id = :uid
        """), _params(scope)).all()
    return _page("Beranda", rows)


def dashboard_partner(conn, scope: Scope, page: Page):
    """The partner contact's institution."""
    row = conn.execute(_sql("SELECT id, name, kind FROM partners WHERE id = :pid"),
                       _params(scope)).one()
    return _page("Beranda", [row])


def queue(conn, scope: Scope, page: Page):
    """Orders to confirm, pack and ship (late first, at most 200) with their lines."""
    today = date.today()
    rows = conn.execute(_sql(f"""
        WITH q AS (
          SELECT o.id, o.status, o.ship_date, o.customer_name, o.reseller_id,
                 CASE WHEN o.ship_date < :today THEN 0 ELSE 1 END AS late
            FROM orders o
           WHERE {_order_scope(scope)} AND o.status IN {QUEUE}
           ORDER BY late, o.ship_date, o.id LIMIT 200)
        SELECT q.id, q.status, q.ship_date, q.customer_name, u.full_name, p.name,
               l.quantity
          FROM q JOIN users u ON u.id = q.reseller_id
          JOIN order_lines l ON l.order_id = q.id JOIN products p ON p.id = l.product_id
         ORDER BY q.late, q.ship_date, q.id, l.id
        """, today=Date()), {**_params(scope), "today": today}).all()
    return _page("Antrian", rows)


def orders(conn, scope: Scope, page: Page):
    """The newest page of orders in scope, with lines, group and reseller, and the
    number of orders (for the pager)."""
    where = _order_scope(scope)
    rows = conn.execute(_sql(f"""
        WITH pg AS (SELECT o.id FROM orders o WHERE {where} ORDER BY o.id DESC LIMIT {PAGE_SIZE})
        SELECT o.id, o.status, o.channel, o.customer_name, g.name, u.full_name, p.name,
               l.quantity, l.retail_price * l.quantity,
               (SELECT count(*) FROM orders o WHERE {where}) AS total
          FROM pg JOIN orders o ON o.id = pg.id
          JOIN producer_groups g ON g.id = o.group_id JOIN users u ON u.id = o.reseller_id
          JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
         ORDER BY o.id DESC, l.id
        """), _params(scope)).all()
    return _page("Pesanan", rows)


def sales(conn, scope: Scope, page: Page):
    """Who sold what: totals, per reseller, product, channel and month, one
    ``UNION ALL`` over the sold lines of the period in scope."""
    args = _query_args(page)
    if args.get("bulan"):
        year, month = (int(x) for x in args["bulan"].split("-"))
        months = _months(1, (year, month))
    else:
        months = _months(6)
    case, params, types = _month_case(months, "o.shipped_at")
    group = " AND o.group_id = :kelompok" if args.get("kelompok") else ""
    figures = ("coalesce(sum(quantity), 0), count(DISTINCT order_id), "
               "coalesce(sum(omzet), 0), coalesce(sum(producer), 0)")
    rows = conn.execute(_sql(f"""
        WITH sold AS (
          SELECT o.id AS order_id, o.reseller_id, o.channel, l.product_id, l.quantity,
                 l.retail_price * l.quantity AS omzet,
                 l.reseller_price * l.quantity AS producer, {case} AS month
            FROM orders o JOIN order_lines l ON l.order_id = o.id
           WHERE {_order_scope(scope)} AND o.status IN {SOLD}
             AND o.shipped_at >= :start AND o.shipped_at < :end{group})
        SELECT 'total' AS dim, NULL AS k, NULL AS label, {figures} FROM sold
        UNION ALL SELECT * FROM (
          SELECT 'reseller', s.reseller_id, u.full_name, {figures} FROM sold s
            JOIN users u ON u.id = s.reseller_id GROUP BY s.reseller_id, u.full_name
           ORDER BY 6 DESC, 3 LIMIT {LIST_LIMIT + 1}) r
        UNION ALL SELECT * FROM (
          SELECT 'product', s.product_id, p.name, {figures} FROM sold s
            JOIN products p ON p.id = s.product_id GROUP BY s.product_id, p.name
           ORDER BY 6 DESC, 3 LIMIT {LIST_LIMIT + 1}) p
        UNION ALL SELECT 'channel', NULL, channel, {figures} FROM sold GROUP BY channel
        UNION ALL SELECT 'month', month, NULL, {figures} FROM sold GROUP BY month
        """, start=DateTime(), end=DateTime(), **types),
        {**_params(scope), **params, "start": months[0][0], "end": months[-1][1],
         "kelompok": int(args["kelompok"]) if args.get("kelompok") else None}).all()
    return _page("Laporan penjualan", rows)


def _summary_scope(scope: Scope, alias: str) -> str:
    """The summaries' rule: a producer's group, an officer's villages."""
    if scope.role == "producer":
        return f"{alias}.group_id = :gid"
    return f"{alias}.village_id IN {OFFICER_VILLAGES}"


def sales_from_summaries(conn, scope: Scope, page: Page):
    """Who sold what from the monthly summaries (``sales_months``,
    ``product_sales_months``): totals, per reseller, product, channel and month."""
    count, last = _period_args(page)
    days = _month_days(count, last)
    args = _query_args(page)
    group = " AND {a}.group_id = :kelompok" if args.get("kelompok") else ""
    figures = ("coalesce(sum(quantity), 0), coalesce(sum(orders), 0), "
               "coalesce(sum(omzet), 0), coalesce(sum(producer), 0)")
    rows = conn.execute(_sql(f"""
        WITH s AS (
          SELECT sm.reseller_id, sm.channel, sm.month, sm.orders, sm.quantity, sm.omzet,
                 sm.producer
            FROM sales_months sm
           WHERE {_summary_scope(scope, "sm")} AND sm.month >= :first
             AND sm.month <= :last{group.format(a="sm")}),
        p AS (
          SELECT ps.product_id, ps.orders, ps.quantity, ps.omzet, ps.producer
            FROM product_sales_months ps
           WHERE {_summary_scope(scope, "ps")} AND ps.month >= :first
             AND ps.month <= :last{group.format(a="ps")})
        SELECT 'total' AS dim, NULL AS k, NULL AS label, {figures} FROM s
        UNION ALL SELECT * FROM (
          SELECT 'reseller', s.reseller_id, u.full_name, {figures} FROM s
            JOIN users u ON u.id = s.reseller_id GROUP BY s.reseller_id, u.full_name
           ORDER BY 6 DESC, 3 LIMIT {LIST_LIMIT + 1}) r
        UNION ALL SELECT * FROM (
          SELECT 'product', p.product_id, pr.name, {figures} FROM p
            JOIN products pr ON pr.id = p.product_id GROUP BY p.product_id, pr.name
           ORDER BY 6 DESC, 3 LIMIT {LIST_LIMIT + 1}) q
        UNION ALL SELECT 'channel', NULL, channel, {figures} FROM s GROUP BY channel
        UNION ALL SELECT 'month', NULL, CAST(month AS VARCHAR(10)), {figures} FROM s
          GROUP BY month
        """, first=Date(), last=Date()),
        {**_params(scope), "first": days[0], "last": days[-1],
         "kelompok": int(args["kelompok"]) if args.get("kelompok") else None}).all()
    return _page("Laporan penjualan", rows)


def village_report_from_summaries(conn, scope: Scope, page: Page):
    """Turnover per group (first page of the officer's groups) and month, active
    resellers per group and the totals, from ``sales_months``."""
    days = _month_days(6)
    rows = conn.execute(_sql(f"""
        WITH grp AS (
          SELECT g.id, g.name, g.baseline_monthly_turnover, v.name AS village
            FROM producer_groups g JOIN villages v ON v.id = g.village_id
           WHERE g.village_id IN {OFFICER_VILLAGES} ORDER BY g.name LIMIT {GROUPS_PER_PAGE}),
        s AS (
          SELECT sm.group_id, sm.reseller_id, sm.month, sm.orders, sm.omzet, sm.producer
            FROM sales_months sm
           WHERE sm.village_id IN {OFFICER_VILLAGES} AND sm.month >= :first
             AND sm.month <= :last)
        SELECT 'cell', grp.id, grp.name, grp.village, grp.baseline_monthly_turnover,
               CAST(s.month AS VARCHAR(10)), coalesce(sum(s.omzet), 0),
               coalesce(sum(s.producer), 0),
               count(DISTINCT CASE WHEN s.orders > 0 THEN s.reseller_id END)
          FROM grp LEFT JOIN s ON s.group_id = grp.id
         GROUP BY grp.id, grp.name, grp.village, grp.baseline_monthly_turnover, s.month
        UNION ALL
        SELECT 'total', NULL, NULL, NULL, NULL, NULL, coalesce(sum(omzet), 0),
               coalesce(sum(producer), 0), coalesce(sum(orders), 0) FROM s
        """, first=Date(), last=Date()),
        {**_params(scope), "first": days[0], "last": days[-1]}).all()
    return _page("Laporan desa", rows)


def village_report(conn, scope: Scope, page: Page):
    """Turnover per group (first page of the officer's groups) and month, active
    resellers per group, and the totals."""
    months = _months(6)
    case, params, types = _month_case(months, "o.shipped_at")
    rows = conn.execute(_sql(f"""
        WITH grp AS (
          SELECT g.id, g.name, g.baseline_monthly_turnover, v.name AS village
            FROM producer_groups g JOIN villages v ON v.id = g.village_id
           WHERE g.village_id IN {OFFICER_VILLAGES} ORDER BY g.name LIMIT {GROUPS_PER_PAGE}),
        sold AS (
          SELECT o.id AS order_id, o.group_id, o.reseller_id,
                 l.retail_price * l.quantity AS omzet,
                 l.reseller_price * l.quantity AS producer, {case} AS month
            FROM orders o JOIN order_lines l ON l.order_id = o.id
           WHERE {_order_scope(scope)} AND o.status IN {SOLD}
             AND o.shipped_at >= :start AND o.shipped_at < :end)
        SELECT 'cell', grp.id, grp.name, grp.village, grp.baseline_monthly_turnover, s.month,
               coalesce(sum(s.omzet), 0), coalesce(sum(s.producer), 0),
               count(DISTINCT s.reseller_id)
          FROM grp LEFT JOIN sold s ON s.group_id = grp.id
         GROUP BY grp.id, grp.name, grp.village, grp.baseline_monthly_turnover, s.month
        UNION ALL
        SELECT 'total', NULL, NULL, NULL, NULL, NULL, coalesce(sum(omzet), 0),
               coalesce(sum(producer), 0), count(DISTINCT order_id) FROM sold
        """, start=DateTime(), end=DateTime(), **types),
        {**_params(scope), **params, "start": months[0][0], "end": months[-1][1]}).all()
    return _page("Laporan desa", rows)


def _pair_scope(scope: Scope) -> str:
    """The balances' rule on a table ``{a}`` with reseller_id and group_id."""
    if scope.role == "reseller":
        return "{a}.reseller_id = :uid"
    if scope.role == "producer":
        return "{a}.group_id = :gid"
    return ("{a}.group_id IN (SELECT id FROM producer_groups WHERE village_id IN "
            + OFFICER_VILLAGES + ")")


def balances(conn, scope: Scope, page: Page):
    """What each reseller owes each group in scope: a page of the pairs' running
    totals (``pair_totals``), their number and the sum owed."""
    pair = _pair_scope(scope).format(a="t")
    rows = conn.execute(_sql(f"""
        WITH scoped AS (SELECT * FROM pair_totals t WHERE {pair}),
        pg AS (
          SELECT s.reseller_id, u.full_name, s.group_id, g.name, s.shipped, s.credited,
                 s.paid, s.waiting
            FROM scoped s JOIN users u ON u.id = s.reseller_id
            JOIN producer_groups g ON g.id = s.group_id
           WHERE s.orders > 0 OR s.returns > 0 OR s.payments > 0
           ORDER BY g.name, u.full_name, s.reseller_id, s.group_id LIMIT {PAGE_SIZE})
        SELECT pg.*,
               (SELECT count(*) FROM scoped
                 WHERE orders > 0 OR returns > 0 OR payments > 0) AS pairs,
               (SELECT coalesce(sum(shipped - credited - paid), 0) FROM scoped) AS owed
          FROM pg
        """), _params(scope)).all()
    return _page("Saldo", rows)


def balances_from_records(conn, scope: Scope, page: Page):
    """What each reseller owes each group in scope, summed from the orders, returns
    and payments (databases without running totals)."""
    pair = _pair_scope(scope)
    rows = conn.execute(_sql(f"""
        WITH moves AS (
          SELECT o.reseller_id, o.group_id,
                 CASE WHEN o.status IN {SOLD} THEN l.reseller_price * l.quantity ELSE 0 END
                   AS shipped, 0 AS credited, 0 AS paid, 0 AS waiting
            FROM orders o JOIN order_lines l ON l.order_id = o.id
           WHERE o.status <> 'cancelled' AND {pair.format(a="o")}
          UNION ALL
          SELECT r.reseller_id, r.group_id, 0, r.credit, 0, 0 FROM order_returns r
           WHERE {pair.format(a="r")}
          UNION ALL
          SELECT p.reseller_id, p.group_id, 0, 0,
                 CASE WHEN p.status = 'confirmed' THEN p.amount ELSE 0 END,
                 CASE WHEN p.status = 'submitted' THEN p.amount ELSE 0 END
            FROM reseller_payments p WHERE {pair.format(a="p")})
        SELECT m.reseller_id, u.full_name, m.group_id, g.name, sum(m.shipped),
               sum(m.credited), sum(m.paid), sum(m.waiting)
          FROM moves m JOIN users u ON u.id = m.reseller_id
          JOIN producer_groups g ON g.id = m.group_id
         GROUP BY m.reseller_id, u.full_name, m.group_id, g.name
         ORDER BY g.name, u.full_name, m.reseller_id, m.group_id
        """), _params(scope)).all()
    return _page("Saldo", rows)


def catalog(conn, scope: Scope | None, page: Page):
    """A catalogue page (24 active products with group, village and first photo), the
    number of matching products, the village and group filter lists, and the
    reseller of a ``/katalog/r/<link>`` link."""
    args = _query_args(page)
    path = urlsplit(page.url).path
    code = path.split("/katalog/r/", 1)[1] if "/katalog/r/" in path else None
    village = int(args["desa"]) if args.get("desa") else None
    where = "p.active" + (" AND p.village_id = :desa" if village else "")
    group_filter = " AND g.village_id = :desa" if village else ""
    rows = conn.execute(_sql(f"""
        WITH hits AS (
          SELECT p.id, p.name, p.retail_price, p.unit, g.name AS grp, g.phone, v.name AS vil
            FROM products p JOIN producer_groups g ON g.id = p.group_id
            JOIN villages v ON v.id = g.village_id
           WHERE {where}),
        pg AS (SELECT * FROM hits ORDER BY grp, name, id LIMIT {CATALOG_PAGE})
        SELECT 'product' AS k, pg.id, pg.name, pg.grp, pg.vil, pg.retail_price,
               (SELECT min(ph.id) FROM product_photos ph WHERE ph.product_id = pg.id)
          FROM pg
        UNION ALL SELECT 'count', NULL, NULL, NULL, NULL, count(*), NULL FROM hits
        UNION ALL SELECT 'village', v.id, v.name, NULL, NULL, NULL, NULL FROM villages v
          WHERE EXISTS (SELECT 1 FROM products p WHERE p.village_id = v.id AND p.active)
        UNION ALL SELECT 'group', g.id, g.name, NULL, NULL, NULL, NULL FROM producer_groups g
          WHERE EXISTS (SELECT 1 FROM products p WHERE p.group_id = g.id AND p.active)
                {group_filter}
        UNION ALL SELECT 'reseller', rp.id, rp.code, rp.public_whatsapp, NULL, NULL, NULL
          FROM reseller_profiles rp WHERE rp.public_slug = :code AND rp.public_page
        """), {"desa": village, "code": code or ""}).all()
    return _page("Produk desa", rows)


def calendar_month(conn, scope: Scope, page: Page):
    """Events and deliveries (with their lines) of the month grid in scope."""
    args = _query_args(page)
    year, month = (int(x) for x in args["bulan"].split("-"))
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday() + 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    end = nxt + timedelta(days=(6 - (nxt - timedelta(days=1)).weekday()) + 2)
    events, bookings = _calendar_scope(scope)
    rows = conn.execute(_sql(f"""
        SELECT 'event' AS k, e.id, e.title, e.starts_at, e.place, e.status, pa.name,
               NULL AS qty, NULL AS what, v.timezone
          FROM events e JOIN partners pa ON pa.id = e.partner_id
          JOIN villages v ON v.id = e.village_id
         WHERE {events} AND e.starts_at >= :start AND e.starts_at < :end
        UNION ALL
        SELECT 'delivery', b.id, e.title, b.deliver_at, b.deliver_place, b.status, pa.name,
               l.quantity, l.description, v.timezone
          FROM catering_bookings b JOIN events e ON e.id = b.event_id
          JOIN partners pa ON pa.id = b.partner_id JOIN villages v ON v.id = b.village_id
          JOIN booking_lines l ON l.booking_id = b.id
         WHERE {bookings} AND b.deliver_at >= :start AND b.deliver_at < :end
         ORDER BY 4, 2
        """, start=DateTime(), end=DateTime()),
        {**_params(scope), "start": datetime.combine(start, datetime.min.time()),
         "end": datetime.combine(end, datetime.min.time())}).all()
    return _page("Kalender", rows)


def _calendar_scope(scope: Scope) -> tuple[str, str]:
    """Conditions on events ``e`` and bookings ``b`` (with lines ``l``) by role."""
    if scope.role == "officer":
        return (f"e.village_id IN {OFFICER_VILLAGES}", f"b.village_id IN {OFFICER_VILLAGES}")
    if scope.role == "partner":
        return "e.partner_id = :pid", "b.partner_id = :pid"
    return "1 = 0", "l.group_id = :gid"


FEED_SCOPES = {
    "officer": ("e.village_id IN (SELECT village_id FROM officer_villages ov "
                "WHERE ov.user_id = t.user_id)",
                "b.village_id IN (SELECT village_id FROM officer_villages ov "
                "WHERE ov.user_id = t.user_id)"),
    "partner": ("e.partner_id = t.partner_id", "b.partner_id = t.partner_id"),
    "producer": ("1 = 0", "l.group_id = t.group_id"),
}


def ical_feed(conn, scope: Scope | None, page: Page):
    """A subscription feed: the token's user, then their events and deliveries from
    90 days ago on, in one statement; an iCalendar file with ETag/Last-Modified."""
    from icalendar import Calendar, Event

    role = page.name.removeprefix("feed-")
    token = urlsplit(page.url).path.rsplit("/", 1)[1].removesuffix(".ics")
    events, bookings = FEED_SCOPES[role]
    rows = conn.execute(_sql(f"""
        WITH t AS (
          SELECT u.id AS user_id, u.group_id, u.partner_id FROM calendar_tokens ct
            JOIN users u ON u.id = ct.user_id
           WHERE ct.token_hash = :hash AND ct.revoked_at IS NULL AND u.active)
        SELECT 'event' AS k, e.id, e.title, e.starts_at, e.ends_at, e.place, e.status,
               e.updated_at, v.timezone, NULL AS qty, NULL AS what
          FROM t, events e JOIN villages v ON v.id = e.village_id
         WHERE {events} AND e.starts_at >= :since
        UNION ALL
        SELECT 'delivery', b.id, e.title, b.deliver_at, b.deliver_at, b.deliver_place,
               b.status, b.updated_at, v.timezone, l.quantity, l.description
          FROM t, catering_bookings b JOIN events e ON e.id = b.event_id
          JOIN villages v ON v.id = b.village_id JOIN booking_lines l ON l.booking_id = b.id
         WHERE {bookings} AND b.deliver_at >= :since
         ORDER BY 4, 2
        """, since=DateTime()),
        {"hash": hashlib.sha256(token.encode()).hexdigest(),
         "since": datetime.now(UTC).replace(tzinfo=None) - FEED_PAST}).all()
    cal = Calendar()
    cal.add("prodid", "-//bench floor//id")
    cal.add("version", "2.0")
    entries: dict[tuple, Event] = {}
    last = None
    for k, rid, title, starts, ends, place, status, updated, _tz, qty, what in rows:
        key = (k, rid)
        updated = _when(updated)
        last = max(last, updated) if last and updated else (updated or last)
        if key in entries:
            entries[key]["summary"] += f", {qty} {what}"
            continue
        item = Event()
        item.add("uid", f"{k}-{rid}@floor")
        item.add("summary", f"Antar: {qty} {what} — {title}" if k == "delivery" else title)
        starts = _when(starts)
        item.add("dtstart", starts)
        item.add("dtend", _when(ends) if k == "event" else starts + timedelta(minutes=30))
        item.add("dtstamp", updated or starts)
        item.add("location", place or "")
        item.add("status", "CANCELLED" if status == "cancelled" else "CONFIRMED")
        entries[key] = item
    for item in entries.values():
        cal.add_component(item)
    body = cal.to_ical()
    response = Response(body, mimetype="text/calendar")
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    if last:
        response.last_modified = last
    return response


def _pdf(title: str, lines: list[str]) -> Response:
    """A one-page reportlab canvas with ``lines``: the cheapest PDF with the figures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(title)
    y = 800
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(50, y, title)
    pdf.setFont("Helvetica", 10)
    for line in lines:
        y -= 16
        pdf.drawString(50, y, line[:110])
    pdf.showPage()
    pdf.save()
    return Response(out.getvalue(), mimetype="application/pdf")


def letter_pdf(conn, scope: Scope, page: Page):
    """A partnership letter: the partnership, its partner, village, groups and the
    letter's number, then a PDF."""
    partnership = int(page.url.split("/")[2])
    kind = "offer" if "penawaran" in page.url else "agreement"
    rows = conn.execute(_sql("""
        SELECT ps.title, ps.scope, ps.price_terms, ps.starts_on, ps.ends_on, pa.name,
               pa.address, v.name, v.kecamatan, v.head_name,
               (SELECT d.number FROM issued_documents d WHERE d.subject = 'partnership'
                  AND d.subject_id = ps.id AND d.kind = :kind AND d.group_id IS NULL),
               g.name, g.chair_name
          FROM partnerships ps JOIN partners pa ON pa.id = ps.partner_id
          JOIN villages v ON v.id = ps.village_id
          LEFT JOIN partnership_groups pg ON pg.partnership_id = ps.id
          LEFT JOIN producer_groups g ON g.id = pg.group_id
         WHERE ps.id = :id AND ps.village_id IN (SELECT village_id FROM officer_villages
                                                 WHERE user_id = :uid)
        """), {**_params(scope), "id": partnership, "kind": kind}).all()
    if not rows:
        abort(404)
    first = rows[0]
    lines = [f"Nomor: {first[10]}", f"Kepada: {first[5]}", str(first[6]), str(first[0]),
             str(first[1]), str(first[2]), f"Mulai {first[3]} sampai {first[4]}",
             f"Desa {first[7]}, Kecamatan {first[8]}, Kepala desa {first[9]}"]
    lines += [f"- {r[11]} ({r[12]})" for r in rows if r[11]]
    return _pdf("Surat kerja sama", lines)


def receipt_pdf(conn, scope: Scope, page: Page):
    """One group's receipt (or invoice) for its lines of a booking: booking, event,
    partner, village, group, lines and the document number, then a PDF."""
    parts = page.url.split("/")
    booking, group = int(parts[2]), int(parts[4])
    kind = "receipt" if "kwitansi" in page.url else "invoice"
    rows = conn.execute(_sql("""
        SELECT b.id, b.deliver_at, b.deliver_place, e.title, e.starts_at, pa.name,
               pa.address, v.name, g.name, g.chair_name, g.bank_name, g.bank_account_number,
               (SELECT d.number FROM issued_documents d WHERE d.subject = 'booking'
                  AND d.subject_id = b.id AND d.kind = :kind AND d.group_id = g.id),
               l.description, l.quantity, l.unit_price
          FROM catering_bookings b JOIN events e ON e.id = b.event_id
          JOIN partners pa ON pa.id = b.partner_id JOIN villages v ON v.id = b.village_id
          JOIN booking_lines l ON l.booking_id = b.id
          JOIN producer_groups g ON g.id = l.group_id
         WHERE b.id = :id AND l.group_id = :grp
           AND b.village_id IN (SELECT village_id FROM officer_villages WHERE user_id = :uid)
         ORDER BY l.id
        """), {**_params(scope), "id": booking, "grp": group, "kind": kind}).all()
    if not rows:
        abort(404)
    first = rows[0]
    total = sum(r[14] * r[15] for r in rows)
    lines = [f"Nomor: {first[12]}", f"Telah terima dari: {first[5]}", str(first[6]),
             f"Acara: {first[3]} {first[4]}", f"Antar: {first[1]} {first[2]}",
             f"Kelompok: {first[8]} ({first[9]}) {first[10]} {first[11]}"]
    lines += [f"{r[13]}: {r[14]} x Rp {r[15]:,} = Rp {r[14] * r[15]:,}" for r in rows]
    lines.append(f"Jumlah: Rp {total:,}")
    return _pdf("Kuitansi" if kind == "receipt" else "Faktur", lines)


FLOORS = {
    "dashboard_officer": dashboard_officer,
    "dashboard_producer": dashboard_producer,
    "dashboard_reseller": dashboard_reseller,
    "dashboard_partner": dashboard_partner,
    "queue": queue,
    "orders": orders,
    "sales": sales,
    "village_report": village_report,
    "balances": balances,
    "catalog": catalog,
    "calendar_month": calendar_month,
    "ical_feed": ical_feed,
    "letter_pdf": letter_pdf,
    "receipt_pdf": receipt_pdf,
}


# --- the app ---------------------------------------------------------------------------


def resolve_scopes(engine: Engine, manifest: dict) -> dict[str, Scope]:
    """The ids behind each login of the manifest (read once, at start)."""
    scopes = {}
    with engine.connect() as conn:
        for key, username in manifest["logins"].items():
            row = conn.execute(text(
                "SELECT id, role, group_id, partner_id, village_id FROM users "
                "WHERE username = :name"), {"name": username}).one()
            scopes[key] = Scope(key, row.id, row.role, row.group_id, row.partner_id,
                                row.village_id)
    return scopes


def create_floor_app(manifest_path: str | None = None, url: str | None = None) -> Flask:
    """The floor app for the dataset of ``manifest_path`` (env ``BENCH_MANIFEST``) on
    the database ``url`` (env ``DATABASE_URL``)."""
    manifest_path = manifest_path or os.environ["BENCH_MANIFEST"]
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    address = database_url(url or os.environ["DATABASE_URL"])
    # The app's PostgreSQL session settings, so that both plan the same statements
    # the same way and the ratio compares the stacks alone.
    connect = {"options": POSTGRES_SESSION_OPTIONS} if address.startswith("postgresql") else {}
    engine = create_engine(address, pool_pre_ping=False, connect_args=connect)
    pages = {p.name: p for p in key_pages(manifest) if p.floor}
    scopes = resolve_scopes(engine, manifest)
    # The floor reads what the app reads: running totals and monthly summaries where
    # the schema has them, the records themselves otherwise.
    floors = dict(FLOORS)
    tables = inspect(engine)
    if not tables.has_table("pair_totals"):
        floors["balances"] = balances_from_records
    if tables.has_table("sales_months") and tables.has_table("product_sales_months"):
        floors["sales"] = sales_from_summaries
        floors["village_report"] = village_report_from_summaries
    unknown = {p.floor for p in pages.values()} - set(floors)
    if unknown:
        raise RuntimeError(f"no floor endpoint for {sorted(unknown)}")

    app = Flask(__name__)
    app.config["BENCH_ENGINE"] = engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        with contextlib.suppress(RuntimeError):  # outside a request (start-up)
            g.queries = g.get("queries", 0) + 1

    @app.before_request
    def _start():
        g.started = time.perf_counter()
        g.queries = 0

    @app.after_request
    def _figures(response):
        started = g.get("started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
            response.headers["X-Query-Count"] = str(g.get("queries", 0))
        return response

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/f/<name>")
    def floor(name: str):
        page = pages.get(name)
        if page is None:
            abort(404)
        scope = scopes.get(page.login) if page.login else None
        with engine.connect() as conn:
            result = floors[page.floor](conn, scope, page)
        if isinstance(result, str):
            return Response(result, mimetype="text/html")
        return result

    return app
