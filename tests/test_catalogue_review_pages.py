"""A person's decisions on the pages (issue 23): Accept / Reject on /ui/matches, Split off and Merge into
on /ui/items/{id}, through the real API app. Forms only for a write key, refused without this site's
CSRF token, one line with its status for a decided or unknown id, the same store state as the CLI and
the API, a decision that survives a re-sync, and hostile listings escaped."""

from __future__ import annotations

import base64
import html
import json
import re
from decimal import Decimal

import httpx
import sqlalchemy as sa

from ornaments.api import csrf
from ornaments.api.page import FLASH_COOKIE
from ornaments.storage.schema import item_listings, match_proposals, products
from tests.test_catalogue_api import seed
from tests.test_catalogue_review import item_of, listing, product_id
from tests.test_storage import table

HOSTILE_NAME = 'Frosty Friends 42nd in Series "><i>'  # out of an attribute, a tag: and still proposed
HOSTILE_SKU = "<script>alert(1)</script>"


def hostile(**changes) -> dict:
    return {**listing("shop_d", "D1", HOSTILE_NAME, sku=HOSTILE_SKU, price="24.50"), "url": "javascript:alert(1)",
            **changes}


def logged_in(server, key: str) -> tuple[httpx.Client, str]:
    """A browser logged in with `key`, and the CSRF token its pages carry."""
    client = server.client()
    client.headers["Origin"] = server.url.rstrip("/")  # a browser's form POST from our own pages
    token = re.search(f'name="{csrf.CSRF_FIELD}" value="([0-9a-f]+)"', client.get("/ui/login").text).group(1)
    assert client.post("/ui/login", data={"key": key, csrf.CSRF_FIELD: token}).status_code == 303
    return client, token


def proposal_state(store, proposal_id: int) -> str:
    return table(store, sa.select(match_proposals.c.state).where(match_proposals.c.id == proposal_id))[0][0]


def link_of(store, vendor: str, pid: str) -> tuple[int, str, str]:
    return table(store, sa.select(item_listings.c.item_id, item_listings.c.method, item_listings.c.state)
                 .join(products, products.c.id == item_listings.c.product_id)
                 .where(products.c.vendor == vendor, products.c.vendor_product_id == pid))[0]


