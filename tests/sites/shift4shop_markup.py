"""Shift4Shop (3dcart) shops as they are in 2026: static listings, SEO URLs, sitemaps.

Two themes of the same platform, with different class names everywhere:
- hookedonhallmark_2026: year index at the old address, year pages `/<year>-hallmark-ornaments_c_<id>.html`,
  product pages `/<slug>_p_<catalogid>.html` with `var _3d_item`, microdata and breadcrumbs; robots.txt names a
  sitemap index (a gzipped products sitemap and a categories sitemap), with the shop's own host in every URL.
- hallmark_ornaments_2026: year pages `/<year>_c_<id>.html` (ids not sequential), later pages `?page=N`,
  product pages with schema.org Product JSON-LD (an offers list, an AggregateOffer) and no `_3d_item`.
Both put product links of other years in the header, sidebar and footer (bestsellers, recently viewed),
which must never count as a year's products.
"""

from __future__ import annotations

import gzip
import json
import re
from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, write

ROBOTS = """User-agent: *
Disallow: /view_cart.asp
Disallow: /checkout.asp
Disallow: /myaccount.asp
"""


def slug(p: Product) -> str:
    return p.slug or re.sub(r"[^a-z0-9]+", "-", p.name.lower()).strip("-")


def product_path(p: Product) -> str:
    return f"/{slug(p)}_p_{p.pid}.html"


class Theme:
    """Class names and page shapes of one theme; the platform's URLs stay the same."""
    host = ""
    index_path = ""
    tile = ""

    def __init__(self, shop: Shop):
        self.shop = shop
        chrome = shop.products[-2:] + shop.products[:1]  # bestsellers/recently viewed: other years included
        self.chrome_links = "".join(f'<li><a href="{product_path(p)}">{escape(p.name)}</a></li>' for p in chrome)

    def year_path(self, year: int) -> str:
        raise NotImplementedError

    def page(self, title: str, body: str, head: str = "") -> str:
        raise NotImplementedError

    def listing(self, year: int, pids: list[str], number: int, pages: int) -> str:
        raise NotImplementedError

    def product_page(self, p: Product) -> str:
        raise NotImplementedError


