"""A wrong spider name or -a value typed by a person: one line naming the problem, exit 2, no traceback."""

from __future__ import annotations

import pytest

from ornaments.env import USAGE_EXIT
from tests.fixtures.crawl import CrawlResult, run_scrapy, scrapy_env


def assert_one_line(result: CrawlResult, *says: str, alone: bool = True) -> None:
    assert result.returncode == USAGE_EXIT, result
    assert "Traceback" not in result.log and "Task exception" not in result.log, result
    lines = [line for line in result.log.splitlines() if line.startswith("scrapy crawl: ")]
    assert len(lines) == 1, result
    for text in says:
        assert text in lines[0], result
    if alone:  # said before Scrapy starts: no log of a crawl that never was
        assert result.log.strip() == lines[0], result


def test_an_unknown_spider_gets_one_line_with_the_spiders(sqlite_crawl):
    result = sqlite_crawl("google_merchnat")
    assert_one_line(result, "no spider named 'google_merchnat'", "google_merchant", "products_csv", "shopify")


@pytest.mark.parametrize("argument, says", [
    ("year=abc", "-a year must be a year such as 2020, not 'abc'"),
    ("year=1800", "-a year must be between"),
    ("year= 20 20", "-a year must be a year"),
    ("currency=euros", "-a currency must be an ISO 4217 code"),
    ("base_url=ftp://feeds.example", "-a base_url must be an http:// or https:// address"),
    # read as a file named "s3:" under feeds/ before: FileNotFoundError for feeds/s3:/bucket/feed.xml
    ("feed=s3://bucket/feed.xml", "-a feed must be a path, a file:// or an http(s):// address"),
    ("feed=ftp://partner.example/feed.xml", "-a feed must be a path, a file:// or an http(s):// address"),
])
def test_a_wrong_value_for_a_feed_spider_is_its_message_alone(sqlite_crawl, argument, says):
    assert_one_line(sqlite_crawl("google_merchant", "-a", argument), says)


def test_a_misspelt_argument_is_refused_not_ignored(sqlite_crawl, sqlite_url):
    # Ignored, `-a yaer=2020` would sync the whole catalog and remove what it did not see.
    result = sqlite_crawl("google_merchant", "-a", "yaer=2020")
    assert_one_line(result, "google_merchant takes no -a yaer", "-a year", "-a feed")
    result = sqlite_crawl("shopify", "-a", "colection=ornaments")
    assert_one_line(result, "shopify takes no -a colection", "-a collection")


def test_wrong_values_for_shop_spiders_are_their_messages_alone(sqlite_crawl):
    assert_one_line(sqlite_crawl("shopify", "-a", "url=shop.example/products/ball"),
                    "-a url must be an http:// or https:// address, not 'shop.example/products/ball'")
    assert_one_line(sqlite_crawl("hookedonhallmark", "-a", "source=everything"), "-a source must be one of")
    assert_one_line(sqlite_crawl("products_csv", "-a", "columns=name"), "-a columns takes our_field:Their Header")


def test_a_value_found_wrong_once_the_crawl_began_is_one_line_too(sqlite_crawl, sqlite_url):
    # Only get_by_url can tell that this URL names no product: the run reads nothing and removes nothing.
    result = sqlite_crawl("woocommerce", "-a", "url=http://127.0.0.1:9/")
    assert_one_line(result, "-a url must be a product page such as", alone=False)
    assert "ended incomplete" in result.log  # recorded as a run that saw nothing, so it removed nothing


@pytest.mark.parametrize("spider, url", [("products_csv", "https://www.ornament-outlet.example/p/NOSUCH"),
                                         ("google_merchant", "QXZ-typo")])
def test_a_feed_product_that_is_not_in_the_feed_is_one_line_and_exit_2(sqlite_crawl, spider, url):
    """It was an ERROR line among the crawl's log and exit 0 (partial), as if the product had been synced."""
    result = sqlite_crawl(spider, "-a", f"url={url}")
    assert_one_line(result, f"-a url: no product with url or id {url!r} in the feed", alone=False)
    assert "ended incomplete" in result.log


@pytest.mark.parametrize("setting, says", [
    ("ORNAMENTS_BATCH_SIZE=x", "ORNAMENTS_BATCH_SIZE must be a whole number, not 'x'"),
    ("ORNAMENTS_STORAGE_PROCESS=maybe", "ORNAMENTS_STORAGE_PROCESS must be yes or no"),
    ("ORNAMENTS_MAX_REMOVAL_SHARE=a fifth", "ORNAMENTS_MAX_REMOVAL_SHARE must be a number"),
])
def test_a_wrong_setting_value_is_one_line_before_the_crawl(sqlite_crawl, setting, says):
    assert_one_line(sqlite_crawl("google_merchant", "-s", setting), says)


