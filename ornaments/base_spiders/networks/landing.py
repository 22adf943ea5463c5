"""What a followed affiliate link landed on: the product, or not (a network's landing page, the shop's
home or search page, a 404 or a "no longer available" page); whether the tracking survived the chain;
whether the page's structured price and availability agree with ours. Pure: no requests here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlsplit

from ornaments.deeplinks import is_tracked
from ornaments.extract import BrokenData, jsonld_product, product_fields_from_jsonld
from ornaments.normalize import normalize_availability

# Query parameters the networks add to the merchant's URL on the way (the click id the sale is tied to).
TRACKING_PARAMS = frozenset({"awc", "cjevent", "cjdata", "ranmid", "raneaid", "ransiteid", "irclickid", "clickref",
                             "sscid", "utm_source"})
_GONE = re.compile(r"no longer available|not available|page not found|product not found|"
                   r"discontinued|could not be found|doesn.t exist|404", re.IGNORECASE)
_SEARCH_PATH = re.compile(r"/(search|catalogsearch|s)(/|$)", re.IGNORECASE)
AVAILABLE = ("in_stock", "preorder", "backorder")


@dataclass
class Landing:
    outcome: str
    lands_on_product: bool | None
    tracking_kept: bool | None
    page_price: Decimal | None = None
    page_availability: str | None = None
    detail: str = ""


def tracking_kept(link: str, url: str | None, final_url: str, network_hosts: tuple[str, ...] = ()) -> bool:
    """A network link: the final URL carries a network click id. A query template: the parameters the
    link added to the merchant's URL are all still there."""
    final = {k.lower(): v for k, v in parse_qsl(urlsplit(final_url).query, keep_blank_values=True)}
    if is_tracked(link, network_hosts):
        return bool(TRACKING_PARAMS & final.keys())
    added = set(parse_qsl(urlsplit(link).query)) - set(parse_qsl(urlsplit(url or "").query))
    return all(final.get(k.lower()) == v for k, v in added)


def _page_offer(html: str, base_url: str) -> tuple[Decimal | None, str | None, bool]:
    if not html.strip():  # an empty page (or one not read): lxml refuses to parse it
        return None, None, False
    try:
        product = jsonld_product(html, base_url)
    except BrokenData:
        product = None
    if not product:
        return None, None, False
    fields = product_fields_from_jsonld(product)
    try:
        price = Decimal(str(fields["price"])).quantize(Decimal("0.01")) if fields.get("price") else None
    except InvalidOperation:
        price = None
    availability = normalize_availability(fields["availability"]) if fields.get("availability") else None
    return price, availability, True


def classify(link: str, url: str | None, final_url: str, status: int, html: str,
             stored_price: Decimal | None, stored_availability: str, network_hosts: tuple[str, ...] = ()) -> Landing:
    """The outcome of a chain that ended with this answer (status, page text) at final_url."""
    kept = tracking_kept(link, url, final_url, network_hosts)
    if status in (404, 410) or status >= 400:
        return Landing("broken", False, kept, detail=f"the chain ends in HTTP {status}")
    final = urlsplit(final_url)
    if is_tracked(final_url, network_hosts):
        return Landing("redirected-away", False, kept, detail="the network answers its own page: the merchant "
                       "left the programme, or the link is not approved")
    expected = urlsplit(url) if url else None
    if expected is not None and expected.hostname and final.hostname != expected.hostname \
            and final.hostname.removeprefix("www.") != expected.hostname.removeprefix("www."):
        return Landing("redirected-away", False, kept, detail=f"lands on another site ({final.hostname})")
    price, availability, is_product = _page_offer(html, final_url)
    home = final.path in ("", "/") and (expected is None or expected.path not in ("", "/"))
    if home or _SEARCH_PATH.search(final.path) or "q=" in final.query and not is_product:
        return Landing("redirected-away", False, kept, detail="lands on the shop's home or search page")
    if not is_product and _GONE.search(html[:20000]):
        return Landing("broken", False, kept, detail="the page says the product is not available (a soft 404)")
    if not kept:
        return Landing("broken", is_product, False, price, availability,
                       detail="the tracking was dropped on the way: a click here does not earn")
    if price is not None and stored_price is not None and price != stored_price:
        return Landing("price-mismatch", True, kept, price, availability,
                       detail=f"the page asks {price}, we show {stored_price}")
    if availability and stored_availability in AVAILABLE + ("out_of_stock",) \
            and (availability in AVAILABLE) != (stored_availability in AVAILABLE):
        return Landing("out-of-stock-mismatch", True, kept, price, availability,
                       detail=f"the page says {availability}, we show {stored_availability}")
    return Landing("ok", is_product or None, kept, price, availability,
                   detail="" if is_product else "no structured product data on the page")
