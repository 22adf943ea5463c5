"""Shift4Shop (3dcart) shops as they are in 2026: static listings, SEO URLs, sitemaps.

Two themes of the same platform, with different class names everywhere:
- hookedonhallmark_2026: year index at the old address, year pages `/<year>-hallmark-ornaments_c_<id>.html`,
  product pages `/<slug>_p_<catalogid>.html` with `var _3d_item`, microdata and breadcrumbs; robots.txt names a
  sitemap index (a gzipped products sitemap and a categories sitemap), with the shop's own host in every URL.
- hallmark_ornaments_2026: year pages `/<year>_c_<id>.html` (ids not sequential), later pages `?page=N`,
  product pages with schema.org Product JSON-LD (an offers list, an AggregateOffer) and no `_3d_item`.
Both put product links of other years in the header, sidebar and footer (bestsellers, recently viewed),
which must never count as a year's products.

Their "paged" variants (hookedonhallmark_paged, hallmark_ornaments_paged) are the live hallmarkornaments.com's
paging: a year's later pages are `/<year>_c_<id>-<n>-<m>.html` (page n of m, a page per product or two),
`?viewall=1` answers the first page only, and the pager sits in a `<nav>` under class names of the theme's
own (numbered links on one theme, only a "›" link on the other). The newest year's pages carry a box of
other years' products in the page content ("Customers love", "Just in"), whose own pages state their year.
hallmark_ornaments_paged's product pages add `var _3d_item` (availability 1 for a pre-order too) to JSON-LD.
"""

from __future__ import annotations

import gzip
import json
import re
from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, schema_availability, write

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

    per_page = 0  # paged variant: products a listing page shows

    def __init__(self, shop: Shop, paged: bool = False):
        self.shop = shop
        self.paged = paged
        chrome = shop.products[-2:] + shop.products[:1]  # bestsellers/recently viewed: other years included
        self.chrome_links = "".join(f'<li><a href="{product_path(p)}">{escape(p.name)}</a></li>' for p in chrome)

    def year_path(self, year: int) -> str:
        raise NotImplementedError

    def page_path(self, year: int, number: int, pages: int) -> str:
        """Page `number` of a year: `?page=N`, or in the paged variant `_c_<id>-<n>-<m>.html`."""
        base = self.year_path(year)
        if not self.paged:
            return f"{base}?page={number}"
        return base if number == 1 else base.replace(".html", f"-{number}-{pages}.html")

    def box(self, year: int) -> str:
        """Paged variant: other years' products in the newest year's content, under class names no list knows."""
        if not self.paged or year != max(self.shop.listings):
            return ""
        others = [p for p in self.shop.products if p.year != year and not p.broken][:2]
        return "".join(f'<a href="{product_path(p)}">{escape(p.name)}</a>' for p in others)

    def item_script(self, p: Product) -> str:
        """`var _3d_item`: availability 1 means orderable, a pre-order included."""
        item = (f'{{catalogid: {p.pid}, id: "{p.sku}", name: {json.dumps(p.name, ensure_ascii=False)}, '
                f'price: {p.price.replace(",", "")}, availability: {1 if p.available else 0}, currency: "USD"}}')
        if p.broken:
            item = item[:item.index("price:") + 7]
        return f"<script>var _3d_item = {item};</script>"

    def page(self, title: str, body: str, head: str = "") -> str:
        raise NotImplementedError

    def listing(self, year: int, pids: list[str], number: int, pages: int) -> str:
        raise NotImplementedError

    def product_page(self, p: Product) -> str:
        raise NotImplementedError