@pytest.mark.parametrize("setting, says", [
    ("ORNAMENTS_REMOVAL_WINDOW_RUNS=abc", "ORNAMENTS_REMOVAL_WINDOW_RUNS must be a whole number, not 'abc'"),
    ("ORNAMENTS_DNS_FAILURES_PER_HOST=-1", "ORNAMENTS_DNS_FAILURES_PER_HOST must be 0 or more"),
    ('ORNAMENTS_COVERAGE_MIN={"colour": 0.9}', "ORNAMENTS_COVERAGE_MIN names unknown fields ['colour']"),
    # 20 meant as 20% let a run remove everything; a negative share held back every removal
    ("ORNAMENTS_MAX_REMOVAL_SHARE=20", "ORNAMENTS_MAX_REMOVAL_SHARE is a share from 0 to 1 (0.2 is 20%)"),
    ("ORNAMENTS_MIN_SEEN_RATIO=50", "ORNAMENTS_MIN_SEEN_RATIO is a share from 0 to 1"),
    ("ORNAMENTS_MAX_DROP_SHARE=-0.1", "ORNAMENTS_MAX_DROP_SHARE must be 0 or more"),
])
def test_a_setting_a_component_refuses_is_one_line_too(sqlite_crawl, setting, says):
    # Checked by the component's Config.from_settings once the crawl starts: still one line, exit 2.
    assert_one_line(sqlite_crawl("google_merchant", "-s", setting), says, alone=False)


def test_a_yes_or_no_setting_reads_yes_and_no_words(sqlite_crawl):
    result = sqlite_crawl("google_merchant", "-a", "year=2020", "-s", "ORNAMENTS_STORAGE_PROCESS=no")
    assert result.returncode == 0, result
    assert "ended finished" in result.log, result


@pytest.mark.parametrize("variable, says", [
    ("ORNAMENTS_DB_START_WAIT=half a minute", "ornaments: ORNAMENTS_DB_START_WAIT must be a number"),
    ("ORNAMENTS_GC_FREEZE=maybe", "ornaments: ORNAMENTS_GC_FREEZE must be yes or no"),
    ("ORNAMENTS_COVERAGE_MIN={price: 0.9}", "ornaments: ORNAMENTS_COVERAGE_MIN must be JSON"),
    # read as text by settings.py and parsed by the removal guard's config once a crawl began (issue 22)
    ("ORNAMENTS_REMOVAL_WINDOW_RUNS=ten", "ornaments: ORNAMENTS_REMOVAL_WINDOW_RUNS must be a whole number, not 'ten'"),
    ("ORNAMENTS_REMOVAL_WINDOW_DAYS=-1", "ornaments: ORNAMENTS_REMOVAL_WINDOW_DAYS must be 0 or more"),
])
def test_a_wrong_environment_value_is_one_line_for_every_command(sqlite_url, variable, says):
    name, _, value = variable.partition("=")
    for command in (("list",), ("crawl", "google_merchant"), ("runs",)):
        result = run_scrapy(*command, env=scrapy_env(DATABASE_URL=sqlite_url, **{name: value}))
        assert result.returncode == USAGE_EXIT, result
        assert "Traceback" not in result.log, result
        assert len(result.log.strip().splitlines()) == 1 and result.log.startswith(says), result


def test_a_wrong_setting_given_to_a_command_other_than_crawl_is_one_line(sqlite_url):
    """Components parse -s values as settings.py parses the environment (ornaments.env.setting_*): `scrapy api
    -s ORNAMENTS_API_SECURE_COOKIES=no` was Scrapy's getbool ValueError traceback (it reads only 1/0/true/false)."""
    env = scrapy_env(DATABASE_URL=sqlite_url)
    for command, says in ((("runs", "-s", "ORNAMENTS_ABANDONED_AFTER_HOURS=soon"),
                           "scrapy runs: ORNAMENTS_ABANDONED_AFTER_HOURS must be a number, not 'soon'"),
                          (("api", "-s", "ORNAMENTS_API_SECURE_COOKIES=maybe"),
                           "scrapy api: ORNAMENTS_API_SECURE_COOKIES must be yes or no")):
        result = run_scrapy(*command, env=env, timeout=60)
        assert result.returncode == USAGE_EXIT and "Traceback" not in result.log, (command, result)
        assert result.log.strip().startswith(says) and len(result.log.strip().splitlines()) == 1, (command, result)


