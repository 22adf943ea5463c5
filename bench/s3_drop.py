"""Benchmark: a drop folder on S3 against the same records read as one local feed (run by hand, not a test).

    .venv/bin/python bench/s3_drop.py [--files 20] [--records 2000]

Starts moto's S3 server on loopback, drops --files BESTSELLER files of --records products each (every
file lists new products, as a partner's daily changes do), then times real `scrapy crawl` processes
into a fresh SQLite database:
  1. bestseller reading all the records as one local file (the feed path);
  2. s3_drop processing the folder, with -a output (one JSON document per file written back to S3);
  3. s3_drop again: nothing new, the cost of a poll.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fixtures.s3 import ACCESS_KEY, REGION, SECRET_KEY, S3Server  # noqa: E402
from tests.helpers import free_port  # noqa: E402


def records(start: int, count: int) -> str:
    return "".join(f'<nsx:item id="B{n}"><nsx:category>Ornaments</nsx:category><nsx:description>Ornament {n}'
                   f'</nsx:description><nsx:prices><nsx:price><nsx:currency>EUR</nsx:currency><nsx:value>'
                   f'{n % 90 + 9}.95</nsx:value></nsx:price></nsx:prices></nsx:item>\n'
                   for n in range(start, start + count))


def crawl(args: list[str], env_extra: dict[str, str]) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORNAMENTS_", "IMAGES_", "SFTP_", "AWS_"))}
    env.update({"ORNAMENTS_EXPORT_URI": "", "IMAGES_STORE": "", **env_extra})
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return elapsed, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--records", type=int, default=2000)
    options = parser.parse_args()
    total = options.files * options.records
    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)
        server = S3Server(f"http://127.0.0.1:{port}", moto)
        client = server.client()
        client.create_bucket(Bucket="bench")
        for n in range(options.files):
            body = f"\n<nsx:items>\n{records(n * options.records, options.records)}</nsx:items>\n"
            client.put_object(Bucket="bench", Key=f"drop/{n:04}.xml", Body=body.encode())
        aws = {"AWS_ENDPOINT_URL": server.endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
               "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": REGION}
        with tempfile.TemporaryDirectory() as tmp:
            feed = Path(tmp) / "all.xml"
            feed.write_text(f"\n<nsx:items>\n{records(0, total)}</nsx:items>\n")
            local, _ = crawl(["bestseller", "-a", f"feed={feed}"], {"DATABASE_URL": f"sqlite:///{tmp}/feed.sqlite3"})
            db = {"DATABASE_URL": f"sqlite:///{tmp}/drop.sqlite3", **aws}
            drop_args = ["s3_drop", "-a", "source=s3://bench/drop/", "-a", "output=s3://bench/json/"]
            first, log = crawl(drop_args, db)
            assert log.count("Reading s3://") == options.files, log[-2000:]
            again, log = crawl(drop_args, db)
            assert "No new file" in log
        print(f"{options.files} files x {options.records} records = {total:,} products, SQLite")
        print(f"bestseller, one local file:        {local:6.1f} s  {total / local:8,.0f} items/s")
        print(f"s3_drop, {options.files} files + JSON to S3:   {first:6.1f} s  {total / first:8,.0f} items/s "
              f"({(first - local) / options.files:.2f} s more per file)")
        print(f"s3_drop, nothing new (a poll):     {again:6.1f} s")
    finally:
        moto.terminate()


if __name__ == "__main__":
    main()
