"""Tracked links: the networks' deep-link forms built from a merchant page, per-vendor templates from the
settings, and a scraped shop's products stored with both links (url and affiliate_url)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from ornaments.deeplinks import LinkConfigError, LinkTemplate, parse_templates, with_query
from ornaments.storage.schema import products
from tests.fixtures.crawl import PROJECT_ROOT

PAGE = "https://shop.example/p/QX1?colour=red&size=2"


def test_awin_cread_link_carries_the_page_encoded_in_ued():
    link = LinkTemplate("awin", publisher_id="9999", advertiser_id="1234", sub_id="xmas").link(PAGE)
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("www.awin1.com", "/cread.php")
    assert parse_qs(parts.query) == {"awinmid": ["1234"], "awinaffid": ["9999"], "clickref": ["xmas"], "ued": [PAGE]}
    assert "&ued=https%3A%2F%2Fshop.example%2Fp%2FQX1%3Fcolour%3Dred%26size%3D2" in link


def test_cj_deep_link_has_the_pid_and_the_page_unencoded():
    assert LinkTemplate("cj", publisher_id="4125005").link(PAGE) == \
        f"https://www.anrdoezrs.net/links/4125005/type/dlg/{PAGE}"
    assert "/type/dlg/sid/site%201/https://" in LinkTemplate("cj", publisher_id="1", sub_id="site 1").link(PAGE)


def test_rakuten_deep_link_has_id_mid_and_encoded_murl():
    link = LinkTemplate("rakuten", publisher_id="h5aPSz1vA84", advertiser_id="41254", sub_id="a").link(PAGE)
    assert link.startswith("https://click.linksynergy.com/deeplink?id=h5aPSz1vA84&mid=41254&murl=https%3A%2F%2F")
    assert parse_qs(urlsplit(link).query) == {"id": ["h5aPSz1vA84"], "mid": ["41254"], "murl": [PAGE], "u1": ["a"]}


def test_a_query_parameter_is_added_or_replaced_and_the_rest_kept():
    assert with_query(PAGE, "ref", "me") == "https://shop.example/p/QX1?colour=red&size=2&ref=me"
    assert with_query("https://s.example/p?ref=old#top", "ref", "me") == "https://s.example/p?ref=me#top"


def test_templates_take_publisher_ids_from_the_environment_and_name_a_wrong_entry():
    templates = parse_templates({"shop": {"network": "awin", "advertiser_id": "1234"}}, {"awin": "9999"})
    assert templates["shop"] == LinkTemplate("awin", publisher_id="9999", advertiser_id="1234")
    with pytest.raises(LinkConfigError, match=r"\['shop'\]: a awin link needs publisher_id \(or ORNAMENTS_AWIN_PUBLISHER_ID\)"):
        parse_templates({"shop": {"network": "awin", "advertiser_id": "1"}}, {})
    with pytest.raises(LinkConfigError, match="network must be one of awin, cj, rakuten, query, not 'zanox'"):
        parse_templates({"shop": {"network": "zanox"}}, {})
    with pytest.raises(LinkConfigError, match="unknown key"):
        parse_templates({"shop": {"network": "query", "param": "r", "value": "v", "advertiser": "1"}}, {})


def test_a_scraped_shops_products_get_their_vendors_awin_link(sqlite_crawl, sqlite_url):
    result = sqlite_crawl("products_csv", "-a", "vendor=outlet", "-a", f"feed={PROJECT_ROOT / 'feeds/products.csv'}",
                          env={"ORNAMENTS_AFFILIATE_LINKS": json.dumps({"outlet": {"network": "awin", "advertiser_id": "1234"}}),
                               "ORNAMENTS_AWIN_PUBLISHER_ID": "9999"})
    assert result.returncode == 0, result
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as conn:
        rows = {r.vendor_product_id: r for r in conn.execute(sa.select(products))}
    engine.dispose()
    row = rows["QXI5931"]
    assert row.url == "https://www.ornament-outlet.example/p/QXI5931"
    assert row.affiliate_url == ("https://www.awin1.com/cread.php?awinmid=1234&awinaffid=9999"
                                 "&ued=https%3A%2F%2Fwww.ornament-outlet.example%2Fp%2FQXI5931")


def test_a_wrong_link_template_is_one_line_and_exit_2(sqlite_crawl):
    result = sqlite_crawl("products_csv", "-a", f"feed={PROJECT_ROOT / 'feeds/products.csv'}",
                          env={"ORNAMENTS_AFFILIATE_LINKS": json.dumps({"outlet": {"network": "awin"}})})
    assert result.returncode == 2, result
    assert "a awin link needs publisher_id" in result.log and "Traceback" not in result.log, result
