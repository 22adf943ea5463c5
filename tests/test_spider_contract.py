"""Every spider in the project keeps the sync contract (kingfisher-collect style):
-a year, -a url and -a base_url, through get_by_year and get_by_url."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from ornaments.base_spiders.base import SyncSpider
from ornaments.base_spiders.shop import ShopSpider

LOADER = SpiderLoader.from_settings(get_project_settings())
# Drop folders process whole files, each exactly once: they refuse -a year / -a url (tests/test_s3_drop.py).
DROP_FOLDERS = {"s3_drop"}
SPIDERS = sorted(set(LOADER.list()) - DROP_FOLDERS)
MIRROR = "http://127.0.0.1:9"


def make(name: str, **arguments) -> SyncSpider:
    cls = LOADER.load(name)
    return cls.from_crawler(get_crawler(cls, get_project_settings().copy_to_dict()), **arguments)


def test_the_vendor_spiders_are_listed():
    assert {"hookedonhallmark", "ornament_shop", "hallmark_ornaments"} <= set(SPIDERS)


@pytest.mark.parametrize("name", SPIDERS)
def test_spider_is_a_sync_spider_with_its_own_year_and_url_modes(name):
    cls = LOADER.load(name)
    assert issubclass(cls, SyncSpider)
    assert cls.get_by_year is not SyncSpider.get_by_year
    assert cls.get_by_url is not SyncSpider.get_by_url
    assert cls.get_all is not SyncSpider.get_all


@pytest.mark.parametrize("name", SPIDERS)
def test_year_argument(name):
    spider = make(name, year="2020", base_url=MIRROR)
    assert (spider.year, spider.sync_mode) == (2020, "year")
    requests = list(spider.get_by_year(spider.year))
    assert requests and all(isinstance(r, Request) for r in requests)
    if isinstance(spider, ShopSpider):
        assert all(r.url.startswith(MIRROR + "/") for r in requests)
    with pytest.raises(UsageError):
        make(name, year="twenty")


@pytest.mark.parametrize("name", SPIDERS)
def test_url_argument(name):
    url = f"{MIRROR}/some-ornament.html"
    spider = make(name, url=url, base_url=MIRROR)  # an API spider (offers_api) asks its API about the url
    assert (spider.url, spider.sync_mode) == (url, "url")
    requests = list(spider.get_by_url(url))
    assert requests and all(isinstance(r, Request) for r in requests)
    if isinstance(spider, ShopSpider):
        assert [r.url for r in requests] == [url]


@pytest.mark.parametrize("name", SPIDERS)
def test_base_url_argument(name):
    spider = make(name, base_url=MIRROR + "/")
    assert spider.base_url == MIRROR
    assert spider.sync_arguments.get("base_url") == MIRROR
    assert make(name).base_url == type(spider).default_base_url.rstrip("/")
    if isinstance(spider, ShopSpider):
        assert [r.url.startswith(MIRROR + "/") for r in spider.get_all()] == [True]


@pytest.mark.parametrize("name", SPIDERS)
def test_only_one_scope_at_a_time(name):
    with pytest.raises(UsageError):
        make(name, year="2020", url=f"{MIRROR}/x")


@pytest.mark.parametrize("name", [n for n in SPIDERS if issubclass(LOADER.load(n), ShopSpider)])
def test_shop_spiders_are_polite_with_their_own_concurrency(name):
    settings = make(name).settings
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert "ornaments" in settings.get("USER_AGENT")
    assert settings.getpriority("CONCURRENT_REQUESTS_PER_DOMAIN") == 30  # set by the spider ("spider" priority)
    assert 1 <= settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4
    # Only hallmark_ornaments renders pages; the others keep Scrapy's own HTTP handler.
    handler = settings.getdict("DOWNLOAD_HANDLERS").get("http", "")
    assert ("scrapy_playwright" in handler) == (name == "hallmark_ornaments")
