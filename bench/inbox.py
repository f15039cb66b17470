"""The order inbox at scale: a 5,000-row Shopee export uploaded, previewed and saved
by the reseller with the most orders, through HTTP as the reseller does it.

    .venv/bin/python -m bench.inbox \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_kabupaten \\
        --manifest bench/out/manifest-kabupaten.json [--rows 5000] [--orders 2500] \\
        [--products 12] [--seed 2026] [--profile]

The app is built with the production settings (``CRM_ENV=production``, a random
``SECRET_KEY``, ``CRM_QUERY_COUNT=1``; cookies usable over plain HTTP as in
``bench/served.py``) and driven with Flask's test client: sign in through ``/masuk``,
open the upload page (its CSRF token), upload the file, open the preview, save. Then
the same file again (refused: already imported) and a second export giving tracking
numbers to 500 of the saved orders (updates). For each request: the client's wall
time, the app's ``Server-Timing`` and ``X-Query-Count``, and the process's peak
resident memory while it was handled (Linux's ``VmHWM``, reset before each request;
``ru_maxrss``, the peak since the start, elsewhere). ``--profile`` runs the preview and
the save under cProfile and prints where their time goes.

Nothing is kept: everything runs in one database transaction that is rolled back at
the end (each request's commit releases a savepoint in it instead), and the uploaded
files go to a temporary folder that is deleted. The run first gives the reseller
active claims up to ``--products`` products (on sale, their village's first) and
enough stock or daily capacity for the file's quantities, in that transaction too: the
generated data gives a reseller few claims, most of them made to order with a small
daily capacity, and the benchmark is about saving thousands of orders, not refusing
them. Benchmark (``bench_…``) databases only.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import resource
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.inbox_orders import shopee_orders, with_tracking
from tests.inbox.exports import export_file

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
BASE = "http://127.0.0.1"  # a trusted host (CRM_TRUSTED_HOSTS)
# The targets for a 5,000-row export, wall time in seconds.
PREVIEW_S = 5.0
SAVE_S = 10.0
TAB = {"new": "baru", "existing": "sudah-ada", "check": "perlu-dicek"}


# --- the database ------------------------------------------------------------------------


def prepare(connection, reseller_id: int, wanted: int) -> tuple[list[dict], int]:
    """Give the reseller active claims up to ``wanted`` products and room for the
    file's orders; returns their claimed products and how many claims were added."""
    village = connection.execute(text("SELECT village_id FROM users WHERE id = :r"),
                                 {"r": reseller_id}).scalar()
    claimed = _claimed(connection, reseller_id)
    missing = max(wanted - len(claimed), 0)
    if missing:
        extra = connection.execute(text(
            "SELECT id, village_id FROM products WHERE active AND id <> ALL(:ids) "
            "ORDER BY village_id = :v DESC, id LIMIT :n"),
            {"ids": [p["id"] for p in claimed], "v": village, "n": missing}).all()
        for product_id, village_id in extra:
            connection.execute(text(
                "INSERT INTO claims (product_id, reseller_id, village_id, status, channels, "
                "close_reason, created_at) VALUES (:p, :r, :v, 'active', 'shopee', '', now())"),
                {"p": product_id, "r": reseller_id, "v": village_id})
        connection.execute(text("UPDATE products SET claim_count = claim_count + 1 "
                                "WHERE id = ANY(:ids)"), {"ids": [p for p, _v in extra]})
        claimed = _claimed(connection, reseller_id)
    ids = [p["id"] for p in claimed]
    connection.execute(text(
        "UPDATE products SET stock = GREATEST(stock, 1000000) WHERE id = ANY(:ids) "
        "AND NOT made_to_order"), {"ids": ids})
    connection.execute(text(
        "UPDATE products SET daily_capacity = GREATEST(daily_capacity, 1000000) "
        "WHERE id = ANY(:ids) AND made_to_order"), {"ids": ids})
    return claimed, missing


def _claimed(connection, reseller_id: int) -> list[dict]:
    return [dict(row._mapping) for row in connection.execute(text(
        "SELECT p.id, p.sku, p.name, p.retail_price FROM products p JOIN claims c "
        "ON c.product_id = p.id WHERE c.reseller_id = :r AND c.status = 'active' "
        "AND p.active ORDER BY p.id"), {"r": reseller_id})]


