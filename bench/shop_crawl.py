"""Benchmark the shop spiders on generated replicas, next to `scrapy bench` on the same machine, in the same run.

    .venv/bin/python bench/shop_crawl.py [--products 5000] [--bench-seconds 20]

1. `scrapy bench` (outside the project, so Scrapy's defaults) for --bench-seconds: its pages/s.
2. `scrapy crawl ornament_shop` of a generated BigCommerce replica with --products products, throttling
   off, storing into SQLite: pages/s (year index, listings and product pages; image downloads excluded).
3. `scrapy crawl hallmark_ornaments` of a generated 3dcart replica: every listing is rendered by Chromium
   (about 530 pages for 5,000 products). RSS of Scrapy and of Chromium (all its processes) as rendered
   pages go by, to show that memory stays flat.
4. (--only sources) sitemap sync against year-index crawl of the same generated 3dcart replica, for the JS-grid
   layout (hallmark_ornaments) and the static 2026 layout (hallmark_ornaments_2026): pages/s, wall time, and
   how many listings Chromium rendered.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.http_server import serve_forever_in_background  # noqa: E402
from tests.sites.build import build  # noqa: E402
from tests.sites.catalog import synthetic  # noqa: E402

UNTHROTTLED = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=16",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=INFO"]


def scrapy_bench(seconds: int) -> float:
    with tempfile.TemporaryDirectory() as outside:  # no scrapy.cfg here: Scrapy's own defaults
        process = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                                 cwd=outside, capture_output=True, text=True, env=_env())
    log = process.stdout + process.stderr
    return _stat(log, "response_received_count") / _stat_float(log, "elapsed_time_seconds")


def shop_crawl(products: int, work: Path) -> tuple[float, int, float]:
    site = build(synthetic("ornament_shop", products), work / "ornament_shop")
    server_gen = serve_forever_in_background(site)
    server = next(server_gen)
    try:
        started = time.perf_counter()
        log = _crawl("ornament_shop", server.url, work, "-s", f"IMAGES_STORE={work / 'images'}")
        wall = time.perf_counter() - started
        pages = sum(1 for path, _ in server.requests if not path.startswith("/product_images/") and path != "/robots.txt")
        elapsed = _stat_float(log, "elapsed_time_seconds")
        items = _stat(log, "item_scraped_count")
    finally:
        server_gen.close()
    print(f"  ornament_shop: {pages} pages, {items} items in {elapsed:.1f} s crawl ({wall:.1f} s with start-up)")
    return pages / elapsed, items, elapsed


def rendered_crawl(products: int, work: Path) -> list[tuple[int, float, float, float]]:
    site = build(synthetic("hallmark_ornaments", products), work / "hallmark_ornaments")
    server_gen = serve_forever_in_background(site)
    server = next(server_gen)
    samples: list[tuple[int, float, float, float]] = []  # (rendered pages, scrapy RSS, chromium RSS, chromium PSS)
    try:
        command = [sys.executable, "-m", "scrapy", "crawl", "hallmark_ornaments", "-a", f"base_url={server.url}",
                   *UNTHROTTLED, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", f"IMAGES_STORE={work / 'images'}"]
        log_file = open(work / "rendered.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=_env(DATABASE_URL=f"sqlite:///{work / 'rendered.sqlite3'}"),
                                   stdout=log_file, stderr=subprocess.STDOUT)
        while process.poll() is None:
            rendered = sum(1 for path, _ in list(server.requests) if path.startswith("/assets/category/items_"))
            samples.append((rendered, *_rss_tree(process.pid)))
            time.sleep(0.5)
        log_file.close()
        log = (work / "rendered.log").read_text()
        if process.returncode != 0 or "Sync of hallmark_ornaments" not in log:
            raise SystemExit(f"rendered crawl failed:\n{log[-3000:]}")
        print(f"  hallmark_ornaments: {_stat(log, 'playwright/page_count')} pages rendered "
              f"({_stat(log, 'playwright/page_count/closed')} closed), {_stat(log, 'item_scraped_count')} items "
              f"in {_stat_float(log, 'elapsed_time_seconds'):.1f} s")
    finally:
        server_gen.close()
    return samples


def source_crawls(products: int, work: Path, sites: tuple[str, ...],
                  sources: tuple[str, ...] = ("index", "sitemap")) -> list[dict]:
    """Year index vs sitemap on the same replica: one `scrapy crawl` each, fresh SQLite each."""
    rows = []
    for site in sites:
        root = build(synthetic("hallmark_ornaments", products), work / site, site)
        server_gen = serve_forever_in_background(root)
        server = next(server_gen)
        try:
            for source in sources:
                server.requests.clear()
                started = time.perf_counter()
                log = _crawl("hallmark_ornaments", server.url, work, "-a", f"source={source}",
                             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "IMAGES_STORE=",
                             database=f"{site}-{source}.sqlite3")
                wall = time.perf_counter() - started
                pages = sum(1 for path, _ in server.requests
                            if not path.startswith(("/assets/images", "/assets/category-grid")) and path != "/robots.txt")
                elapsed = _stat_float(log, "elapsed_time_seconds")
                row = {"site": site, "source": source, "pages": pages, "items": _stat(log, "item_scraped_count"),
                       "elapsed": elapsed, "wall": wall, "pages_per_s": pages / elapsed,
                       "rendered": _stat(log, "ornaments/listings/rendered"),
                       "browser": _stat(log, "playwright/browser_count")}
                print(f"  {site} {source:7s}: {row['pages']} pages ({row['rendered']} rendered in Chromium, browser "
                      f"started {row['browser']}x), {row['items']} items, {elapsed:.1f} s crawl, {wall:.1f} s wall, "
                      f"{row['pages_per_s']:.0f} pages/s", flush=True)
                rows.append(row)
        finally:
            server_gen.close()
    return rows


def _crawl(spider: str, base_url: str, work: Path, *extra: str, database: str | None = None) -> str:
    process = subprocess.run([sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={base_url}",
                              *UNTHROTTLED, *extra], cwd=ROOT, capture_output=True, text=True,
                             env=_env(DATABASE_URL=f"sqlite:///{work / (database or spider + '.sqlite3')}"))
    log = process.stdout + process.stderr
    if process.returncode != 0 or f"Sync of {spider}" not in log:
        raise SystemExit(f"crawl of {spider} failed:\n{log[-3000:]}")
    return log


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORNAMENTS_", "SFTP_", "DATABASE_URL"))}
    env.update({"ORNAMENTS_EXPORT_URI": "", "PYTHONUNBUFFERED": "1", **extra})
    return env


def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def _stat_float(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else float("nan")


def _rss_tree(pid: int) -> tuple[float, float, float]:
    """MB: RSS of pid itself; RSS and PSS summed over its descendants (Chromium's processes).

    Chromium's processes share much of their memory, so their RSS sum overstates it; PSS splits shared
    pages between the processes that map them.
    """
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    descendants, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - descendants
        descendants |= frontier
    return (_memory(pid, "status", "VmRSS:"), sum(_memory(c, "status", "VmRSS:") for c in descendants),
            sum(_memory(c, "smaps_rollup", "Pss:") for c in descendants))


def _memory(pid: int, file: str, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--bench-seconds", type=int, default=20)
    parser.add_argument("--only", choices=("shop", "rendered", "sources"), help="run only one of the crawls")
    parser.add_argument("--sites", default="hallmark_ornaments,hallmark_ornaments_2026",
                        help="replicas for --only sources")
    parser.add_argument("--sources", default="index,sitemap", help="catalog sources for --only sources")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only == "sources":
            print(f"year index vs sitemap, {args.products} products ...")
            source_crawls(args.products, work, tuple(args.sites.split(",")), tuple(args.sources.split(",")))
            return
        if args.only != "rendered":
            print(f"scrapy bench ({args.bench_seconds} s) ...")
            bench_rate = scrapy_bench(args.bench_seconds)
            print(f"  scrapy bench: {bench_rate:.0f} pages/s")
            print(f"ornament_shop replica, {args.products} products ...")
            shop_rate, _items, _elapsed = shop_crawl(args.products, work)
            print(f"  ornament_shop: {shop_rate:.0f} pages/s = {shop_rate / bench_rate:.2f}x scrapy bench")
        if args.only == "shop":
            return
        print(f"hallmark_ornaments replica, {args.products} products, listings rendered in Chromium ...")
        samples = rendered_crawl(args.products, work)
        for mark in (50, 100, 200, 300, 400, 500):
            at = next((s for s in samples if s[0] >= mark), None)
            if at:
                print(f"  after {at[0]:4d} rendered pages: scrapy {at[1]:.0f} MB RSS; "
                      f"chromium {at[2]:.0f} MB RSS summed, {at[3]:.0f} MB PSS")
        peak = max(samples, key=lambda s: s[1] + s[3])
        print(f"  peak: scrapy {peak[1]:.0f} MB RSS + chromium {peak[3]:.0f} MB PSS at {peak[0]} rendered pages")


if __name__ == "__main__":
    main()
