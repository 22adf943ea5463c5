"""Benchmark (run by hand, not a test): the Awin CSV path against today's CSV path, and link checks per
second against a replica redirector and shop on loopback.

    .venv/bin/python bench/affiliate.py feeds [--rows 1000000] [--storage off|sqlite]
    .venv/bin/python bench/affiliate.py linkcheck [--products 500] [--per-host 2]

feeds: the same N products written as an Awin feed (two merchants, the run syncs the first, 90% of rows)
and as our own CSV; each read by a real `scrapy crawl` (awin -a merchant=1, products_csv); wall time and
items/s. linkcheck: N products whose links go through a redirector (127.0.0.1) to a shop (localhost),
checked at CONCURRENT_REQUESTS_PER_DOMAIN=--per-host with no delay; checks/s.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures.crawl import scrapy_env  # noqa: E402

AWIN_HEADER = ["merchant_id", "merchant_name", "aw_product_id", "merchant_product_id", "product_name", "description",
               "merchant_category", "brand_name", "aw_deep_link", "merchant_deep_link", "merchant_image_url",
               "search_price", "rrp_price", "currency", "in_stock", "ean"]


def write_feeds(rows: int, folder: Path) -> tuple[Path, Path, int]:
    awin, own = folder / "awin.csv", folder / "own.csv"
    mine = 0
    with awin.open("w", newline="") as a, own.open("w", newline="") as o:
        aw, ow = csv.writer(a), csv.writer(o)
        aw.writerow(AWIN_HEADER)
        ow.writerow(["sku", "name", "description", "category", "brand", "url", "image_urls", "price", "currency",
                     "availability"])
        for n in range(rows):
            merchant = "2" if n % 10 == 9 else "1"
            mine += merchant == "1"
            page = f"https://shop.example/p/{n}"
            name, text = f"Ornament {n} 3\" glass", "Hand-painted glass ornament, with a gift box."
            aw.writerow([merchant, f"Shop {merchant}", 40_000_000 + n, f"SKU{n}", name, text, "Seasonal", "Hallmark",
                         f"https://www.awin1.com/pclick.php?p={40_000_000 + n}&a=1&m={merchant}", page,
                         f"{page}.jpg", f"{10 + n % 90}.99", "", "GBP", "1", ""])
            if merchant == "1":
                ow.writerow([f"SKU{n}", name, text, "Seasonal", "Hallmark", page, f"{page}.jpg", f"{10 + n % 90}.99",
                             "GBP", "in stock"])
    return awin, own, mine


def crawl(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    return time.monotonic() - started, done.stdout + done.stderr


def feeds(rows: int, storage: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        awin, own, mine = write_feeds(rows, folder)
        extra = {"ORNAMENTS_STORAGE_ENABLED": "0"} if storage == "off" else {}
        for label, args in (("products_csv (today's CSV path)", ["products_csv", "-a", f"feed={own}"]),
                            ("awin, one merchant of two", ["awin", "-a", "merchant=1", "-a", f"feed={awin}"])):
            db = folder / f"{args[0]}.sqlite3"
            seconds, log = crawl([*args, "-s", "LOG_LEVEL=INFO"], scrapy_env(DATABASE_URL=f"sqlite:///{db}", **extra))
            scraped = next((int(line.split(":")[-1].strip(" ,")) for line in log.splitlines()
                            if "'item_scraped_count'" in line), 0)
            print(f"{label:36s} {rows:>9,} rows  {scraped:>9,} items  {seconds:7.1f} s  {scraped / seconds:9,.0f} items/s")
        print(f"(storage {storage}; load average {os.getloadavg()[0]:.2f})")


def linkcheck(count: int, per_host: int) -> None:
    from tests.api_seed import item, sync
    from tests.fixtures.json_api import JsonApi
    from tests.helpers import serving
    from ornaments.storage import CatalogStore

    page = ("<html><head><script type='application/ld+json'>{\"@type\": \"Product\", \"name\": \"O\", \"offers\": "
            "{\"price\": \"10.00\", \"priceCurrency\": \"USD\", \"availability\": \"https://schema.org/InStock\"}}"
            "</script></head></html>")
    with serving(JsonApi()) as network, serving(JsonApi()) as shop, tempfile.TemporaryDirectory() as tmp:
        shop_url = f"http://localhost:{shop.server_address[1]}"
        network.route("GET", "/cread.php", lambda call: (302, b"", {"Location": call.query["ued"] + "?awc=1"}))
        shop.route("GET", "/p/*", lambda call: (200, page, {"Content-Type": "text/html"}))
        url = f"sqlite:///{tmp}/bench.sqlite3"
        store = CatalogStore(url)
        store.create_tables()
        sync(store, [item(n, vendor="outlet", url=f"{shop_url}/p/{n}", affiliate_url=(
            f"{network.url}/cread.php?awinmid=1&awinaffid=1&ued={quote(f'{shop_url}/p/{n}', safe='')}"))
            for n in range(count)], vendor="outlet")
        store.close()
        seconds, log = crawl(["linkcheck", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={per_host}", "-s", "DOWNLOAD_DELAY=0",
                              "-s", "AUTOTHROTTLE_ENABLED=0"],
                             scrapy_env(DATABASE_URL=url,
                                        ORNAMENTS_LINKCHECK_NETWORK_HOSTS=f"127.0.0.1:{network.server_address[1]}"))
        ok = next((int(line.split(":")[-1].strip(" ,")) for line in log.splitlines() if "'ornaments/linkcheck/ok'" in line), 0)
        print(f"linkcheck: {count} products, {ok} ok, {len(network.calls) + len(shop.calls)} requests, {seconds:.1f} s "
              f"(process included), {count / seconds:.1f} checks/s at {per_host} per host")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    f = sub.add_parser("feeds")
    f.add_argument("--rows", type=int, default=1_000_000)
    f.add_argument("--storage", choices=("off", "sqlite"), default="off")
    link = sub.add_parser("linkcheck")
    link.add_argument("--products", type=int, default=500)
    link.add_argument("--per-host", type=int, default=2)
    options = parser.parse_args()
    if options.what == "feeds":
        feeds(options.rows, options.storage)
    else:
        linkcheck(options.products, options.per_host)


if __name__ == "__main__":
    main()