class HookedTheme(Theme):
    host = "https://www.hookedonhallmark.com"
    index_path = "/keepsake-hallmark-ornaments-by-year.html"

    def year_path(self, year: int) -> str:
        return f"/{year}-hallmark-ornaments_c_{(year * 7) % 113}.html"

    def page(self, title: str, body: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Hooked on Hallmark</title>
<meta name="generator" content="Shift4Shop">{head}</head>
<body class="s4s-theme-core">
<header class="site-header"><a href="/" class="logo">Hooked on Hallmark</a>
 <div class="header-bestsellers"><h4>Bestsellers</h4><ul>{self.chrome_links}</ul></div></header>
<div class="container">
 <div class="col-left sidebar"><div class="recently-viewed"><h4>Recently Viewed</h4><ul>{self.chrome_links}</ul></div>
  <ul class="side-menu"><li><a href="{self.index_path}">Ornaments by Year</a></li></ul></div>
 <div class="col-main" id="mainContent">
{body}
 </div>
</div>
<footer class="site-footer"><div class="top-sellers"><ul>{self.chrome_links}</ul></div>&copy; Hooked on Hallmark</footer>
</body></html>
"""

    def index(self) -> str:
        tiles = "".join(f'<div class="category-tile"><a href="{self.year_path(y)}"><img src="/assets/images/years/{y}.jpg" alt="">'
                        f'<span>{y} Hallmark Ornaments</span></a></div>\n' for y in sorted(self.shop.listings, reverse=True))
        return self.page("Hallmark Ornaments by Year", f'<h1>Hallmark Ornaments by Year</h1>\n<div class="category-grid">\n{tiles}</div>')

    def listing(self, year: int, pids: list[str], number: int, pages: int) -> str:
        tiles = "".join(f"""<div class="product-tile item"><a class="product-tile__image" href="{product_path(p)}"><img src="/assets/images/thumbnails/{p.sku}.jpg" alt=""></a>
 <a class="product-tile__name" href="{product_path(p)}">{escape(p.name)}</a><span class="product-tile__price">${p.price}</span>
 <a class="product-tile__buy" href="/add_cart.asp?itemid={p.pid}">Add to cart</a></div>\n""" for p in map(self.shop.by_id, pids))
        base = self.year_path(year)
        head = f'<link rel="next" href="{base}?page={number + 1}">' if number < pages else ""
        pager = "".join(f'<a href="{base}?page={n}"{" class=current" if n == number else ""}>{n}</a> ' for n in range(1, pages + 1))
        if number < pages:
            pager += f'<a class="pagination-next" href="{base}?page={number + 1}">Next</a>'
        return self.page(f"{year} Hallmark Ornaments",
                         f'<h1>{year} Hallmark Ornaments</h1>\n<div class="product-grid">\n{tiles}</div>\n<div class="pagination">{pager if pages > 1 else ""}</div>', head)

    def product_page(self, p: Product) -> str:
        item = (f'{{catalogid: {p.pid}, id: "{p.sku}", name: {json.dumps(p.name, ensure_ascii=False)}, '
                f'price: {p.price.replace(",", "")}, availability: {1 if p.available else 0}, currency: "USD"}}')
        if p.broken:
            item = item[:item.index("price:") + 7]
        year = (f'<div class="extrafield" id="extrafield_2"><span class="label">Year Released:</span> '
                f'<span class="value">{p.year}</span></div>' if p.year_on_page else "")
        image = f'<img class="main-image" itemprop="image" src="/assets/images/{p.sku}.jpg" alt="">' if p.image else ""
        stock = "InStock" if p.available else "OutOfStock"
        body = f"""<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="{self.year_path(p.year)}">{p.year} Hallmark Ornaments</a> &gt; <span>{escape(p.name)}</span></div>
<div class="product-page" itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">{escape(p.name)}</h1>{image}
<div>SKU: <span itemprop="sku">{p.sku}</span></div>{year}
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="priceCurrency" content="USD">
 {f'<s>${p.was}</s>' if p.was else ''} <span itemprop="price" content="{p.price.replace(",", "")}">${p.price}</span>
 <link itemprop="availability" href="https://schema.org/{stock}"></div>
<form name="add" method="post" action="/add_cart.asp"><input type="hidden" name="item_id" value="{p.pid}"></form>
</div>"""
        html = self.page(p.name, body) .replace("</body>", f"<script>var _3d_item = {item};</script>\n</body>")
        if p.broken:  # the price never made it into the page either
            html = html[:html.index('<div itemprop="offers"')] + html[html.index("<script>var _3d_item"):]
        return html


class HallmarkTheme(Theme):
    host = "https://www.hallmarkornaments.com"
    index_path = "/Hallmark-Ornaments-By-Year_c_200.html"
    CATEGORY_IDS = {1975: 4411, 2020: 1289, 2021: 3307}

    def year_path(self, year: int) -> str:
        return f"/{year}_c_{self.CATEGORY_IDS.get(year, 5000 + (year * 37) % 997)}.html"

    def page(self, title: str, body: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}</head>
<body>
<div id="topBar" role="banner"><a href="/">Hallmark Ornaments</a>
 <div class="topsellers"><span>Top sellers:</span><ul>{self.chrome_links}</ul></div></div>
<div id="wrap"><div id="leftColumn"><div class="recentlyViewedBox"><ul>{self.chrome_links}</ul></div></div>
<div id="contentArea">
{body}
</div></div>
<div id="footerArea" role="contentinfo"><ul>{self.chrome_links}</ul></div>
</body></html>
"""

    def index(self) -> str:
        links = "".join(f'<li class="cat"><a href="{self.year_path(y)}">{y} Hallmark Ornaments</a></li>\n'
                        for y in sorted(self.shop.listings, reverse=True))
        return self.page("Hallmark Ornaments By Year", f"<h1>Hallmark Ornaments By Year</h1>\n<ul class=\"cats\">\n{links}</ul>")

    def listing(self, year: int, pids: list[str], number: int, pages: int) -> str:
        cells = "".join(f"""<td class="itemCell"><a href="{product_path(p)}"><img src="/assets/images/thumbnails/{p.sku}.jpg" alt=""></a>
 <div class="itemTitle"><a href="{product_path(p)}">{escape(p.name)}</a></div><div class="itemPrice">${p.price}</div></td>\n"""
                        for p in map(self.shop.by_id, pids))
        base = self.year_path(year)
        pager = (f'<div class="pageNav">Page {number} of {pages} '
                 + (f'<a href="{base}?page={number + 1}">&raquo;</a>' if number < pages else "") + "</div>") if pages > 1 else ""
        return self.page(f"{year} Hallmark Ornaments", f"<h1>{year} Hallmark Ornaments</h1>\n<table class=\"itemsTable\"><tr>\n{cells}</tr></table>\n{pager}")

    def product_page(self, p: Product) -> str:
        offer = {"@type": "Offer", "price": p.price.replace(",", ""), "priceCurrency": "USD",
                 "availability": "https://schema.org/" + ("InStock" if p.available else "OutOfStock")}
        if p.pid.endswith("1"):  # an offers list
            offers: object = [offer, {**offer, "@type": "Offer", "price": "999.00", "availability": "https://schema.org/Discontinued"}]
        elif p.pid.endswith("2"):  # an AggregateOffer
            offers = {"@type": "AggregateOffer", "lowPrice": offer["price"], "highPrice": offer["price"],
                      "priceCurrency": "USD", "offerCount": 1, "offers": [offer]}
        else:
            offers = offer
        data = {"@context": "https://schema.org", "@type": "Product", "name": p.name, "sku": p.sku, "productID": p.pid,
                "brand": {"@type": "Brand", "name": "Hallmark"}, "offers": offers}
        if p.year_on_page:
            data["releaseDate"] = f"{p.year}-07-01"
        if p.image:
            data["image"] = f"{self.host}/assets/images/{p.sku}.jpg"
        text = json.dumps(data, ensure_ascii=False)
        if p.broken:
            text = text[:text.index('"offers"') + 12]
        crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": self.host + "/"},
            {"@type": "ListItem", "position": 2, "name": f"{p.year} Hallmark Ornaments", "item": self.host + self.year_path(p.year)}]}
        head = (f'<script type="application/ld+json">{json.dumps(crumbs)}</script>\n'
                f'<script type="application/ld+json">{text}</script>')
        html = self.page(p.name, f'<h1 class="prodName">{escape(p.name)}</h1>\n<div class="prodPrice">${p.price}</div>', head)
        return html[:html.index("<body>") + 200] if p.broken else html


