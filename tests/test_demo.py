"""The demo and the README agree: scripts/demo.sh (make demo) runs offline on SQLite, then every line of
the README's everyday-examples block runs on the demo's data, each with exit 0, no traceback and no
wait on the network, and none undoes what the demo changed. The API examples of docs/api.md answer too."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from ornaments.api.keys import create_key
from tests import scrapy_fork
from tests.fixtures.api_server import start_api

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
API_PAGE = ROOT / "docs" / "api.md"
MARKER = "<!-- demo-examples:"
NETWORK_WAIT = ("CannotResolveHost", "DNS lookup failed", "retry/count", "TimeoutError", "ConnectionRefused")


def readme_block(after: str, page: Path = README) -> list[str]:
    """The command lines of the first ```sh block after the line containing `after` (comments cut off)."""
    text = page.read_text(encoding="utf-8")
    start = text.index(after)
    block = text[text.index("```sh\n", start) + 6:]
    block = block[:block.index("```")]
    lines = []
    for line in block.splitlines():
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        if command and not command.startswith("#"):
            lines.append(command)
    return lines


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ORNAMENTS_", "SFTP_", "DATABASE_URL", "IMAGES_", "SCRAPY_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}", "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1", **extra})
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A scratch directory like a checkout (its own images/ and outputs) where make demo has run."""
    tmp = tmp_path_factory.mktemp("demo")
    for name in (".venv", "feeds"):
        (tmp / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "scrapy.cfg", tmp / "scrapy.cfg")
    result = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], cwd=tmp, capture_output=True, text=True,
                            env=environment(tmp, IMAGES_STORE=str(tmp / "images")), timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Traceback" not in output and not any(w in output for w in NETWORK_WAIT), output[-3000:]
    assert "34.99 USD -> 29.99" not in output  # the old story (day 3 = next-day feed) is not what it tells
    assert re.search(r"price\s+KC-QXI3204 .* 39\.99 USD -> 34\.99 USD", output), output
    assert re.search(r"removed\s+KC-QXR5005", output) and re.search(r"new\s+KC-QXR6124", output), output
    return tmp


def price_of(tmp: Path, vendor_product_id: str) -> tuple[str, bool]:
    engine = sa.create_engine(f"sqlite:///{tmp / 'demo.sqlite3'}")
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT price, removed_at FROM products WHERE vendor_product_id = :id"),
                           {"id": vendor_product_id}).one()
    engine.dispose()
    return f"{row.price:.2f}", row.removed_at is not None


def test_the_demo_stores_its_images_from_the_feeds_own_folder(demo):
    stored = sorted((demo / "images" / "google_merchant" / "full").glob("*.jpg"))
    assert len(stored) >= 6  # every image of the two feeds, none waited for on the network


def run_line(line: str, demo: Path) -> tuple[int, str]:
    """(exit code, output) of a README line in the activated virtualenv. A plain `scrapy ...` line (words,
    quotes and $PWD, nothing else of the shell) runs as a fork of tests/scrapy_fork.py's warm server with
    the words the shell would pass; any other line, or every line with ORNAMENTS_TEST_FORK=0, runs in bash."""
    words = shlex.split(line.replace("$PWD", str(demo)))
    plain = not re.search(r"[|&;<>()`*?~{}\[\]\\]|\$(?!PWD\b)", line)
    if scrapy_fork.ENABLED and plain and words[0] == "scrapy":
        code, out, err = scrapy_fork.run(tuple(words[1:]), environment(demo), demo, 300)
        return code, out + err
    result = subprocess.run(["bash", "-c", f". .venv/bin/activate && {line}"], cwd=demo, capture_output=True,
                            text=True, env=environment(demo), timeout=300)
    return result.returncode, result.stdout + result.stderr


def test_every_everyday_example_works_on_the_demo_data(demo):
    lines = readme_block(MARKER)
    assert lines[0] == ". .venv/bin/activate" and len(lines) > 10
    for line in lines[1:]:
        started = time.monotonic()
        returncode, output = run_line(line, demo)
        assert returncode == 0, f"{line}\n{output[-3000:]}"
        assert "Traceback" not in output, f"{line}\n{output[-3000:]}"
        waits = [w for w in NETWORK_WAIT if w in output]
        assert not waits, f"{line} waited on the network ({waits}, {time.monotonic() - started:.1f} s)"
        # None of them undoes the demo: today's price drop holds, the gone product stays removed.
        assert price_of(demo, "KC-QXI3204") == ("34.99", False), line
        assert price_of(demo, "KC-QXR5005")[1] is True, line
    exported = json.loads((demo / "products.json").read_text())
    assert {p["vendor_product_id"] for p in exported} >= {"KC-QXI3204", "KC-QX1571"}


def test_the_api_page_examples_answer_on_the_demo_data(demo):
    engine = sa.create_engine(f"sqlite:///{demo / 'demo.sqlite3'}")
    with engine.begin() as conn:
        _, key = create_key(conn, "readme-test")
    engine.dispose()
    process, server = start_api(f"sqlite:///{demo / 'demo.sqlite3'}", demo)
    try:
        gets = [line for line in readme_block("# HTTP API and pages", API_PAGE) if line.startswith("curl -H") and " -F " not in line]
        assert len(gets) >= 2
        for line in gets:
            header, url = re.fullmatch(r'curl -H "([^"]+)" "?(http://127\.0\.0\.1:8000[^"\s]*)"?', line).groups()
            name, value = header.split(": ", 1)
            answer = httpx.get(url.replace("http://127.0.0.1:8000", server.url),
                               headers={name: value.replace("$KEY", key)}, timeout=30)
            assert answer.status_code == 200, f"{line}: {answer.status_code} {answer.text}"
            assert answer.json().get("items") or answer.json().get("history"), line
    finally:
        process.terminate()
        process.wait(10)


def test_the_demo_in_the_pages(demo):
    """After make demo, the pages show the day-3 run's changes and a product with its stored image and its
    price drop, in Chromium (screenshots to docs/screenshots/ with ORNAMENTS_UPDATE_SCREENSHOTS=1)."""
    from tests.browser import in_browser
    shots = ROOT / "docs" / "screenshots" if os.environ.get("ORNAMENTS_UPDATE_SCREENSHOTS") == "1" else demo
    engine = sa.create_engine(f"sqlite:///{demo / 'demo.sqlite3'}")
    with engine.begin() as conn:
        _, key = create_key(conn, "pages-test")
        day3 = conn.execute(sa.text("SELECT id FROM sync_runs WHERE vendor = 'google_merchant' "
                                    "ORDER BY id LIMIT 1 OFFSET 2")).scalar()  # the demo's third run
    engine.dispose()
    process, server = start_api(f"sqlite:///{demo / 'demo.sqlite3'}", demo, IMAGES_STORE=str(demo / "images"))

    def check(page) -> None:
        page.goto(f"{server.url}/ui/login?next=/ui/runs/{day3}")
        page.fill("input[name=key]", key)
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/ui/runs/{day3}")
        kinds = {row.get_attribute("data-kind") for row in page.locator("tr.change").all()}
        assert {"created", "price_down", "back_in_stock", "removed"} <= kinds, kinds
        page.screenshot(path=str(shots / "demo-run-changes.png"), full_page=True)
        page.click("tr.change[data-kind=price_down] a")
        page.wait_for_url(f"{server.url}/ui/products/google_merchant/KC-QXI3204")
        images = page.locator("#images img")
        assert images.count() == 2 and all(i.evaluate("i => i.naturalWidth") > 0 for i in images.all())
        points = page.locator("#price-chart circle.point")
        xs = [float(p.get_attribute("cx")) for p in points.all()]
        assert len(xs) == 2 and xs[1] - xs[0] >= 40  # seconds apart in the demo, yet apart on the chart
        assert {"39.99", "34.99"} <= set(page.locator("#price-chart text.value").all_text_contents())
        page.screenshot(path=str(shots / "demo-product.png"), full_page=True)

    try:
        in_browser(check)
    finally:
        process.terminate()
        process.wait(10)
