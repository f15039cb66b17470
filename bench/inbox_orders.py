"""The orders of the order inbox benchmark's Shopee exports (``bench/inbox.py``): a
reseller's week of marketplace orders with real-looking buyers, phones and addresses,
and the same orders later, sent with a tracking number. The same seed gives the same
orders."""

import random
from datetime import datetime, timedelta

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
