"""The currency a shop prices in, read from what it publishes anyway: a JSON document's "currency" field
(Shopify's /meta.json and /cart.js) or its storefront HTML.

In the HTML, in this order: the storefront's active currency (Shopify's `Shopify.currency = {"active":
"EUR", ...}`, then `ShopifyAnalytics.meta.currency = 'EUR'`), the Open Graph `og:price:currency` /
`product:price:currency` meta tags (property= or name=), and schema.org `priceCurrency` (JSON-LD, or
microdata as content= or text). Only an ISO 4217 code counts; a page that names two different
currencies in its og/schema.org tags names none (never a guess).
"""

from __future__ import annotations

import json
import re

from parsel import Selector

from ornaments.prices import iso_currency

_SHOPIFY_ACTIVE = re.compile(r"""Shopify\.currency\s*=\s*\{[^}]*?["']?active["']?\s*:\s*["']([A-Za-z]{3})["']""")
# Every Shopify storefront page also sets its analytics' currency in a script of its own.
_SHOPIFY_ANALYTICS = re.compile(
    r"""ShopifyAnalytics\.meta(?:\.currency|\[["']currency["']\])\s*=\s*["']([A-Za-z]{3})["']""")
_JSON_LD_PRICE_CURRENCY = re.compile(r""""priceCurrency"\s*:\s*"([A-Za-z]{3})\"""")
_MAX_HTML = 2_000_000  # characters of a page searched; a storefront's head and product data come first


def currency_from_json(body: bytes) -> str | None:
    """The ISO code in a JSON object's "currency" field, or None (not JSON, no such field, not a code)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return _code(data.get("currency")) if isinstance(data, dict) else None


def currency_from_html(html: str) -> str | None:
    """The currency a storefront page names (see the module's docstring), or None."""
    html = html[:_MAX_HTML]
    for pattern in (_SHOPIFY_ACTIVE, _SHOPIFY_ANALYTICS):
        active = pattern.search(html)
        if active and _code(active.group(1)):
            return _code(active.group(1))
    selector = Selector(text=html, type="html")
    # Open Graph tags written with name= as often as with property=; microdata in content= or as text.
    named = selector.css('meta[property="og:price:currency"]::attr(content), '
                         'meta[name="og:price:currency"]::attr(content), '
                         'meta[property="product:price:currency"]::attr(content), '
                         'meta[name="product:price:currency"]::attr(content), '
                         '[itemprop="priceCurrency"]::attr(content)').getall()
    named += selector.css('[itemprop="priceCurrency"]:not([content])::text').getall()
    named += _JSON_LD_PRICE_CURRENCY.findall(html)
    codes = {code for code in map(_code, named) if code}
    return codes.pop() if len(codes) == 1 else None


def _code(value: object) -> str | None:
    code = iso_currency(str(value or "").strip().upper()) if value else None
    return code if code and len(code) == 3 else None
