"""A feed that is not text says what it looks like (never its bytes); a feed URL answering 404 says "HTTP 404".

End to end: `scrapy crawl` in a subprocess against files and a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
import sqlalchemy as sa
from PIL import Image

from ornaments.feed_sniff import binary_kind
from tests.fixtures.crawl import PROJECT_ROOT, CrawlResult
from tests.helpers import refused_port

FEED_TOKEN = "s3cr3t-feed-token-77"


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def assert_not_text(result: CrawlResult, kind: str, *bytes_shown: str) -> None:
    assert result.returncode == 4, result  # incomplete: nothing read, nothing removed
    assert f"not a text feed (it looks like {kind})" in result.log, result
    assert "Traceback" not in result.log, result
    for shown in bytes_shown:  # never the file's bytes, as a bytes literal or decoded
        assert shown not in result.log, (shown, result)


def test_a_jpeg_served_as_an_xml_feed_says_so(sqlite_crawl, serve_directory, tmp_path):
    jpeg = image_bytes("JPEG")
    (tmp_path / "feed.xml").write_bytes(jpeg)
    server = serve_directory(tmp_path)
    result = sqlite_crawl("google_merchant", "-a", f"feed={server.url}/feed.xml")
    assert_not_text(result, "a JPEG image", "\\xff\\xd8", "JFIF")


def test_a_workbook_or_pdf_given_as_a_csv_feed_says_so(sqlite_crawl, tmp_path):
    workbook = xlsx_bytes()
    (tmp_path / "products.csv").write_bytes(workbook)
    result = sqlite_crawl("products_csv", "-a", f"feed={tmp_path / 'products.csv'}")
    assert_not_text(result, "an Excel workbook (.xlsx, a ZIP archive)", "PK\\x03", "Content_Types", "workbook.xml")
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    (tmp_path / "prices.csv").write_bytes(pdf)
    result = sqlite_crawl("products_csv", "-a", f"feed={tmp_path / 'prices.csv'}")
    assert_not_text(result, "a PDF document", "%PDF-1.7", "Catalog", "\\xe2")


@pytest.mark.parametrize("raw, kind", [
    (image_bytes("PNG"), "a PNG image"),
    (image_bytes("GIF"), "a GIF image"),
    (image_bytes("WEBP"), "a WebP image"),
    (image_bytes("BMP"), "a BMP image"),
    (image_bytes("TIFF"), "a TIFF image"),
    (gzip.compress(b"<rss><channel/></rss>", mtime=0), "a gzip-compressed file"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00feed.xml", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00", "an old Microsoft Office file (.xls or .doc)"),
    (b"SQLite format 3\x00\x10\x00\x01\x01", "an SQLite database"),
    (bytes(range(256)) * 2, "binary data"),
])
def test_binary_files_are_named_by_their_first_bytes(raw, kind):
    assert binary_kind(raw[:512]) == kind


@pytest.mark.parametrize("text", [
    '<?xml version="1.0" encoding="UTF-8"?><rss><channel><item><g:id>1</g:id></item></channel></rss>'.encode(),
    "\ufeffsku;name\n1;Kugel\n".encode("utf-8"),
    "sku;name\n1;Glaskugel rot, Ø 8 cm\n".encode("latin-1"),
    '<?xml version="1.0" encoding="UTF-16"?><rss/>'.encode("utf-16"),  # with a BOM
    '<?xml version="1.0" encoding="UTF-16LE"?><rss/>'.encode("utf-16-le"),  # without one
    b"sku\tname\r\n1\tBall\r\n",
    b"",
])
def test_text_feeds_in_any_encoding_pass(text):
    assert binary_kind(text[:512]) is None


def test_a_feed_url_answering_404_says_http_404(sqlite_crawl, serve_directory, tmp_path):
    server = serve_directory(tmp_path)  # an empty folder: every feed is missing
    result = sqlite_crawl("google_merchant", "-a", f"feed={server.url}/gone/feed.xml?token={FEED_TOKEN}")
    assert result.returncode == 4, result
    errors = [line for line in result.log.splitlines() if "Could not read the feed" in line]
    assert len(errors) == 1 and "HTTP 404" in errors[0], result
    assert f"{server.url}/gone/feed.xml?token=***" in errors[0]
    assert FEED_TOKEN not in result.log and "Traceback" not in result.log, result


def test_a_feed_host_that_is_down_is_said_in_lines_without_a_traceback(sqlite_crawl):
    with refused_port() as port:
        result = sqlite_crawl("google_merchant", "-a", f"feed=http://127.0.0.1:{port}/feed.xml", "-s", "RETRY_TIMES=0")
    assert result.returncode == 4, result
    errors = [line for line in result.log.splitlines() if "Could not read the feed" in line]
    assert len(errors) == 1 and "Connection was refused" in errors[0], result
    assert "Traceback" not in result.log, result


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])  # with a BOM, without one, 4-byte
def test_a_csv_feed_in_utf16_or_utf32_is_read_as_text(sqlite_crawl, sqlite_url, tmp_path, codec):
    """The sniffer lets UTF-16 through as text; the CSV reader read it as UTF-8, so every value held NULs
    (prices '2 9 . 9 9' refused) and the run ended incomplete. Excel's "Unicode text" is UTF-16."""
    text = (PROJECT_ROOT / "feeds" / "products.csv").read_text("utf-8")
    (tmp_path / "products.csv").write_bytes(text.encode(codec))
    result = sqlite_crawl("products_csv", "-a", f"feed={tmp_path / 'products.csv'}")
    assert result.returncode == 0, result
    assert "bad_price" not in result.log and "Traceback" not in result.log, result
    with sa.create_engine(sqlite_url).connect() as db:
        names = set(db.execute(sa.text("SELECT name FROM products")).scalars())
    assert "Peanuts® Snoopy and Woodstock 2020" in names, names


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-32-be"])  # no byte order mark, characters beyond Latin-1
def test_an_xml_feed_in_utf16_without_a_bom_is_read_as_text(sqlite_crawl, tmp_path, codec):
    """It was 'not a text feed (binary data)' once one character had a high byte (— or €), and the XML
    reader followed only a byte order mark."""
    text = (PROJECT_ROOT / "feeds" / "google_merchant.xml").read_text("utf-8")
    text = text.replace("</title>", " — 5 €</title>", 1)
    (tmp_path / "feed.xml").write_bytes(text.encode(codec))
    result = sqlite_crawl("google_merchant", "-a", f"feed={tmp_path / 'feed.xml'}")
    assert result.returncode == 0, result
    assert "Sync of google_merchant (run 1) ended finished: 5 new" in result.log, result


def test_a_missing_local_feed_or_a_directory_is_said_at_once_without_retries(sqlite_crawl, tmp_path):
    """A local file that is not there stays so: it was retried 4 times with backoff ('Gave up retrying')."""
    for path, reason in ((tmp_path / "no" / "such.csv", "No such file or directory"), (tmp_path, "Is a directory")):
        result = sqlite_crawl("products_csv", "-a", f"feed={path}")
        assert result.returncode == 4, result
        errors = [line for line in result.log.splitlines() if "Could not read the feed" in line]
        assert len(errors) == 1 and reason in errors[0], result
        assert "retrying" not in result.log.lower() and "Traceback" not in result.log, result


def test_a_relative_feed_path_is_read_from_the_working_directory(sqlite_crawl):
    """`-a feed=feeds/google_merchant.xml` typed in the project was looked for as feeds/feeds/...; a bare
    name still means a file of ORNAMENTS_FEEDS_DIR."""
    for feed in ("feeds/google_merchant.xml", "google_merchant.xml"):
        result = sqlite_crawl("google_merchant", "-a", f"feed={feed}")
        assert result.returncode == 0, result
        assert "feeds/feeds" not in result.log and "ended finished" in result.log, result
