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
memory so far (``ru_maxrss``). ``--profile`` runs the preview and the save under
cProfile and prints where their time goes.

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
import cProfile
import io
import json
import os
import pstats
import random
import re
import resource
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.inbox.exports import export_file

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
BASE = "http://127.0.0.1"  # a trusted host (CRM_TRUSTED_HOSTS)
# The targets for a 5,000-row export, wall time in seconds.
PREVIEW_S = 5.0
SAVE_S = 10.0
TAB = {"new": "baru", "existing": "sudah-ada", "check": "perlu-dicek"}
FIRST_NAMES = ("Siti", "Budi", "Rina", "Agus", "Dewi", "Eko", "Nur", "Wahyu", "Ani", "Joko",
               "Sri", "Hendra", "Lestari", "Bambang", "Yuni", "Dian", "Rizky", "Putri")
LAST_NAMES = ("Aminah", "Santoso", "Wulandari", "Saputra", "Rahayu", "Hidayat", "Kusuma",
              "Pratama", "Sari", "Nugroho", "Setiawan", "Anggraini", "")
STREETS = ("Jl. Melati", "Jl. Kaliurang", "Jl. Magelang", "Jl. Diponegoro", "Jl. Mawar",
           "Jl. Sudirman", "Gang Kenanga", "Jl. Parangtritis", "Dusun Krajan")
CITIES = ("Kab. Sleman", "Kab. Bantul", "Kota Yogyakarta", "Kab. Klaten", "Kota Semarang",
          "Kota Bandung", "Kab. Bogor", "Kota Surabaya", "Jakarta Selatan", "Kab. Malang")
COURIERS = ("J&T Express", "SiCepat REG", "JNE Reguler", "Shopee Xpress Standard",
            "AnterAja Reguler")


# --- the export -------------------------------------------------------------------------


def shopee_orders(products: list[dict], rows: int, orders: int, seed: int,
                  start: datetime) -> list[dict]:
    """``orders`` Shopee orders of 1–3 product rows, ``rows`` rows in all, of
    ``products`` (dicts with sku, name, retail_price): about 1 % of the orders hold a
    product the app does not know, 2 % are cancelled, the rest wait to be sent."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 3) for _ in range(orders)]
    while sum(sizes) > rows:
        sizes[rng.choice([n for n, s in enumerate(sizes) if s > 1])] -= 1
    while sum(sizes) < rows:
        sizes[rng.choice([n for n, s in enumerate(sizes) if s < 3])] += 1
    made = []
    for n, size in enumerate(sizes):
        picked = rng.sample(products, min(size, len(products)))
        picked += [rng.choice(products) for _ in range(size - len(picked))]
        lines = [{"product": p["name"], "sku": p["sku"], "variant": "",
                  "quantity": rng.choice((1, 1, 1, 2, 2, 3)),
                  "price": p["retail_price"]} for p in picked]
        if rng.random() < 0.01:
            lines[-1] = {"product": f"Paket Hampers Lebaran {n}", "sku": f"HMP-{n:05d}",
                         "variant": "Besar", "quantity": 1, "price": 125_000}
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}".strip()
        phone = rng.choice(("08", "628")) + rng.choice(("12", "13", "21", "52", "57", "77"))
        phone += "".join(str(rng.randrange(10)) for _ in range(rng.randint(7, 8)))
        city = rng.choice(CITIES)
        made.append({
            "ref": f"261206{rng.randrange(36 ** 8):08X}"[:14] + f"{n:04d}",
            "status": "Batal" if rng.random() < 0.02 else "Perlu Dikirim",
            "buyer": name, "buyer_username": name.lower().replace(" ", ".") + str(n % 97),
            "phone": phone, "city": city, "courier": rng.choice(COURIERS), "tracking": "",
            "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, RT "
                       f"{rng.randint(1, 12):02d}/RW {rng.randint(1, 9):02d}, {city}",
            "ordered_at": start + timedelta(minutes=rng.randint(0, 6 * 24 * 60)),
            "lines": lines,
        })
    return made


def with_tracking(orders: list[dict], count: int, seed: int) -> list[dict]:
    """The first ``count`` open orders of ``orders`` as a later export shows them:
    sent, with the courier's tracking number."""
    rng = random.Random(seed + 1)
    sent = [order for order in orders if order["status"] == "Perlu Dikirim"][:count]
    return [dict(order, status="Dikirim",
                 tracking=f"JP{rng.randrange(10 ** 10):010d}") for order in sent]


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
    body: str
    location: str

    def line(self) -> str:
        server = f"{self.server_ms:9.1f}" if self.server_ms is not None else "        —"
        return (f"  {self.name:28} {self.status}  wall {self.wall_ms:9.1f} ms  server "
                f"{server} ms  queries {self.queries if self.queries is not None else '—':>6}"
                f"  peak {self.peak_mb:6.1f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Reseller:
    """A test client signed in as the reseller, timing every request."""

    def __init__(self, client, profile: bool):
        self.client = client
        self.profile = profile
        self.steps: list[Step] = []

    def request(self, name: str, method: str, url: str, profiled: bool = False,
                **kwargs) -> Step:
        profiler = cProfile.Profile() if profiled and self.profile else None
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
                    else None, int(count) if count else None, peak_mb(),
                    response.get_data(as_text=True), response.headers.get("Location", ""))
        self.steps.append(step)
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
          f"{len(later) / 1024:.0f} KB; peak before the requests {peak_mb():.1f} MB",
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
    print(f"peak memory of the process: {peak_mb():.1f} MB")
    return 0 if refused else 1


def main(argv=None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