def test_accept_and_reject_on_the_review_page(api_server, api_keys):
    store = seed(api_server.database_url)
    store.write_batch(None, 0, [hostile()])
    frosty = item_of(store, "shop_a", "A1")
    queue = api_server.client(api_keys["read"]).get("/matches").json()["items"]
    by_listing = {p["listing"]["vendor_product_id"]: p for p in queue if p["item"]["id"] == frosty}
    assert set(by_listing) == {"B3", "D1"}, queue
    b3, d1 = by_listing["B3"]["id"], by_listing["D1"]["id"]
    # The JSON has both sides with names, images, prices with currency, years, numbers, shops and why.
    side = by_listing["B3"]["item"]["listings"][0]
    assert {"vendor", "name", "image", "images", "price", "currency", "year", "item_numbers", "series_number",
            "sku", "gtin"} <= set(side)
    assert by_listing["B3"]["listing"]["series_number"] == 42 and by_listing["B3"]["listing"]["year"] == 2021
    assert "QX7654" in {n for s in by_listing["B3"]["item"]["listings"] for n in s["item_numbers"]}
    assert by_listing["B3"]["reasons"]

    reader, read_token = logged_in(api_server, api_keys["read"])
    html = reader.get("/ui/matches").text
    assert "B3" in html and "<form" not in html.split("</nav>")[1] and ">Accept<" not in html  # no buttons
    refused = reader.post(f"/ui/matches/{b3}/accept", data={csrf.CSRF_FIELD: read_token})
    assert refused.status_code == 403 and "only read" in refused.text
    assert proposal_state(store, b3) == "open"

    writer, token = logged_in(api_server, api_keys["write"])
    html = writer.get("/ui/matches").text
    assert f'action="/ui/matches/{b3}/accept"' in html and f'action="/ui/matches/{d1}/reject"' in html
    # Escaped everywhere; a javascript: address is no link; the shop's images are never loaded.
    assert HOSTILE_SKU not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"><i>' not in html and "&#34;&gt;&lt;i&gt;" in html
    assert "javascript:" not in html and "24.50 USD" in html and "#42 in series" in html
    # No token, a wrong token, another site's form: refused, nothing changes.
    assert writer.post(f"/ui/matches/{b3}/accept").status_code == 403
    assert writer.post(f"/ui/matches/{b3}/accept", data={csrf.CSRF_FIELD: "0" * 64}).status_code == 403
    cross = writer.post(f"/ui/matches/{b3}/accept", data={csrf.CSRF_FIELD: token},
                        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert cross.status_code == 403 and proposal_state(store, b3) == "open"
    # A key sent as for the API is no way around the form's token either.
    assert api_server.client(api_keys["write"]).post(f"/ui/matches/{b3}/accept").status_code == 403

    done = writer.post(f"/ui/matches/{b3}/accept", data={csrf.CSRF_FIELD: token})
    assert done.status_code == 303 and done.headers["location"] == "/ui/matches"
    after = writer.get("/ui/matches")
    assert f"Proposal #{b3} accepted" in after.text and f"/ui/items/{frosty}" in after.text
    assert f"Proposal #{b3} accepted" not in writer.get("/ui/matches").text  # shown once
    # A message another site planted (a sibling subdomain can set cookies) is not ours: not shown.
    planted = base64.urlsafe_b64encode(json.dumps(["Your key expired: log in at evil.example", None, "done"])
                                       .encode()).decode().rstrip("=")
    writer.cookies.set(FLASH_COOKIE, f"{planted}.{'0' * 32}", path="/ui")
    assert "evil.example" not in writer.get("/ui/matches").text
    assert link_of(store, "shop_b", "B3") == (frosty, "person", "confirmed") and proposal_state(store, b3) == "accepted"
    # The same state the API and the CLI see: one code path.
    accepted = api_server.client(api_keys["read"]).get("/matches", params={"state": "accepted"}).json()["items"]
    assert [p["id"] for p in accepted] == [b3]
    assert api_server.client(api_keys["write"]).post(f"/matches/{b3}/reject").status_code == 409

    again = writer.post(f"/ui/matches/{b3}/reject", data={csrf.CSRF_FIELD: token})
    assert again.status_code == 409 and f"Proposal {b3} is already accepted." in again.text
    assert "Traceback" not in again.text and proposal_state(store, b3) == "accepted"
    unknown = writer.post("/ui/matches/999999/accept", data={csrf.CSRF_FIELD: token})
    assert unknown.status_code == 404 and "No proposal 999999." in unknown.text

    rejected = writer.post(f"/ui/matches/{d1}/reject", data={csrf.CSRF_FIELD: token})
    assert rejected.status_code == 303 and proposal_state(store, d1) == "rejected"
    assert link_of(store, "shop_d", "D1")[0] != frosty
    # A re-sync that changes both listings does not undo what a person decided.
    store.write_batch(None, 0, [listing("shop_b", "B3", "Snow Buddies QX1111", sku="QX1111", price="20.00"),
                                hostile(name=HOSTILE_NAME + "!", price=Decimal("23.00"))])
    assert link_of(store, "shop_b", "B3") == (frosty, "person", "confirmed")
    assert link_of(store, "shop_d", "D1")[0] != frosty
    d1_for_frosty = table(store, sa.select(match_proposals.c.state).where(
        match_proposals.c.product_id == product_id(store, "shop_d", "D1"), match_proposals.c.item_id == frosty))
    assert [s for (s,) in d1_for_frosty] == ["rejected"]  # never proposed again
    store.close()


def test_split_and_merge_on_the_item_page(api_server, api_keys):
    store = seed(api_server.database_url)
    frosty = item_of(store, "shop_a", "A1")
    c1 = product_id(store, "shop_c", "C1")
    reader, read_token = logged_in(api_server, api_keys["read"])
    html = reader.get(f"/ui/items/{frosty}").text
    assert "Split off" not in html and "<form" not in html.split("</nav>")[1]
    assert reader.post(f"/ui/listings/{c1}/split", data={csrf.CSRF_FIELD: read_token, "item": frosty}).status_code == 403
    assert link_of(store, "shop_c", "C1")[0] == frosty

    writer, token = logged_in(api_server, api_keys["write"])
    html = writer.get(f"/ui/items/{frosty}").text
    assert f'action="/ui/listings/{c1}/split"' in html and f'action="/ui/items/{frosty}/merge"' in html
    assert writer.post(f"/ui/listings/{c1}/split", data={"item": frosty}).status_code == 403  # no token
    split = writer.post(f"/ui/listings/{c1}/split", data={csrf.CSRF_FIELD: token, "item": frosty})
    assert split.status_code == 303 and split.headers["location"] == f"/ui/items/{frosty}"
    new_item, method, state = link_of(store, "shop_c", "C1")
    assert new_item != frosty and (method, state) == ("person", "confirmed")
    page = writer.get(f"/ui/items/{frosty}").text
    assert f"Listing {c1} split off: it is item {new_item} now" in page and "QX 7654" not in page
    # The machine never puts it back, even when its listing is written again.
    store.write_batch(None, 0, [listing("shop_c", "C1", "Frosty Friends", sku="QX 7654", price="27.00")])
    assert link_of(store, "shop_c", "C1")[0] == new_item

    bad = writer.post(f"/ui/items/{new_item}/merge", data={csrf.CSRF_FIELD: token, "into": "abc"})
    assert bad.status_code == 400 and "not &#39;abc&#39;." in bad.text
    itself = writer.post(f"/ui/items/{new_item}/merge", data={csrf.CSRF_FIELD: token, "into": str(new_item)})
    assert itself.status_code == 409 and "into itself" in itself.text
    unknown = writer.post(f"/ui/items/{new_item}/merge", data={csrf.CSRF_FIELD: token, "into": "999999"})
    assert unknown.status_code == 404 and "No item 999999." in unknown.text
    assert writer.post(f"/ui/items/{new_item}/merge", data={"into": str(frosty)}).status_code == 403  # no token
    merged = writer.post(f"/ui/items/{new_item}/merge", data={csrf.CSRF_FIELD: token, "into": f"#{frosty}"})
    assert merged.status_code == 303 and merged.headers["location"] == f"/ui/items/{frosty}"
    assert link_of(store, "shop_c", "C1")[0] == frosty
    assert f"Item {new_item} merged into item {frosty}" in writer.get(f"/ui/items/{frosty}").text
    assert api_server.client(api_keys["read"]).get(f"/items/{frosty}").json()["in_stock_at"]["of"] == 4
    # Not signed in: one line, 401, nothing done.
    anonymous = api_server.client().post(f"/ui/listings/{c1}/split", data={"item": frosty})
    assert anonymous.status_code == 401 and "Log in first" in anonymous.text
    store.close()


def test_deciding_in_chromium_under_the_strict_policy(api_server, api_keys):
    """A person clicks Accept in a real browser (the strict CSP enforced, no script needed) and sees the
    outcome once; another site's page that submits a Reject form to us is refused and changes nothing."""
    from tests.browser import enforce_csp, in_browser, log_in, post_from_another_site

    store = seed(api_server.database_url)
    store.write_batch(None, 0, [hostile()])
    frosty = item_of(store, "shop_a", "A1")
    queue = api_server.client(api_keys["read"]).get("/matches").json()["items"]
    by_listing = {p["listing"]["vendor_product_id"]: p["id"] for p in queue if p["item"]["id"] == frosty}
    b3, d1 = by_listing["B3"], by_listing["D1"]
    base = api_server.url.rstrip("/")

    def check(page) -> None:
        violations = enforce_csp(page, base)
        log_in(page, base, api_keys["write"], "/ui/matches")
        assert page.locator(f"#proposal-{d1}").inner_text().count('"><i>') == 1  # the name, as text
        page.click(f"form[action='/ui/matches/{b3}/accept'] button")
        page.wait_for_url(f"{base}/ui/matches")
        assert f"Proposal #{b3} accepted" in page.locator("#flash").inner_text()
        page.reload()
        assert page.locator("#flash").count() == 0  # once
        post_from_another_site(page, f"{base}/ui/matches/{d1}/reject", "reject-csrf")
        assert "did not come from this site" in page.locator("#flash").inner_text()
        assert violations == []

    in_browser(check)
    assert proposal_state(store, b3) == "accepted" and proposal_state(store, d1) == "open"
    assert link_of(store, "shop_b", "B3") == (frosty, "person", "confirmed")
    store.close()


def test_the_items_page_searches_filters_and_sorts_as_the_api_does(api_server, api_keys):
    """/ui/items: the items GET /items would give, linked to their pages; a value the page cannot use
    is left out (never an error page); names are text."""
    store = seed(api_server.database_url)
    store.write_batch(None, 0, [hostile()])
    frosty = item_of(store, "shop_a", "A1")
    assert api_server.client().get("/ui/items").status_code in (302, 303, 307)  # to the login page
    client, _ = logged_in(api_server, api_keys["read"])

    def rows(**params) -> list[str]:
        answer = client.get("/ui/items", params=params)
        assert answer.status_code == 200 and "Content-Security-Policy" in answer.headers, answer.text
        return re.findall(r'<tr class="item"><td><a href="/ui/items/(\d+)">', answer.text)

    assert str(frosty) in rows() and len(rows()) == 4  # Frosty, Snow Buddies, B3's own, the hostile listing's
    assert rows(q="qx 7654") == [str(frosty)]
    assert rows(year="2020") == [str(item_of(store, "shop_a", "A2"))]
    # the GBP list holds Frosty (mostly USD) at its GBP price
    page = client.get("/ui/items", params={"currency": "gbp", "sort": "best_price"}).text
    assert rows(currency="gbp", sort="best_price") == [str(frosty)] and "19.00 GBP" in page
    assert rows(year="abc", currency="XYZ", sort="best_price", cursor="nonsense") == rows()  # left out
    text = client.get("/ui/items").text
    assert '"><i>' not in text and ("&#34;&gt;&lt;i&gt;" in text or "&quot;&gt;&lt;i&gt;" in text)
    first = client.get("/ui/items", params={"sort": "best_price", "currency": "USD"}).text
    prices = re.findall(r"<td>(\d+\.\d\d) USD</td>", first)
    assert prices == sorted(prices, key=Decimal) and len(prices) == 4
    # 54 items: a page of 50 and a next link, by best price in USD, in order across the pages
    store.write_batch(None, 0, [listing("shop_e", f"E{n}", f"Ornament {n}", sku=f"QX{3000 + n}", price=f"{10 + n}.00")
                                for n in range(50)])
    answer = client.get("/ui/items", params={"sort": "best_price", "currency": "usd"}).text
    more = html.unescape(re.search(r'<a id="next" href="([^"]+)"', answer).group(1))
    prices = re.findall(r"<td>(\d+\.\d\d) USD</td>", answer) + re.findall(r"<td>(\d+\.\d\d) USD</td>",
                                                                          client.get(more).text)
    assert len(prices) == 54 and prices == sorted(prices, key=Decimal)
    store.close()