def made_orders(connection, reseller_id: int, refs: list[str]) -> tuple[int, int]:
    """Orders of ``refs`` in the database, and how many of them have a tracking number."""
    return tuple(connection.execute(text(
        "SELECT count(*), count(*) FILTER (WHERE tracking_number <> '') FROM orders "
        "WHERE reseller_id = :r AND channel = 'shopee' AND marketplace_ref = ANY(:refs)"),
        {"r": reseller_id, "refs": refs}).one())


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Step:
    """One request and its figures."""

    name: str
    status: int
    wall_ms: float
    server_ms: float | None
    queries: int | None
    peak_mb: float
    grew_mb: float  # peak while handled − memory in use before
    body: str
    location: str

    def line(self) -> str:
        server = f"{self.server_ms:9.1f}" if self.server_ms is not None else "        —"
        return (f"  {self.name:28} {self.status}  wall {self.wall_ms:9.1f} ms  server "
                f"{server} ms  queries {self.queries if self.queries is not None else '—':>6}"
                f"  peak {self.peak_mb:6.1f} MB (+{self.grew_mb:.1f})")


def memory_mb(field: str = "VmHWM") -> float:
    """The process's peak resident memory since the last :func:`reset_peak` (Linux's
    ``VmHWM``; ``VmRSS``: the memory in use now), or its peak since it started
    (``ru_maxrss``) where ``/proc`` cannot be read."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak of :func:`peak_mb` again from the memory in use now (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Reseller:
    """A test client signed in as the reseller, timing every request."""

    def __init__(self, client, profile: bool):
        self.client = client
        self.profile = profile
        self.steps: list[Step] = []
        self.peak = 0.0  # MB, the highest of the process so far

    def request(self, name: str, method: str, url: str, profiled: bool = False,
                **kwargs) -> Step:
        profiler = cProfile.Profile() if profiled and self.profile else None
        self.peak = max(self.peak, memory_mb())
        reset_peak()
        before = memory_mb("VmRSS")
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = self.client.open(url, method=method, base_url=BASE, **kwargs)
        if profiler:
            profiler.disable()
        wall = (time.perf_counter() - started) * 1000
        timing = re.search(r"app;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
        count = response.headers.get("X-Query-Count")
        step = Step(name, response.status_code, wall, float(timing.group(1)) if timing
                    else None, int(count) if count else None, memory_mb(),
                    memory_mb() - before,
                    response.get_data(as_text=True), response.headers.get("Location", ""))
        self.steps.append(step)
        self.peak = max(self.peak, step.peak_mb)
        print(step.line(), flush=True)
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(15)
            print(out.getvalue(), flush=True)
        return step

    def token(self, url: str, name: str) -> str:
        page = self.request(name, "GET", url)
        match = CSRF.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"{url} answered {page.status} without a form")
        return unescape(match.group(1))

    def sign_in(self, login: str, password: str) -> None:
        token = self.token("/masuk", "sign-in page")
        done = self.request("sign in", "POST", "/masuk", data={
            "csrf_token": token, "login": login, "password": password})
        if done.status != 302 or "/masuk" in done.location:
            raise RuntimeError(f"signing in as {login!r} failed ({done.status})")

    def upload(self, label: str, data: bytes, filename: str) -> Step:
        token = self.token("/kotak-pesanan", f"{label}: upload page")
        return self.request(f"{label}: upload", "POST", "/kotak-pesanan",
                            content_type="multipart/form-data", data={
                                "csrf_token": token, "file": (io.BytesIO(data), filename)})

    def preview_and_save(self, label: str, batch_url: str) -> tuple[dict, Step, Step]:
        page = self.request(f"{label}: preview", "GET", batch_url, profiled=True)
        if page.status != 200:
            raise RuntimeError(f"preview answered {page.status}")
        counts = {key: int(re.search(rf'href="#{tab}">[^(<]*\((\d+)\)', page.body).group(1))
                  for key, tab in TAB.items()}
        changes = re.search(r"(\d+) (?:perubahan|changes?)", page.body)
        counts["changes"] = int(changes.group(1)) if changes else 0
        token = unescape(CSRF.search(page.body).group(1))
        saved = self.request(f"{label}: save", "POST", batch_url + "/simpan", profiled=True,
                             data={"csrf_token": token})
        if saved.status != 302:
            raise RuntimeError(f"save answered {saved.status}")
        return counts, page, saved


# --- main -----------------------------------------------------------------------------


def production_app(database_url: str, uploads: str):
    """The app with the production settings, as ``bench/served.py`` serves it."""
    for key in [k for k in os.environ if k.startswith(("CRM_", "FLASK_"))]:
        del os.environ[key]
    os.environ.update({"CRM_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                       "DATABASE_URL": database_url, "CRM_TRUSTED_HOSTS": "127.0.0.1",
                       "CRM_QUERY_COUNT": "1"})
    from bench.served import create_served_app  # reads the settings set just above

    app = create_served_app()
    app.config["UPLOAD_FOLDER"] = uploads
    return app


def in_one_transaction(app):
    """Make every request's session join one connection's transaction (a commit
    releases a savepoint); returns that connection, whose transaction the caller
    rolls back."""
    from crm.extensions import db

    with app.app_context():
        connection = db.engine.connect()
        connection.begin()
        db._app_engines[app][None] = connection  # get_bind answers this connection
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
    return connection


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.inbox",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--orders", type=int, default=2500)
    parser.add_argument("--tracking", type=int, default=500)
    parser.add_argument("--products", type=int, default=12,
                        help="claimed products the reseller sells (claims added if fewer)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the preview and save requests")
    return parser.parse_args(argv)


def run(args) -> int:
    name = make_url(args.database_url).database or ""
    if not name.startswith("bench_"):
        print(f"refusing {name!r}: benchmark (bench_…) databases only", file=sys.stderr)
        return 2
    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    uploads = tempfile.mkdtemp(prefix="bench-inbox-")
    try:
        app = production_app(args.database_url, uploads)
        connection = in_one_transaction(app)
        try:
            return drive(args, manifest, app, connection)
        finally:
            connection.rollback()
            connection.close()
            print("rolled back: the database is as it was")
    finally:
        shutil.rmtree(uploads, ignore_errors=True)


def drive(args, manifest: dict, app, connection) -> int:
    """Upload, preview and save the exports as the manifest's reseller; 0 when the
    same file again was refused."""
    login = manifest["logins"]["reseller"]
    reseller_id = connection.execute(text("SELECT id FROM users WHERE username = :u"),
                                     {"u": login}).scalar_one()
    products, added = prepare(connection, reseller_id, args.products)
    print(f"reseller {login} (id {reseller_id}): {len(products)} claimed products "
          f"({added} claims added for the run), stock and capacity raised")
    started = datetime(2026, 11, 30, 8, 0)
    orders = shopee_orders(products, args.rows, args.orders, args.seed, started)
    first = export_file("shopee", orders)
    later = export_file("shopee", with_tracking(orders, args.tracking, args.seed))
    print(f"export: {sum(len(o['lines']) for o in orders):,} rows, {len(orders):,} "
          f"orders, {len(first) / 1024:.0f} KB; later export: {args.tracking} orders, "
          f"{len(later) / 1024:.0f} KB; peak before the requests {memory_mb():.1f} MB",
          flush=True)
    reseller = Reseller(app.test_client(), args.profile)
    reseller.sign_in(login, manifest["password"])

    sent = reseller.upload("export", first, "Order.all.20261206.xlsx")
    if sent.status != 302:
        raise RuntimeError(f"upload answered {sent.status}")
    counts, page, saved = reseller.preview_and_save("export", sent.location)
    refs = [o["ref"] for o in orders]
    made, _tracked = made_orders(connection, reseller_id, refs)
    print(f"  preview: {counts['new']:,} new, {counts['existing']:,} already in the "
          f"app, {counts['check']:,} to check; saved: {made:,} orders", flush=True)
    shown = (sent.wall_ms + page.wall_ms) / 1000
    print(f"  upload + preview {shown:.1f} s (target ≤ {PREVIEW_S:.0f} s "
          f"{'met' if shown <= PREVIEW_S else 'NOT met'}); save {saved.wall_ms / 1000:.1f} s "
          f"(target ≤ {SAVE_S:.0f} s {'met' if saved.wall_ms / 1000 <= SAVE_S else 'NOT met'})")

    again = reseller.upload("same file again", first, "Order.all.20261206.xlsx")
    refused = again.status == 200 and "sudah diimpor" in again.body
    print(f"  same file again: {'refused as already imported' if refused else 'NOT refused'}")

    sent = reseller.upload("tracking export", later, "Order.all.20261207.xlsx")
    if sent.status != 302:
        raise RuntimeError(f"second upload answered {sent.status}")
    counts, _page, _saved = reseller.preview_and_save("tracking export", sent.location)
    _made, tracked = made_orders(connection, reseller_id, refs)
    print(f"  tracking export: {counts['existing']:,} already in the app, "
          f"{counts['changes']:,} changes; orders with a tracking number now: {tracked:,}")
    print(f"peak memory of the process: {max(reseller.peak, memory_mb()):.1f} MB (each "
          f"request's line: the peak while it was handled)")
    return 0 if refused else 1


def main(argv=None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
