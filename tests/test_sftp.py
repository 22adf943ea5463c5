"""sFTP upload against a real OpenSSH server (tests/fixtures/sshd.py), real HTTP and real databases."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ornaments.pipelines.images import full_path, thumb_path_for
from ornaments.retry import RetryPolicy
from ornaments.storage.images import ImageRecords
from ornaments.storage.schema import products
from ornaments.uploads import SftpConfig, UnsafePath, remote_path
from ornaments.uploads.run import ImageFile, ImageUploader
from tests.fixtures.crawl import run_scrapy, scrapy_env
from tests.fixtures.image_site import make_image
from tests.helpers import latest_run, project_settings, run_stat

VENDOR = "products_csv"
FAST_RETRY = RetryPolicy(attempts=8, backoff=0.1, max_backoff=0.5)


def config_for(sshd, **overrides) -> SftpConfig:
    config = SftpConfig.from_settings(project_settings(**sshd.env()))
    values = {**vars(config), "retry": FAST_RETRY, "timeout": 5.0, **overrides}
    return SftpConfig(**values)


def make_files(root: Path, count: int, size: int = 50_000, seed: int = 0) -> list[ImageFile]:
    files = []
    for number in range(count):
        relative = f"{VENDOR}/full/{seed:02d}{number:05d}.jpg"
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(os.urandom(size))
        files.append(ImageFile(VENDOR, f"P{number}", relative, f"http://shop.invalid/{number}.jpg"))
    return files


def upload(config: SftpConfig, url: str, root: Path, files: list[ImageFile]):
    records = ImageRecords(url)
    records.create_table()
    uploader = ImageUploader(config, records, root)
    uploader.start()
    for file in files:
        uploader.submit(file)
    stats = uploader.finish()
    rows = records.rows()
    records.close()
    return stats, rows


def local_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- the upload run, without Scrapy -------------------------------------------------------------------

def test_uploads_land_and_a_rerun_uploads_nothing(sshd, tmp_path, database_url):
    root = tmp_path / "images"
    files = make_files(root, 30)
    stats, rows = upload(config_for(sshd), database_url, root, files)
    assert sshd.remote_files() == local_files(root)
    assert (stats.uploaded, stats.failed, stats.uploaded_bytes) == (30, 0, 30 * 50_000)
    assert {r.status for r in rows} == {"uploaded"} and len(rows) == 30
    again, _ = upload(config_for(sshd), database_url, root, files)
    assert (again.uploaded, again.uploaded_bytes, again.unchanged) == (0, 0, 30)


def test_a_changed_file_replaces_the_old_one(sshd, tmp_path, sqlite_url):
    root = tmp_path / "images"
    files = make_files(root, 3)
    upload(config_for(sshd), sqlite_url, root, files)
    (root / files[1].path).write_bytes(b"new version" * 1000)
    stats, rows = upload(config_for(sshd), sqlite_url, root, files)
    assert (stats.uploaded, stats.unchanged) == (1, 2)
    assert sshd.remote_files()[files[1].path] == b"new version" * 1000
    assert sshd.remote_files() == local_files(root)
    assert {r.size for r in rows if r.path == files[1].path} == {11000}


def test_server_restarted_mid_run_every_file_lands_and_no_partial_file_remains(sshd, tmp_path, sqlite_url):
    root = tmp_path / "images"
    files = make_files(root, 200)
    records = ImageRecords(sqlite_url)
    records.create_table()
    uploader = ImageUploader(config_for(sshd), records, root)
    uploader.start()
    for file in files:
        uploader.submit(file)
    deadline = time.monotonic() + 30
    while uploader.stats.uploaded < 20 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert uploader.stats.uploaded < 200, "the run ended before the outage; make it longer"
    sshd.stop()  # the listener and every open session: uploads in flight break off
    time.sleep(0.6)
    sshd.start()
    stats = uploader.finish()
    assert stats.failed == 0 and stats.uploaded == 200
    assert stats.reconnects >= 1 and stats.retries >= 1
    assert sshd.remote_files() == local_files(root)  # every file, correct bytes, and nothing else
    assert not [p for p in sshd.remote_dir.rglob("*") if p.name.endswith(".part")]
    assert {r.status for r in records.rows()} == {"uploaded"}


def test_server_gone_for_good_records_failures_quickly_and_the_next_run_uploads(sshd, tmp_path, sqlite_url):
    root = tmp_path / "images"
    files = make_files(root, 40)
    sshd.stop()
    started = time.monotonic()
    stats, rows = upload(config_for(sshd, retry=RetryPolicy(attempts=3, backoff=0.1)), sqlite_url, root, files)
    assert time.monotonic() - started < 10  # one bounded retry series, not one per file
    assert (stats.uploaded, stats.failed) == (0, 40) and "unreachable" in stats.stopped
    assert {r.status for r in rows} == {"failed"} and all(r.last_error for r in rows)
    sshd.start()
    stats, rows = upload(config_for(sshd), sqlite_url, root, files)
    assert (stats.uploaded, stats.failed) == (40, 0)
    assert {r.status for r in rows} == {"uploaded"} and sshd.remote_files() == local_files(root)


@pytest.mark.parametrize("which", ["wrong", "unknown"])
def test_wrong_or_unknown_host_key_is_refused_and_nothing_uploaded(sshd, tmp_path, sqlite_url, which, caplog):
    known_hosts = sshd.wrong_known_hosts if which == "wrong" else sshd.empty_known_hosts
    before = known_hosts.read_text()
    root = tmp_path / "images"
    files = make_files(root, 5)
    stats, rows = upload(config_for(sshd, known_hosts=str(known_hosts)), sqlite_url, root, files)
    assert sshd.remote_files() == {}
    assert (stats.uploaded, stats.failed, stats.retries) == (0, 5, 0)  # refused at once, never retried
    expected = "does NOT match SFTP_KNOWN_HOSTS" if which == "wrong" else "is not in SFTP_KNOWN_HOSTS"
    assert expected in stats.stopped
    assert any(expected in r.message and r.levelname == "ERROR" for r in caplog.records)
    assert {r.status for r in rows} == {"failed"}
    assert known_hosts.read_text() == before  # nothing was ever added to known_hosts


def test_unsafe_paths_cannot_escape_the_remote_dir(sshd, tmp_path, sqlite_url):
    root = tmp_path / "images"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.jpg").write_bytes(b"fine")
    (tmp_path / "escape.jpg").write_bytes(b"evil")  # what ../escape.jpg would read locally
    bad = ["../escape.jpg", "sub/../../escape.jpg", "/etc/escape.jpg", str(tmp_path / "escape.jpg"),
           "sub//ok.jpg", "sub/./ok.jpg", "sub\\..\\x.jpg", ".hidden.jpg", "", "a/" * 20 + "x.jpg"]
    for path in bad:
        with pytest.raises(UnsafePath):
            remote_path(str(sshd.remote_dir), path)
    files = [ImageFile(VENDOR, "P1", p) for p in bad] + [ImageFile(VENDOR, "P1", "sub/ok.jpg")]
    stats, rows = upload(config_for(sshd), sqlite_url, root, files)
    assert stats.refused_paths == len(bad) and stats.uploaded == 1
    assert sshd.remote_files() == {"sub/ok.jpg": b"fine"}
    assert not list(sshd.root.glob("escape.jpg")) and not Path("/etc/escape.jpg").exists()
    assert [r.path for r in rows] == ["sub/ok.jpg"]


def test_secrets_never_in_config_repr_logs_or_errors(sshd, tmp_path, sqlite_url, caplog):
    secret_dir = tmp_path / "KEYPATH-MARKER-7f3a"
    secret_dir.mkdir()
    stranger = secret_dir / "id_ed25519"
    shutil.copy(sshd.root / "otherkey_ed25519", stranger)  # a key the server does not accept
    root = tmp_path / "images"
    files = make_files(root, 2)
    caplog.set_level("DEBUG")
    config = config_for(sshd, key_file=str(stranger), password="PW-MARKER-91c2e")
    stats, rows = upload(config, sqlite_url, root, files)
    assert "refused the credentials" in stats.stopped and stats.uploaded == 0
    missing = config_for(sshd, key_file=str(secret_dir / "missing_key"), password="PW-MARKER-91c2e")
    stats2, _ = upload(missing, sqlite_url, root, files)
    assert "SFTP_KEY_FILE cannot be read" in stats2.stopped
    text = "\n".join([caplog.text, repr(config), repr(missing), json.dumps(stats.as_stats()),
                      stats.stopped, stats2.stopped, *[str(r.last_error) for r in rows]])
    assert "KEYPATH-MARKER" not in text and "PW-MARKER" not in text


# --- end to end: scrapy crawl with images and upload ------------------------------------------------------

def crawl_env(sshd, site, tmp_path, database_url, **extra) -> dict[str, str]:
    values = {"DATABASE_URL": database_url, "IMAGES_STORE": str(tmp_path / "images"), "SFTP_BACKOFF": "0.1",
              "SFTP_MAX_BACKOFF": "0.3", "SFTP_TIMEOUT": "5", "ORNAMENTS_DB_BACKOFF": "0.05"}
    values.update(sshd.env())
    values.update(extra)
    return scrapy_env(**values)


def crawl(site, env):
    result = run_scrapy("crawl", "products_csv", "-a", f"feed={site.feed}", "-s", "DOWNLOAD_DELAY=0", env=env)
    assert result.returncode == 0, result
    return result


def expected_files(site) -> set[str]:
    good = [site.url(n) for n in ("angel.jpg", "bell.png", "star.jpg")]
    return {p for url in good for p in (full_path(VENDOR, url), thumb_path_for(full_path(VENDOR, url), "small"))}


def test_crawl_uploads_images_then_a_rerun_uploads_nothing(sshd, image_site, tmp_path, database_url):
    env = crawl_env(sshd, image_site, tmp_path, database_url)
    first = crawl(image_site, env)
    remote = sshd.remote_files()
    assert set(remote) == expected_files(image_site)
    assert remote == {k: v for k, v in local_files(tmp_path / "images").items() if k in remote}
    assert run_stat(database_url, "ornaments/sftp/uploaded") == 6
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(products)).scalar() == 4
    rows = ImageRecords(database_url).rows()
    # Bell's image is shared by two products: one file, two product rows.
    assert {(r.vendor_product_id, r.status) for r in rows} == {
        ("QX1001", "uploaded"), ("QX1002", "uploaded"), ("QX1003", "uploaded")}
    assert len(rows) == 8 and all(r.checksum and r.size for r in rows)
    mtimes = {p: (sshd.remote_dir / p).stat().st_mtime_ns for p in remote}
    second = crawl(image_site, env)
    assert run_stat(database_url, "ornaments/sftp/uploaded_bytes") == 0
    assert run_stat(database_url, "ornaments/sftp/unchanged") == 6
    assert {p: (sshd.remote_dir / p).stat().st_mtime_ns for p in remote} == mtimes
    engine.dispose()


def test_crawl_replaces_a_changed_image(sshd, image_site, tmp_path, sqlite_url):
    env = crawl_env(sshd, image_site, tmp_path, sqlite_url, IMAGES_EXPIRES="0")  # always re-download
    crawl(image_site, env)
    old = sshd.remote_files()
    image_site.replace("star.jpg", make_image(99))
    result = crawl(image_site, env)
    new = sshd.remote_files()
    star = full_path(VENDOR, image_site.url("star.jpg"))
    assert new[star] == (tmp_path / "images" / star).read_bytes() and old[star] != new[star]
    assert {p for p in new if new[p] != old[p]} == {star, thumb_path_for(star, "small")}
    assert run_stat(sqlite_url, "ornaments/sftp/uploaded") == 2


def test_crawl_with_sftp_down_stores_products_and_next_run_uploads(sshd, image_site, tmp_path, sqlite_url):
    sshd.stop()
    env = crawl_env(sshd, image_site, tmp_path, sqlite_url, SFTP_RETRIES="2")
    result = crawl(image_site, env)
    assert "sFTP uploads stopped for this run" in result.log
    assert run_stat(sqlite_url, "ornaments/products/new") == 4
    assert latest_run(sqlite_url).status == "finished"  # an outage is a warning
    assert {r.status for r in ImageRecords(sqlite_url).rows()} == {"failed"}
    sshd.start()
    result = crawl(image_site, env)
    assert run_stat(sqlite_url, "ornaments/sftp/uploaded") == 6
    assert set(sshd.remote_files()) == expected_files(image_site)
    assert {r.status for r in ImageRecords(sqlite_url).rows()} == {"uploaded"}


def test_crawl_with_a_changed_host_key_uploads_nothing_but_stores_products(sshd, image_site, tmp_path, sqlite_url):
    env = crawl_env(sshd, image_site, tmp_path, sqlite_url, SFTP_KNOWN_HOSTS=str(sshd.wrong_known_hosts))
    result = crawl(image_site, env)
    assert "does NOT match SFTP_KNOWN_HOSTS" in result.log
    assert sshd.remote_files() == {}
    assert run_stat(sqlite_url, "ornaments/products/new") == 4


def test_crawl_keeps_password_and_key_path_out_of_logs_stats_and_exports(sshd, image_site, tmp_path, sqlite_url):
    secret_dir = tmp_path / "KEYPATH-MARKER-7f3a"
    secret_dir.mkdir()
    shutil.copy(sshd.client_key, secret_dir / "id_ed25519")
    export = tmp_path / "export.jsonl"
    env = crawl_env(sshd, image_site, tmp_path, sqlite_url, SFTP_KEY_FILE=str(secret_dir / "id_ed25519"),
                    SFTP_PASSWORD="PW-MARKER-91c2e", ORNAMENTS_LOG_LEVEL="DEBUG",
                    ORNAMENTS_EXPORT_URI=str(export))
    result = crawl(image_site, env)
    assert run_stat(sqlite_url, "ornaments/sftp/uploaded") == 6  # the secrets were used...
    exported = export.read_text()
    assert len(exported.splitlines()) == 4 and '"images"' in exported
    for text in (result.log, exported):  # ...and never shown
        assert "KEYPATH-MARKER" not in text and "PW-MARKER" not in text


