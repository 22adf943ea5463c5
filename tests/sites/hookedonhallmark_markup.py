"""hookedonhallmark.com: its own (table-era) layout, no structured data.

Year index `.columns-5 li` links; year pages with `.product-item` / `.name a`, a `.paging` "Next" link,
or only `.sub-categories` with a "View All" page; product pages with `h1`, `#product_id` (SKU),
`#price`, `#availability` and the product id as the first input of the `#add` form.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, write

ROBOTS = """User-agent: *
Disallow: /cart.php
Disallow: /checkout.php
Disallow: /account.php
Crawl-delay: 1
"""


def page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{escape(title)} | Hooked on Hallmark</title>
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<script type="text/javascript" src="/js/jquery-1.7.2.min.js"></script>
</head>
<body>
<div id="wrapper">
 <div id="header"><a href="/"><img src="/images/logo.gif" alt="Hooked on Hallmark" /></a>
  <div id="cart-summary"><a href="/cart.php">View Cart</a> | <a href="/account.php">My Account</a></div>
  <form id="search" action="/search.php" method="get"><input type="text" name="keyword" /><input type="submit" value="Search" /></form>
 </div>
 <div id="left-nav"><ul>
  <li><a href="/keepsake-hallmark-ornaments-by-year.html">Ornaments by Year</a></li>
  <li><a href="/hallmark-ornament-series.html">Series</a></li>
  <li><a href="/new-arrivals.html">New Arrivals</a></li></ul></div>
 <div id="content">
{body}
 </div>
 <div id="footer">&copy; Hooked on Hallmark. Hallmark and Keepsake are trademarks of Hallmark Licensing, LLC.</div>
</div>
</body>
</html>
"""


def year_url(year: int) -> str:
    return f"/{year}-hallmark-ornaments.html"


def listing_item(p: Product) -> str:
    image = (f'<a href="/{p.slug}.html"><img src="/images/thumbs/{p.pid}.jpg" alt="{escape(p.name)}" /></a>'
             if p.image else '<img src="/images/no-image.gif" alt="" />')
    was = f'<span class="was">${p.was}</span> ' if p.was else ""
    stock = "" if p.available else '<div class="sold-out">Sold Out</div>'
    return f"""   <div class="product-item">
    <div class="image">{image}</div>
    <div class="name"><a href="/{p.slug}.html">{escape(p.name)}</a></div>
    <div class="price">{was}${p.price}</div>{stock}
   </div>"""


def listing(shop: Shop, year: int, pids: list[str], number: int, pages: int, base: str) -> str:
    items = "\n".join(listing_item(shop.by_id(pid)) for pid in pids)
    paging = f'Page {number} of {pages}'
    if number > 1:
        paging = f'<a href="{base}{"" if number == 2 else f"?page={number - 1}"}">&laquo; Prev</a> ' + paging
    if number < pages:
        paging += f' <a href="{base}?page={number + 1}">Next &raquo;</a>'
    return f"""<h1>{year} Hallmark Keepsake Ornaments</h1>
<div class="category-description"><p>All {year} Keepsake Ornaments we have in stock or on order.</p></div>
<div class="product-list">
{items}
</div>
<div class="paging">{paging}</div>"""


def product_page(p: Product) -> str:
    was = f'<span class="old-price">Retail: ${p.was}</span> ' if p.was else ""
    year = f'<tr><td class="label">Year:</td><td>{p.year}</td></tr>' if p.year_on_page else ""
    image = (f'<div id="main-image"><img src="/images/products/{p.pid}.jpg" alt="{escape(p.name)}" /></div>'
             if p.image else '<div id="main-image"><img src="/images/no-image.gif" alt="No image available" /></div>')
    stock = "Pre-order" if p.preorder else "In Stock" if p.available else "Out of Stock"
    body = f"""<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="{year_url(p.year)}">{p.year} Ornaments</a></div>
<h1>{escape(p.name)}</h1>
{image}
<table class="product-details">
 <tr><td class="label">Item #:</td><td id="product_id">{p.sku}</td></tr>
 {year}
 <tr><td class="label">Price:</td><td>{was}<span id="price">${p.price}</span></td></tr>
 <tr><td class="label">Availability:</td><td id="availability">{stock}</td></tr>
</table>
<form id="add" action="/cart.php" method="post">
 <input type="hidden" name="id" value="{p.pid}" />
 <input type="hidden" name="mode" value="add" />
 Qty: <input type="text" name="qty" value="1" size="2" />
 <input type="submit" value="Add to Cart"{'' if p.available else ' disabled="disabled"'} />
</form>
<div class="description"><p>{escape(p.description)}</p></div>"""
    html = page(p.name, body)
    if p.broken:  # the server stopped mid-page: no price, no closing tags
        html = html[:html.index("<table class=\"product-details\">") + 60]
    return html


def build(shop: Shop, root: Path) -> None:
    write(root / "robots.txt", ROBOTS)
    links = "\n".join(
        f'  <li><a href="{year_url(y)}"><img src="/images/years/{y}.jpg" alt="{y} Hallmark Ornaments" />'
        f'<span>{y} Ornaments</span></a></li>' for y in sorted(shop.listings, reverse=True))
    write(root / "keepsake-hallmark-ornaments-by-year.html",
          page("Keepsake Hallmark Ornaments by Year", f'<h1>Hallmark Ornaments by Year</h1>\n<div class="columns-5"><ul>\n{links}\n</ul></div>'))
    for year, pages in shop.listings.items():
        if year in shop.view_all_only:
            base = f"/{year}-hallmark-ornaments-view-all.html"
            subs = (f'<div class="sub-categories"><ul>\n <li><a href="/{year}-keepsake-club.html">{year} Keepsake Club</a></li>\n'
                    f' <li><a href="{base}">View All {year} Ornaments</a></li>\n</ul></div>')
            write(root / year_url(year).lstrip("/"), page(f"{year} Ornaments", f"<h1>{year} Hallmark Keepsake Ornaments</h1>\n{subs}"))
            write(root / f"{year}-keepsake-club.html",
                  page(f"{year} Keepsake Club", listing(shop, year, pages[0][-1:], 1, 1, f"/{year}-keepsake-club.html")))
        else:
            base = year_url(year)
        for number, pids in enumerate(pages, 1):
            name = base.lstrip("/") + ("" if number == 1 else f"?page={number}")
            write(root / name, page(f"{year} Ornaments", listing(shop, year, pids, number, len(pages), base)))
    for p in shop.products:
        write(root / f"{p.slug}.html", product_page(p))
        if p.image:
            write(root / "images" / "products" / f"{p.pid}.jpg", IMAGE)
            write(root / "images" / "thumbs" / f"{p.pid}.jpg", IMAGE)