def test_a_wrong_name_or_number_given_to_a_command_is_one_line(sqlite_url):
    """Each was Scrapy's 'Usage / ===== / scrapy runs ...' block and then 'scrapy: error: ...'."""
    env = scrapy_env(DATABASE_URL=sqlite_url)
    assert run_scrapy("db", "upgrade", env=env).returncode == 0
    for command, says in ((("runs", "--apply-removals", "99999"), "scrapy runs: Not applied: there is no run 99999."),
                          (("runs", "--vendor", "nosuch"), "scrapy runs: No sync run of vendor 'nosuch'"),
                          (("changes", "--vendor", "nosuch"), "scrapy changes: No sync run of vendor 'nosuch'"),
                          (("changes", "--run", "77"), "scrapy changes: No sync run 77."),
                          (("apikeys", "revoke", "nosuch"), "scrapy apikeys: No live API key named 'nosuch'"),
                          (("webhooks", "remove", "999"), "scrapy webhooks: No webhook endpoint 999.")):
        result = run_scrapy(*command, env=env)
        assert result.returncode == USAGE_EXIT, (command, result)
        assert result.log.strip().startswith(says) and len(result.log.strip().splitlines()) == 1, (command, result)


def test_a_database_without_the_tables_is_one_line_naming_db_upgrade(database_url):
    """A new database before `scrapy db upgrade`: `scrapy runs` and `changes` showed a traceback."""
    url = database_url  # empty, on both backends
    for command in (("runs",), ("runs", "--apply-removals", "3"), ("changes",), ("changes", "--since", "0")):
        result = run_scrapy(*command, env=scrapy_env(DATABASE_URL=url))
        assert result.returncode == 5 and "Traceback" not in result.log, (command, result)
        lines = result.log.strip().splitlines()
        assert len(lines) == 1 and "scrapy db upgrade" in lines[0], (command, result)


def test_a_port_out_of_range_or_no_upload_size_for_the_api_is_one_line(sqlite_url):
    """`scrapy api --port 99999` was the socket's OverflowError traceback; an upload limit of 0 MB made
    every upload '413 too large'."""
    for args, env, says in ((("--port", "99999"), {}, "scrapy api: argument --port: a port must be 1 to 65,535, not 99999"),
                            ((), {"ORNAMENTS_API_PORT": "-1"}, "scrapy api: the API's port"),
                            ((), {"ORNAMENTS_API_MAX_UPLOAD_MB": "0"}, "scrapy api: ORNAMENTS_API_MAX_UPLOAD_MB must be more than 0"),
                            ((), {"ORNAMENTS_API_IMPORT_LAUNCHER": "ornaments.nowhere.start"},
                             "scrapy api: ORNAMENTS_API_IMPORT_LAUNCHER must name a function")):
        result = run_scrapy("api", *args, env=scrapy_env(DATABASE_URL=sqlite_url, **env), timeout=60)
        assert result.returncode == USAGE_EXIT and "Traceback" not in result.log, result
        assert result.log.strip().startswith(says) and len(result.log.strip().splitlines()) == 1, result


def test_numbers_too_large_for_the_database_and_unwritable_outputs_are_one_line(pg_url, tmp_path):
    """`scrapy runs --limit 10**23` was PostgreSQL's 'integer out of range' traceback, and `scrapy changes
    --since 0 --output` to a folder (or an S3 bucket without credentials) a traceback from the writer."""
    env = scrapy_env(DATABASE_URL=pg_url)
    assert run_scrapy("db", "upgrade", env=env).returncode == 0
    huge = "1" + "0" * 23
    for command in (("runs", "--limit", huge), ("runs", "--apply-removals", huge), ("changes", "--run", huge),
                    ("feedfiles", "--retry", huge)):
        result = run_scrapy(*command, env=env)
        assert result.returncode == USAGE_EXIT and "Traceback" not in result.log, (command, result)
        assert result.log.strip().splitlines()[-1].endswith(f"not {huge}"), (command, result)
    result = run_scrapy("changes", "--since", "0", "--output", str(tmp_path), env=env)
    assert result.returncode == 1 and "Traceback" not in result.log, result
    assert result.log.strip() == (f"scrapy changes: cannot write the events to {tmp_path}: IsADirectoryError: "
                                  f"[Errno 21] Is a directory: '{tmp_path}'"), result


@pytest.mark.parametrize("spider, argument", [("products_csv", "feed"), ("google_merchant", "year"),
                                              ("products_csv", "vendor"), ("shopify", "base_url")])
def test_an_empty_argument_is_refused_not_read_as_not_given(sqlite_crawl, spider, argument):
    """`-a feed=$FEED` with FEED unset synced the default feed (and removed what it lacked); `-a year=`
    synced every year."""
    assert_one_line(sqlite_crawl(spider, "-a", f"{argument}="), f"-a {argument} is empty")
