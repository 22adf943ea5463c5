"""ornament-shop.com under another BigCommerce (Stencil) theme than Cornerstone.

Nothing of Cornerstone's class names: cards are `div.product-block[data-product-id]`, product URLs
`/products/<slug>.html` (BigCommerce's older URL scheme), pagination by `<link rel="next">` and page
numbers, the year index's categories only in a sidebar `<nav>` next to a "Recently viewed" box (a promotion
link in the top bar names a year too), the year only in the breadcrumb trail (schema.org BreadcrumbList) and the listing. Product pages
carry JSON-LD with an AggregateOffer or an offers list. A "Recently viewed" sidebar and the header hold
product cards of other years. `/xmlsitemap.php` is a sitemap index of products, categories and pages,
served as text/html as BigCommerce's is behind some proxies.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, schema_availability, write
from tests.sites.ornament_shop_markup import ROBOTS

HOST = "https://www.ornament-shop.com"


def year_path(year: int) -> str:
    return f"/{year}-ornaments/"


def product_path(p: Product) -> str:
    return f"/products/{p.slug}.html"


def mini_card(p: Product) -> str:
    return f'<div class="mini-product" data-product-id="{p.pid}"><a href="{product_path(p)}">{escape(p.name)}</a></div>'


def page(shop: Shop, title: str, body: str, head: str = "", categories: str = "") -> str:
    others = "".join(mini_card(p) for p in shop.products[::3])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}
<meta name="platform" content="bigcommerce.stencil"></head>
<body>
<div class="topbar"><a href="/">Ornament Shop</a> <a href="/clearance/">2019 sale: up to 50% off</a><div class="header-featured">{mini_card(shop.products[0])}</div></div>
<div class="layout">
<aside class="layout-sidebar">{categories}<h3>Recently viewed</h3>{others}</aside>
<div class="layout-content">
{body}
</div></div>
<div class="bottom-bar">{others}</div>
</body></html>
"""


def card(p: Product) -> str:
    return f"""<div class="product-block" data-product-id="{p.pid}">
 <a class="product-block__image" href="{product_path(p)}"><img src="/product_images/thumb/{p.pid}.jpg" alt=""></a>
 <h4 class="product-block__title"><a href="{product_path(p)}">{escape(p.name)}</a></h4>
 <span class="product-block__price">${p.price}</span>
 <a class="quick-view" href="#" data-product-id="{p.pid}">Quick view</a>
 <a class="add-to-cart" href="/cart.php?action=add&amp;product_id={p.pid}">Add to cart</a>
</div>"""


def listing(shop: Shop, year: int, pids: list[str], number: int, pages: int) -> str:
    base = year_path(year)
    head = f'<link rel="next" href="{base}?page={number + 1}">' if number < pages else ""
    numbers = "".join(f'<a class="page-number" href="{base}?page={n}">{n}</a>' for n in range(1, pages + 1) if n != number)
    body = (f'<h1>{year} Hallmark Ornaments</h1>\n<div class="product-blocks">{"".join(card(shop.by_id(pid)) for pid in pids)}</div>\n'
            f'<div class="page-numbers">{numbers}</div>')
    return page(shop, f"{year} Hallmark Ornaments", body, head)


def product_page(shop: Shop, p: Product) -> str:
    offer = {"@type": "Offer", "price": p.price.replace(",", ""), "priceCurrency": "USD",
             "availability": schema_availability(p)}
    offers = ({"@type": "AggregateOffer", "lowPrice": offer["price"], "priceCurrency": "USD", "offers": [offer]}
              if int(p.pid) % 2 else [offer])
    data = {"@context": "https://schema.org", "@type": "Product", "name": p.name, "sku": p.sku,
            "brand": {"@type": "Brand", "name": "Hallmark"}, "offers": offers}
    if p.image:
        data["image"] = [f"{HOST}/product_images/{p.pid}/{p.slug}.jpg"]
    text = json.dumps(data, ensure_ascii=False)
    if p.broken:
        text = text[:text.index('"offers"') + 14]
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 2, "item": {"@id": HOST + year_path(p.year), "name": f"{p.year} Hallmark Ornaments"}},
        {"@type": "ListItem", "position": 1, "item": {"@id": HOST + "/", "name": "Home"}}]}
    head = f'<script type="application/ld+json">{json.dumps(crumbs)}</script><script type="application/ld+json">{text}</script>'
    body = f"""<div class="product-details" data-product-id="{p.pid}"><h1 class="product-details__name">{escape(p.name)}</h1>
<span data-product-sku>{p.sku}</span> <span data-product-price-without-tax>${p.price}</span>
<form data-cart-item-add action="/cart.php" method="post"><input type="hidden" name="product_id" value="{p.pid}"></form></div>"""
    html = page(shop, p.name, body, head)
    return html[:html.index("<body>")] if p.broken else html


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'


def build(shop: Shop, root: Path) -> None:
    write(root / "robots.txt", ROBOTS + f"Sitemap: {HOST}/xmlsitemap.php\n")
    links = "".join(f'<li><a href="{year_path(y)}"><img src="/product_images/years/{y}.png" alt="{y} Hallmark Ornaments"></a></li>'
                    for y in sorted(shop.listings, reverse=True))
    categories = f'<nav class="side-categories" aria-label="Shop by year"><ul>{links}</ul></nav>'
    write(root / "hallmark-ornaments-by-year.html", page(shop, "Ornaments by Year", "<h1>Ornaments by Year</h1>", categories=categories))
    for year, pages in shop.listings.items():
        base = year_path(year).lstrip("/")
        for number, pids in enumerate(pages, 1):
            html = listing(shop, year, pids, number, len(pages))
            for name in ([base + "index.html"] if number == 1 else []) + [f"{base}?page={number}"]:
                write(root / name, html)
    for p in shop.products:
        write(root / product_path(p).lstrip("/"), product_page(shop, p))
        if p.image:
            write(root / "product_images" / p.pid / f"{p.slug}.jpg", IMAGE)
            write(root / "product_images" / "thumb" / f"{p.pid}.jpg", IMAGE)
    write(root / "xmlsitemap.php?type=products&page=1", urlset([HOST + product_path(p) for p in shop.products]))
    write(root / "xmlsitemap.php?type=categories&page=1", urlset([HOST + year_path(y) for y in shop.listings]))
    index = "".join(f"<sitemap><loc>{HOST}/xmlsitemap.php?type={t}&amp;page=1</loc></sitemap>" for t in ("products", "categories"))
    write(root / "xmlsitemap.php", f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>\n')
