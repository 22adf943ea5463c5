"""Replicas of the JSON APIs the json spiders read, on a JsonApi server (tests/fixtures/json_api.py):
a Shopify store, a WooCommerce Store API and the offers service. Their documents copy the platforms'
shapes (Shopify /products.json, WooCommerce wc/store/v1, the Productator offers service)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from tests.fixtures.json_api import Call, JsonApi


# --- Shopify -----------------------------------------------------------------------------------------

def shopify_product(pid: int, title: str, variants: list[dict], *, tags=(), vendor="Hallmark",
                    product_type="Keepsake Ornament", images: int = 1) -> dict:
    return {
        "id": pid, "title": title, "handle": title.lower().replace(" ", "-"), "body_html": f"<p>{title} &amp; box</p>",
        "published_at": "2024-01-01T00:00:00-05:00", "vendor": vendor, "product_type": product_type,
        "tags": tags if isinstance(tags, str) else list(tags),
        "variants": [{"id": pid * 100 + n, "title": v.get("option1") or "Default Title",
                      "option1": v.get("option1", "Default Title"), "option2": v.get("option2"), "option3": None,
                      "sku": v.get("sku", f"SKU{pid}{n}"), "requires_shipping": True, "taxable": True,
                      "featured_image": v.get("featured_image"), "available": v.get("available", True),
                      "price": v["price"], "grams": 100, "compare_at_price": v.get("compare_at_price"),
                      "position": n, "product_id": pid} for n, v in enumerate(variants, 1)],
        "images": [{"id": pid * 10 + n, "src": f"https://cdn.shopify.example/{pid}-{n}.jpg", "position": n}
                   for n in range(1, images + 1)],
        "options": [{"name": "Title", "position": 1, "values": ["Default Title"]}],
    }


# The rules every Shopify store's robots.txt starts with (abridged): the cart, checkout and account are closed.
SHOPIFY_ROBOTS = """# we use Shopify as our ecommerce platform
User-agent: *
Disallow: /a/downloads/-/*
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /checkout
Disallow: /carts
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /collections/*+*
Disallow: /search
Disallow: /policies/
Sitemap: https://shop.example/sitemap.xml
"""


@dataclass
class ShopifyStore:
    api: JsonApi
    products: list[dict]
    page_size: int = 2  # the replica's own cap, so a handful of products spans pages
    currency: str | None = "USD"
    password: bool = False
    collections: dict[str, list[int]] = field(default_factory=dict)
    robots: str | None = None  # /robots.txt (None: 404, everything allowed)
    storefront: str | None = None  # the HTML of / (None: 404)
    product_page: str | None = None  # the HTML of /products/<handle> (None: 404)

    def __post_init__(self) -> None:
        if self.robots is not None:
            self.api.route("GET", "/robots.txt", lambda call: (200, self.robots, {"Content-Type": "text/plain"}))
        if self.storefront is not None:
            self.api.route("GET", "/", lambda call: (200, self.storefront, {"Content-Type": "text/html"}))
        self.api.route("GET", "/products.json", self.page)
        self.api.route("GET", "/collections/*", self.collection)
        self.api.route("GET", "/meta.json", self.meta)
        self.api.route("GET", "/password", lambda call: (200, "<html><body>Opening soon</body></html>",
                                                          {"Content-Type": "text/html"}))
        self.api.route("GET", "/products/*", self.one)

    def _locked(self):
        return (302, b"", {"Location": f"{self.api.url}/password"}) if self.password else None

    def page(self, call: Call, products: list[dict] | None = None):
        locked = self._locked()
        if locked:
            return locked
        size = min(int(call.query.get("limit", 30)), self.page_size)
        page = int(call.query.get("page", 1))
        chosen = (self.products if products is None else products)[(page - 1) * size:page * size]
        return 200, {"products": chosen}

    def collection(self, call: Call):
        handle = call.path.split("/")[2]
        ids = self.collections.get(handle)
        if ids is None:
            return 404, {"errors": "Not Found"}
        return self.page(call, [p for p in self.products if p["id"] in ids])

    def meta(self, call: Call):
        locked = self._locked()
        if locked:
            return locked
        return 200, {"name": "Replica", "currency": self.currency} if self.currency else {"name": "Replica"}

    def one(self, call: Call):
        locked = self._locked()
        if locked:
            return locked
        handle = call.path.removeprefix("/products/").removesuffix(".json")
        found = [p for p in self.products if p["handle"] == handle]
        if not call.path.endswith(".json"):  # the product's storefront page
            if found and self.product_page is not None:
                return 200, self.product_page, {"Content-Type": "text/html; charset=utf-8"}
            return 404, "<html><body>Not found</body></html>", {"Content-Type": "text/html"}
        return (200, {"product": found[0]}) if found else (404, {"errors": "Not Found"})


# --- WooCommerce -------------------------------------------------------------------------------------

STORE_API = "/wp-json/wc/store/v1/products"


def woo_prices(price: str, regular: str | None = None, currency: str = "EUR", unit: int = 2) -> dict:
    return {"price": price, "regular_price": regular or price, "sale_price": price, "price_range": None,
            "currency_code": currency, "currency_symbol": "€", "currency_minor_unit": unit,
            "currency_decimal_separator": ",", "currency_thousand_separator": ".", "currency_prefix": "",
            "currency_suffix": " €"}


def woo_product(pid: int, name: str, prices: dict | None, *, variations=(), in_stock=True, tags=(),
                kind: str | None = None, parent: int = 0, images: int = 1, children=(),
                button: tuple[str, str] | None = None) -> dict:
    """A Store API product. children: a grouped product's grouped_products; button: an external product's
    (text, url), its add_to_cart."""
    kind = kind or ("variable" if variations else "grouped" if children else "external" if button else "simple")
    slug = name.lower().replace(" ", "-")
    add_to_cart = ({"text": button[0], "description": button[0], "url": button[1]} if button else
                   {"text": "View products", "description": "", "url": f"https://wreaths.example/product/{slug}/"}
                   if kind == "grouped" else
                   {"text": "Add to cart", "description": "", "url": f"?add-to-cart={pid}"})
    return {**_woo_product(pid, name, prices, variations=variations, in_stock=in_stock, tags=tags, kind=kind,
                           parent=parent, images=images),
            "grouped_products": list(children), "add_to_cart": add_to_cart,
            "is_purchasable": kind not in ("grouped", "external")}


def _woo_product(pid: int, name: str, prices: dict | None, *, variations, in_stock, tags, kind, parent,
                 images) -> dict:
    return {
        "id": pid, "name": name, "slug": name.lower().replace(" ", "-"), "parent": parent,
        "type": kind, "variation": "",
        "permalink": f"https://wreaths.example/product/{name.lower().replace(' ', '-')}/",
        "sku": f"W{pid}", "short_description": f"<p>{name}</p>", "description": "", "on_sale": False,
        "prices": prices, "images": [{"id": pid * 10 + n, "src": f"https://wreaths.example/img/{pid}-{n}.jpg",
                                      "alt": ""} for n in range(1, images + 1)],
        "categories": [{"id": 1, "name": "Ornaments", "slug": "ornaments"}],
        "tags": [{"id": 9, "name": t, "slug": t} for t in tags],
        "brands": [{"id": 3, "name": "Käthe Wohlfahrt"}],
        "attributes": [], "variations": [{"id": v, "attributes": []} for v in variations],
        "is_purchasable": True, "is_in_stock": in_stock, "is_on_backorder": False,
    }


@dataclass
class WooStore:
    api: JsonApi
    products: list[dict]  # listed products (simple and variable)
    variations: dict[int, dict] = field(default_factory=dict)  # fetched one by one
    page_size: int = 2

    def __post_init__(self) -> None:
        self.api.route("GET", STORE_API, self.page)
        self.api.route("GET", STORE_API + "/*", self.one)

    def page(self, call: Call):
        if "slug" in call.query:
            return 200, [p for p in self.products if p["slug"] == call.query["slug"]]
        size = min(int(call.query.get("per_page", 10)), self.page_size)
        page = int(call.query.get("page", 1))
        pages = max(1, -(-len(self.products) // size))
        if page > pages:  # as WordPress answers a page past the end
            return 400, {"code": "rest_post_invalid_page_number", "message": "The page number requested is larger "
                                                                               "than the number of pages available."}
        return 200, self.products[(page - 1) * size:page * size], {"X-WP-Total": len(self.products),
                                                                    "X-WP-TotalPages": pages}

    def one(self, call: Call):
        pid = int(call.path.rsplit("/", 1)[1])
        found = self.variations.get(pid) or next((p for p in self.products if p["id"] == pid), None)
        return (200, found) if found else (404, {"code": "woocommerce_rest_product_invalid_id"})


# --- The offers service ------------------------------------------------------------------------------

@dataclass
class OffersService:
    """POST /auth (Authorization: Bearer <refresh key>) -> {"access_token"}; POST /products/register;
    GET /products/<id>/offers -> [{id, price, items_in_stock}] (404 for a product not registered)."""
    api: JsonApi
    key: str
    offers: dict[str, list[dict]] = field(default_factory=dict)  # product id -> its offers now
    registered: dict[str, dict] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    max_uses: int | None = None  # a token expires after this many requests (None: never)
    uses: dict[str, int] = field(default_factory=dict)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.api.route("POST", "/auth", self.auth)
        self.api.route("POST", "/products/register", self.register)
        self.api.route("GET", "/products/*", self.product_offers)

    def auth(self, call: Call):
        if call.headers.get("authorization") != f"Bearer {self.key}":
            return 401, {"detail": "bad refresh token"}
        token = f"access-{next(self._counter)}-{self.key[::-1]}"
        self.tokens.add(token)
        return 201, {"access_token": token}

    def _authorised(self, call: Call) -> bool:
        header = call.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        if token not in self.tokens:
            return False
        with self.api.lock:
            self.uses[token] = self.uses.get(token, 0) + 1
            return self.max_uses is None or self.uses[token] <= self.max_uses

    def register(self, call: Call):
        if not self._authorised(call):
            return 401, {"detail": "bad token"}
        body = call.body or {}
        if str(body.get("id")) in self.registered:
            return 409, {"detail": "already registered"}
        self.registered[str(body["id"])] = body
        self.offers.setdefault(str(body["id"]), [])
        return 201, {"id": body["id"]}

    def product_offers(self, call: Call):
        if not self._authorised(call):
            return 401, {"detail": "bad token"}
        pid = call.path.split("/")[2]
        if pid not in self.registered:
            return 404, {"detail": "product not registered"}
        return 200, self.offers.get(pid, [])
