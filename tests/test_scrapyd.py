"""The project deployed to a real Scrapyd: deploy, scheduled runs into PostgreSQL, exports, auth."""

from __future__ import annotations

import csv
import json
import subprocess
import urllib.error
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.fixtures.scrapyd import BIN, PASSWORD, USERNAME, deploy_env, project_copy, scrapyd_deploy

pytestmark = pytest.mark.slow

FEEDS_DIR = Path(__file__).resolve().parents[1] / "feeds"


def feed_item_count(name: str) -> int:
    return (FEEDS_DIR / name).read_text().count("<item>")


def test_scrapyd_deploy_local_builds_and_uploads_the_egg(scrapyd, tmp_path):
    node = scrapyd(deploy=False)
    project_dir = project_copy(tmp_path / "project", node.url)
    result = scrapyd_deploy(project_dir, "local", "-v", "r1")
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok" and answer["project"] == "ornaments", answer
    spiders = node.get("listspiders.json?project=ornaments")["spiders"]
    assert {"google_merchant", "bestseller", "products_csv"} <= set(spiders) and answer["spiders"] == len(spiders)
    assert node.get("listversions.json?project=ornaments")["versions"] == ["r1"]
    # Eggs survive a restart of the node.
    node.stop()
    node.start()
    assert node.get("listprojects.json")["projects"] == ["ornaments"]


@pytest.mark.parametrize("export", ["jsonlines", "csv"])
def test_scheduled_feed_spider_stores_products_and_keeps_project_feeds(scrapyd, pg_url, export):
    extension = {"jsonlines": "jsonl", "csv": "csv"}[export]
    node = scrapyd(env={"DATABASE_URL": pg_url,  # from the node's environment, as in production
                        "ORNAMENTS_EXPORT_URI": f"exports/%(name)s/%(time)s.{extension}",
                        "ORNAMENTS_EXPORT_FORMAT": export})
    # No feed argument: the spider reads the sample feed shipped inside the egg.
    job_id = node.schedule("google_merchant")
    job = node.wait_for_job(job_id)
    log = node.job_log(job_id, "google_merchant")
    assert "ERROR" not in log, log[-4000:]
    assert "reading the copy shipped with the project" in log
    expected = feed_item_count("google_merchant.xml")
    assert expected > 0

    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        products = conn.execute(sa.text("SELECT count(*) FROM products WHERE vendor = 'google_merchant'")).scalar()
        runs = conn.execute(sa.text("SELECT status, items_new FROM sync_runs")).all()
    engine.dispose()
    assert products == expected
    assert runs == [("finished", expected)]

    # The project's own FEEDS wrote the export in the node's working dir; Scrapyd wrote no items file.
    exports = list((node.workdir / "exports" / "google_merchant").glob(f"*.{extension}"))
    assert len(exports) == 1, exports
    text = exports[0].read_text()
    if export == "csv":
        rows = list(csv.DictReader(text.splitlines()))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == expected and all(row["vendor"] == "google_merchant" for row in rows)
    assert job.get("items_url") is None
    assert not (node.workdir / "items").exists()


def test_wrong_credentials_are_refused(scrapyd, tmp_path):
    node = scrapyd()
    for auth in [(USERNAME, "wrong"), ("intruder", PASSWORD)]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            node.get("daemonstatus.json", auth=auth)
        assert refused.value.code == 401
        with pytest.raises(urllib.error.HTTPError) as refused:
            node._request("schedule.json", [("project", "ornaments"), ("spider", "google_merchant")], auth=auth)
        assert refused.value.code == 401
    # scrapyd-deploy with a wrong password (through ${SCRAPYD_PASSWORD}) is refused too.
    project_dir = project_copy(tmp_path / "project", node.url)
    result = scrapyd_deploy(project_dir, "local", "-v", "r2", env=deploy_env(password="wrong"))
    assert result.returncode != 0 and "401" in result.stdout + result.stderr, result.stdout + result.stderr
    assert node.get("listversions.json?project=ornaments")["versions"] == ["r1"]
    assert node.get("daemonstatus.json")["pending"] == 0


def test_scrapyd_client_schedule_by_hand_and_read_the_log(scrapyd, pg_url, tmp_path):
    node = scrapyd(env={"DATABASE_URL": pg_url})
    project_dir = project_copy(tmp_path / "project", node.url)
    result = subprocess.run([str(BIN / "scrapyd-client"), "schedule", "-t", "local", "-p", "ornaments",
                             "--arg", "setting=DOWNLOAD_TIMEOUT=33", "--arg", "year=2020", "bestseller"],
                            cwd=project_dir, env=deploy_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    pending_or_running = node.jobs()
    jobs = pending_or_running["pending"] + pending_or_running["running"] + pending_or_running["finished"]
    assert len(jobs) == 1 and jobs[0]["spider"] == "bestseller"
    node.wait_for_job(jobs[0]["id"])
    log = node.get_text(f"logs/ornaments/bestseller/{jobs[0]['id']}.log")
    # The crawl command parses a number setting given with -s into the number it is (ornaments.env).
    assert "'DOWNLOAD_TIMEOUT': 33" in log
    assert "Sync of bestseller" in log


def test_the_egg_carries_its_data_files_and_reads_them_without_the_checkout(scrapyd_project, tmp_path):
    _project_dir, egg = scrapyd_project
    code = ("import ornaments, ornaments.resources as r; from ornaments.scheduling.schedule import load_schedule;"
            "print(ornaments.__file__); print(len(load_schedule())); print(r.packaged_feed('products.csv').read_text())")
    result = subprocess.run([str(BIN / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**deploy_env(), "PYTHONPATH": str(egg)}, timeout=60)
    assert result.returncode == 0, result.stderr
    module_file, entries, feed = result.stdout.split("\n", 2)
    assert module_file.startswith(str(egg))  # imported from the zipped egg, not the checkout
    assert int(entries) >= 1
    assert feed.strip() == (FEEDS_DIR / "products.csv").read_text().strip()
    # The pages' templates come from the egg too (jinja2.PackageLoader reads the zip), escaping as they should.
    code = ("import ornaments.api.templating as t; print(t.__file__);"
            "print(' '.join(sorted(t.environment.list_templates())));"
            "print(t.render('not_found.html', signed=False, csrf_field='f', csrf_token='t', detail='<gone>'))")
    result = subprocess.run([str(BIN / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**deploy_env(), "PYTHONPATH": str(egg)}, timeout=60)
    assert result.returncode == 0, result.stderr
    module_file, templates, html = result.stdout.split("\n", 2)
    assert module_file.startswith(str(egg))
    assert {"base.html", "runs/run.html", "products/product.html"} <= set(templates.split())
    assert "<p>&lt;gone&gt;</p>" in html and "<title>Not found · ornaments</title>" in html
