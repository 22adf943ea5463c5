"""JsonApiSpider, the base of the JSON spiders: pagination, auth headers, bad pages (no reactor needed).

Whole crawls through it run in test_shopify.py, test_woocommerce.py and test_offers_api.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime

import pytest
from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from ornaments.base_spiders.api_auth import ApiAuthMiddleware
from ornaments.base_spiders.json_api import JsonApiSpider, next_link, with_params
from ornaments.middlewares import _retry_after


class Catalogue(JsonApiSpider):
    name = "catalogue_api"
    default_base_url = "https://api.example"
    default_currency = "EUR"
    records_path = "data"
    auth_env = "CATALOGUE_TOKEN"
    concurrency_per_host = 3

    def get_all(self):
        yield self.page_request(self.base_url + "/items")

    def parse_record(self, record, response, **_):
        yield self.product(vendor_product_id=str(record["id"]), name=record["name"], price=record.get("price"))


def make(cls=Catalogue, settings=None, **kwargs) -> JsonApiSpider:
    crawler = get_crawler(cls, {**get_project_settings().copy_to_dict(), **(settings or {})})
    crawler.spider = cls.from_crawler(crawler, **kwargs)
    return crawler.spider


def page(spider: JsonApiSpider, request: Request, document, headers=None) -> list:
    response = TextResponse(request.url, body=json.dumps(document).encode(), request=request, headers=headers or {})
    return list(spider.parse_page(response, **request.cb_kwargs))


def requests_of(outputs: list) -> list[str]:
    return [o.url for o in outputs if isinstance(o, Request)]


def test_page_numbers_until_an_empty_page_and_a_repeated_page_is_a_changed_api():
    spider = make()
    (first,) = spider.get_all()
    assert first.url == "https://api.example/items?page=1"
    outputs = page(spider, first, {"data": [{"id": 1, "name": "Star", "price": "2.50"}]})
    product = outputs[0]
    assert (product["vendor_product_id"], product["price"], product["currency"]) == ("1", Decimal("2.50"), "EUR")
    (second,) = [o for o in outputs if isinstance(o, Request)]
    assert second.url == "https://api.example/items?page=2"
    assert requests_of(page(spider, second, {"data": []})) == []  # an empty page ends the listing
    # An API that ignores ?page= serves page 1 again: stop, and say so (the run is suspect).
    repeated = page(spider, second, {"data": [{"id": 1, "name": "Star"}]})
    assert requests_of(repeated) == [] and spider.problems == [f"repeated_page: {second.url}"]


def test_a_cursor_and_a_link_header_lead_to_the_next_page():
    class Cursor(Catalogue):
        pagination, cursor_path = "cursor", "meta.next"

    spider = make(Cursor)
    (first,) = spider.get_all()
    assert first.url == "https://api.example/items"
    (after,) = requests_of(page(spider, first, {"data": [{"id": 1, "name": "A"}], "meta": {"next": "c2=="}}))
    assert after == "https://api.example/items?cursor=c2%3D%3D"
    assert requests_of(page(spider, first, {"data": [{"id": 2, "name": "B"}], "meta": {"next": None}})) == []

    class Linked(Catalogue):
        pagination = "link"

    spider = make(Linked)
    (first,) = spider.get_all()
    link = '<https://api.example/items?since=9>; rel="next", <https://api.example/items>; rel="first"'
    (after,) = requests_of(page(spider, first, {"data": [{"id": 1, "name": "A"}]}, {"Link": link}))
    assert after == "https://api.example/items?since=9"
    assert requests_of(page(spider, first, {"data": [{"id": 1, "name": "A"}]}, {"Link": '<x>; rel="prev"'})) == []


def test_max_pages_bounds_a_listing_and_makes_the_run_incomplete():
    class Short(Catalogue):
        max_pages = 2

    spider = make(Short)
    second = spider.page_request(spider.base_url + "/items", page=2)
    assert requests_of(page(spider, second, {"data": [{"id": 3, "name": "C"}]})) == []
    assert spider.incomplete_reasons == ["more than 2 pages at https://api.example/items"]


@pytest.mark.parametrize("body, reason", [(b"<html>Log in</html>", "not JSON"),
                                          (b'{"data": {"id": 1}}', "no record list")])
def test_a_page_that_is_not_the_expected_json_makes_the_run_incomplete(body, reason):
    spider = make()
    (first,) = spider.get_all()
    response = TextResponse(first.url, body=body, request=first)
    assert list(spider.parse_page(response, **first.cb_kwargs)) == []
    assert spider.incomplete_reasons[0].startswith(reason)


def test_credentials_are_added_as_requests_leave_and_only_for_the_api_host():
    secret = {"CATALOGUE_TOKEN": "t0ken-s3cret"}  # read from the environment by settings.py
    spider = make(settings=secret)
    spider._token = spider.secret()
    middleware = ApiAuthMiddleware(spider.crawler)
    (request,) = spider.get_all()
    assert b"Authorization" not in request.headers  # not while it waits in the scheduler's queue
    middleware.process_request(request)
    assert request.headers["Authorization"] == b"Bearer t0ken-s3cret"
    elsewhere = request.replace(url="https://cdn.example/items")  # a redirect to another host
    middleware.process_request(elsewhere)
    assert b"Authorization" not in elsewhere.headers
    plain = Request("https://api.example/other")  # not an API request of the spider (an image, say)
    middleware.process_request(plain)
    assert b"Authorization" not in plain.headers

    class Keyed(Catalogue):
        auth_style, auth_header = "header", "X-Api-Key"

    keyed = make(Keyed, settings=secret)
    keyed._token = keyed.secret()
    (request,) = keyed.get_all()
    ApiAuthMiddleware(keyed.crawler).process_request(request)
    assert request.headers["X-Api-Key"] == b"t0ken-s3cret" and b"Authorization" not in request.headers


def test_per_host_concurrency_and_the_auth_middleware_come_from_the_spider():
    settings = make().crawler.settings
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 3
    assert settings.getpriority("CONCURRENT_REQUESTS_PER_DOMAIN") == 30  # -s on the command line still wins
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert "ornaments.base_spiders.api_auth.ApiAuthMiddleware" in middlewares
    assert "ornaments.middlewares.BackoffRetryMiddleware" in middlewares  # the project's stay


def test_retry_after_in_seconds_or_as_an_http_date():
    def wait(value):
        return _retry_after(Response("https://api.example", headers={"Retry-After": value}))

    assert wait("7") == 7.0
    in_20s = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    assert 17 < wait(in_20s) <= 20
    assert wait(format_datetime(datetime(2001, 1, 1, tzinfo=timezone.utc), usegmt=True)) == 0.0
    assert wait("whenever") is None


def test_helpers():
    assert with_params("https://a.example/p?x=1&page=3", {"page": 4, "limit": 250}) == \
        "https://a.example/p?x=1&page=4&limit=250"
    headers = {"Link": '<https://a.example/p?page=2>; rel="next last"'}
    assert next_link(TextResponse("https://a.example/p", body=b"[]", headers=headers)) == "https://a.example/p?page=2"