class HookedTheme(Theme):
    per_page = 2
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
        if self.paged:  # only arrows, in a <nav> of the theme's own naming; no rel=next
            head = ""
            steps = ((f'<a href="{self.page_path(year, number - 1, pages)}">‹</a>' if number > 1 else "")
                     + (f'<a class="step" href="{self.page_path(year, number + 1, pages)}">›</a>' if number < pages else ""))
            pager = f'<nav class="catalog-steps">{steps}</nav>'
        else:
            head = f'<link rel="next" href="{base}?page={number + 1}">' if number < pages else ""
            pager = "".join(f'<a href="{base}?page={n}"{" class=current" if n == number else ""}>{n}</a> ' for n in range(1, pages + 1))
            if number < pages:
                pager += f'<a class="pagination-next" href="{base}?page={number + 1}">Next</a>'
            pager = f'<div class="pagination">{pager if pages > 1 else ""}</div>'
        box = self.box(year)
        box = f'<section class="just-in"><h3>Just in</h3>{box}</section>' if box else ""
        return self.page(f"{year} Hallmark Ornaments",
                         f'<h1>{year} Hallmark Ornaments</h1>\n<div class="product-grid">\n{tiles}</div>\n{pager}\n{box}', head)

    def product_page(self, p: Product) -> str:
        year = (f'<div class="extrafield" id="extrafield_2"><span class="label">Year Released:</span> '
                f'<span class="value">{p.year}</span></div>' if p.year_on_page else "")
        image = f'<img class="main-image" itemprop="image" src="/assets/images/{p.sku}.jpg" alt="">' if p.image else ""
        stock = schema_availability(p).rsplit("/", 1)[1]
        body = f"""<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="{self.year_path(p.year)}">{p.year} Hallmark Ornaments</a> &gt; <span>{escape(p.name)}</span></div>
<div class="product-page" itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">{escape(p.name)}</h1>{image}
<div>SKU: <span itemprop="sku">{p.sku}</span></div>{year}
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="priceCurrency" content="USD">
 {f'<s>${p.was}</s>' if p.was else ''} <span itemprop="price" content="{p.price.replace(",", "")}">${p.price}</span>
 <link itemprop="availability" href="https://schema.org/{stock}"></div>
<form name="add" method="post" action="/add_cart.asp"><input type="hidden" name="item_id" value="{p.pid}"></form>
</div>"""
        html = self.page(p.name, body).replace("</body>", f"{self.item_script(p)}\n</body>")
        if p.broken:  # the price never made it into the page either
            html = html[:html.index('<div itemprop="offers"')] + html[html.index("<script>var _3d_item"):]
        return html


class HallmarkTheme(Theme):
    per_page = 1
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
        if self.paged:  # numbered links in a <nav> of the theme's own naming
            links = "".join(f'<a href="{self.page_path(year, n, pages)}">{n}</a> ' if n != number else f"<b>{n}</b> "
                            for n in range(1, pages + 1))
            pager = f'<nav class="cat-nav-links"><span>Page {number} of {pages}</span> {links}</nav>' if pages > 1 else ""
        else:
            pager = (f'<div class="pageNav">Page {number} of {pages} '
                     + (f'<a href="{base}?page={number + 1}">&raquo;</a>' if number < pages else "") + "</div>") if pages > 1 else ""
        box = self.box(year)
        box = f'<div class="cust-faves"><h3>Customers love</h3>{box}</div>' if box else ""
        return self.page(f"{year} Hallmark Ornaments", f"<h1>{year} Hallmark Ornaments</h1>\n<table class=\"itemsTable\"><tr>\n{cells}</tr></table>\n{pager}\n{box}")

    def product_page(self, p: Product) -> str:
        offer = {"@type": "Offer", "price": p.price.replace(",", ""), "priceCurrency": "USD",
                 "availability": schema_availability(p)}
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
        if self.paged:
            html = html.replace("</body>", f"{self.item_script(p)}\n</body>")
        return html[:html.index("<body>") + 200] if p.broken else html


THEMES = {"hookedonhallmark": HookedTheme, "hallmark_ornaments": HallmarkTheme}


def urlset(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(u)}</loc><lastmod>2026-10-01</lastmod></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'


def repage(pages: list[list[str]], per_page: int) -> list[list[str]]:
    """The same listing at `per_page` products a page (a product on two pages stays on two)."""
    flat = [pid for page in pages for pid in page]
    return [flat[i:i + per_page] for i in range(0, len(flat), per_page)]


def build(shop: Shop, root: Path, paged: bool = False) -> None:
    theme = THEMES[shop.vendor](shop, paged)
    host = theme.host
    write(root / "robots.txt", ROBOTS + f"\nSitemap: {host}/sitemap.xml\n")
    write(root / theme.index_path.lstrip("/"), theme.index())
    categories = [host + theme.index_path]
    for year, pages in shop.listings.items():
        path = theme.year_path(year).lstrip("/")
        categories.append(f"{host}/{path}")
        pages = repage(pages, theme.per_page) if paged else pages
        for number, pids in enumerate(pages, 1):
            html = theme.listing(year, pids, number, len(pages))
            if paged:  # ?viewall=1 answers the first page only; later pages only at their own URLs
                names = [path, f"{path}?viewall=1"] if number == 1 else [theme.page_path(year, number, len(pages)).lstrip("/")]
            else:
                names = ([path, f"{path}?viewall=1"] if number == 1 else []) + [f"{path}?page={number}", f"{path}?viewall=1&page={number}"]
            for name in names:
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