THEMES = {"hookedonhallmark": HookedTheme, "hallmark_ornaments": HallmarkTheme}


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(u)}</loc><lastmod>2026-10-01</lastmod></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'


def build(shop: Shop, root: Path) -> None:
    theme = THEMES[shop.vendor](shop)
    host = theme.host
    write(root / "robots.txt", ROBOTS + f"\nSitemap: {host}/sitemap.xml\n")
    write(root / theme.index_path.lstrip("/"), theme.index())
    categories = [host + theme.index_path]
    for year, pages in shop.listings.items():
        path = theme.year_path(year).lstrip("/")
        categories.append(f"{host}/{path}")
        for number, pids in enumerate(pages, 1):
            html = theme.listing(year, pids, number, len(pages))
            for name in ([path, f"{path}?viewall=1"] if number == 1 else []) + [f"{path}?page={number}", f"{path}?viewall=1&page={number}"]:
                write(root / name, html)
    for p in shop.products:
        write(root / product_path(p).lstrip("/"), theme.product_page(p))
        if p.image:
            write(root / "assets" / "images" / f"{p.sku}.jpg", IMAGE)
            write(root / "assets" / "images" / "thumbnails" / f"{p.sku}.jpg", IMAGE)
    # A sitemap index: a gzipped products sitemap, and categories (not products: filtered by URL pattern).
    products = urlset([host + product_path(p) for p in shop.products])
    write(root / "sitemap_products_1.xml.gz", gzip.compress(products.encode(), mtime=0))
    write(root / "sitemap_categories.xml", urlset(categories))
    index = "".join(f"<sitemap><loc>{host}/{name}</loc></sitemap>\n" for name in ("sitemap_products_1.xml.gz", "sitemap_categories.xml"))
    write(root / "sitemap.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n')
