"""ornament-shop.com: BigCommerce, Cornerstone theme.

Year index: as on the live shop, the sub-categories of "Hallmark Ornaments by Year" are listed only in the
sidebar (`<aside class="page-sidebar"><nav><div class="sidebarBlock"> … .navList-item a`), which also sits
on every year page. Category pages with `article.card` (`.card-figure a`, `.card-title a`) and
`.pagination-item--next a`, and on the newest year a "Staff picks" box in the page content (class
names no chrome list knows) holding products of other years; product pages with `h1.productView-title`, `dl.productView-info` dt/dd pairs,
the product id in the cart form's `product_id` input, and schema.org Product JSON-LD.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, schema_availability, write

# BigCommerce's default robots.txt, less /search.php, which this shop opened to its affiliates.
ROBOTS = """User-agent: *
Disallow: /account.php
Disallow: /cart.php
Disallow: /checkout
Disallow: /finishorder.php
Disallow: /login.php
Disallow: /orderstatus.php
Disallow: /postreview.php
Disallow: /productimage.php
Disallow: /productupdates.php
Disallow: /remote.php
Disallow: /viewfile.php
Disallow: /wishlist.php
Disallow: /admin/
Disallow: /__socialshop/
"""


def page(title: str, body: str, page_type: str, head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html class="no-js" lang="en">
<head>
    <title>{escape(title)} - Ornament Shop</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="platform" content="bigcommerce.stencil">
    <link href="https://cdn11.bigcommerce.com/s-x8k2ml/stencil/1f2a/css/theme-1f2a.css" rel="stylesheet">
    {head}
    <script>window.BCData = {{"csrf_token":"c5b8d5","page_type":"{page_type}"}};</script>
</head>
<body class="page-type-{page_type}">
<header class="header" role="banner">
    <div class="header-logo"><a href="/" class="header-logo__link"><span class="header-logo-text">Ornament Shop</span></a></div>
    <nav class="navPages"><ul class="navPages-list">
        <li class="navPages-item"><a class="navPages-action" href="/hallmark-ornaments-by-year.html">Ornaments by Year</a></li>
        <li class="navPages-item"><a class="navPages-action" href="/hallmark-series/">Series</a></li>
    </ul></nav>
    <form class="form" action="/search.php"><input class="form-input" name="search_query" placeholder="Search the store"></form>
</header>
<main class="body" id="main-content" role="main" data-currency-code="USD">
<div class="container">
{body}
</div>
</main>
<footer class="footer" role="contentinfo"><p class="powered-by">&copy; Ornament Shop. Powered by BigCommerce</p></footer>
<script src="https://cdn11.bigcommerce.com/s-x8k2ml/stencil/1f2a/dist/theme-bundle.main.js"></script>
</body>
</html>
"""


def card(p: Product, position: int) -> str:
    image = (f'<img src="/product_images/thumb/{p.pid}.jpg" alt="{escape(p.name)}" title="{escape(p.name)}" '
             f'data-sizes="auto" class="card-image lazyload">' if p.image else
             '<img src="/content/img/ProductDefault.png" alt="Image coming soon" class="card-image lazyload">')
    non_sale = (f'<span data-product-non-sale-price-without-tax class="price price--non-sale">${p.was}</span>'
                if p.was else "")
    return f"""<li class="product">
    <article class="card" data-test="card-{p.pid}" data-entity-id="{p.pid}" data-event-type="list" data-position="{position}">
        <figure class="card-figure">
            <a href="/{p.slug}/" class="card-figure__link" aria-label="{escape(p.name)}" data-event-type="product-click">
                <div class="card-img-container">{image}</div>
            </a>
        </figure>
        <div class="card-body">
            <p class="card-text" data-test-info-type="brandName">Hallmark</p>
            <h3 class="card-title"><a aria-label="{escape(p.name)}" href="/{p.slug}/" data-event-type="product-click">{escape(p.name)}</a></h3>
            <div class="card-text" data-test-info-type="price">
                <div class="price-section price-section--withoutTax">{non_sale}
                    <span data-product-price-without-tax class="price price--withoutTax">${p.price}</span>
                </div>
            </div>
        </div>
    </article>
</li>"""


def sidebar(shop: Shop) -> str:
    """Cornerstone's category sidebar: the sub-categories of "by year", then the brands."""
    years = "\n".join(f'<li class="navList-item"><a class="navList-action" href="/{y}-hallmark-ornaments/">{y} Hallmark Ornaments</a></li>'
                      for y in sorted(shop.listings, reverse=True))
    return f"""<aside class="page-sidebar" id="faceted-search-container"><nav>
<div class="sidebarBlock"><h2 class="sidebarBlock-heading">Hallmark Ornaments by Year</h2><ul class="navList">
{years}
</ul></div>
<div class="sidebarBlock"><h2 class="sidebarBlock-heading">Popular Brands</h2><ul class="navList"><li class="navList-item"><a href="/brands/Hallmark.html">Hallmark</a></li></ul></div>
</nav></aside>"""


def picks(shop: Shop, year: int) -> str:
    """A box of other years' products in the newest year's content, under class names of the theme's own."""
    if year != max(shop.listings):
        return ""
    others = [p for p in shop.products if p.year != year and p.year_on_page and not p.broken][:2]
    cards = "\n".join(card(p, i) for i, p in enumerate(others, 1))
    return f'<section class="hl-picks"><h2 class="hl-picks__title">Staff picks</h2><ul class="productGrid">{cards}</ul></section>'


def category(shop: Shop, title: str, pids: list[str], number: int, pages: int, base: str, year: int | None = None) -> str:
    cards = "\n".join(card(shop.by_id(pid), i) for i, pid in enumerate(pids, 1))
    items = []
    if number > 1:
        items.append(f'<li class="pagination-item pagination-item--previous"><a class="pagination-link" href="{base}?page={number - 1}">Previous</a></li>')
    for n in range(1, pages + 1):
        current = " pagination-item--current" if n == number else ""
        items.append(f'<li class="pagination-item{current}"><a class="pagination-link" href="{base}?page={n}">{n}</a></li>')
    if number < pages:
        items.append(f'<li class="pagination-item pagination-item--next"><a class="pagination-link" href="{base}?page={number + 1}">Next</a></li>')
    return f"""<nav aria-label="Breadcrumb"><ol class="breadcrumbs"><li class="breadcrumb"><a href="/" class="breadcrumb-label">Home</a></li><li class="breadcrumb is-active"><span class="breadcrumb-label">{escape(title)}</span></li></ol></nav>
<h1 class="page-heading">{escape(title)}</h1>
<main class="page-content" id="product-listing-container">
<form class="actionBar" method="get" data-sort-by="product"><select class="form-select form-select--small" name="sort" id="sort"><option value="featured" selected>Featured Items</option><option value="newest">Newest Items</option></select></form>
<div class="productGrid-wrapper"><ul class="productGrid">
{cards}
</ul></div>
<nav class="pagination" aria-label="pagination"><ul class="pagination-list">{''.join(items)}</ul></nav>
{picks(shop, year) if year else ""}
</main>"""


def jsonld(p: Product) -> str:
    data = {
        "@context": "https://schema.org/", "@type": "Product", "name": p.name, "sku": p.sku, "mpn": p.sku,
        "brand": {"@type": "Brand", "name": "Hallmark"}, "description": p.description,
        "offers": {"@type": "Offer", "priceCurrency": "USD", "price": p.price.replace(",", ""),
                   "availability": schema_availability(p),
                   "itemCondition": "https://schema.org/NewCondition", "url": f"https://www.ornament-shop.com/{p.slug}/",
                   "seller": {"@type": "Organization", "name": "Ornament Shop"}},
    }
    if p.image:
        data["image"] = f"/product_images/{p.pid}/{p.slug}.jpg"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if p.broken:  # a template edit broke the script: cut off in the middle of the offer
        text = text[:text.index('"price"') + 10]
    return f'<script type="application/ld+json">\n{text}\n</script>'


def product_page(p: Product) -> str:
    was = (f'<div class="price-section price-section--withoutTax non-sale-price--withoutTax">Was: '
           f'<span data-product-non-sale-price-without-tax class="price price--non-sale">${p.was}</span></div>' if p.was else "")
    year = f'<dt class="productView-info-name">Year:</dt>\n<dd class="productView-info-value">{p.year}</dd>' if p.year_on_page else ""
    stock = "Pre-order: ships in October" if p.preorder else "Usually ships in 24 hours" if p.available else "Out of stock"
    image = (f'<img class="productView-image--default" src="/product_images/{p.pid}/{p.slug}.jpg" alt="{escape(p.name)}">'
             if p.image else '<img class="productView-image--default" src="/content/img/ProductDefault.png" alt="Image coming soon">')
    button = ('<input id="form-action-addToCart" class="button button--primary" type="submit" value="Add to Cart">' if p.available
              else '<input id="form-action-addToCart" class="button button--primary" type="submit" value="Out of stock" disabled>')
    body = f"""<div class="productView" data-event-type="product" data-entity-id="{p.pid}">
<section class="productView-images"><figure class="productView-image">{image}</figure></section>
<section class="productView-details product-data">
    <div class="productView-product">
        <h1 class="productView-title">{escape(p.name)}</h1>
        <h2 class="productView-brand"><a href="/brands/Hallmark.html"><span>Hallmark</span></a></h2>
        <div class="productView-price">{was}
            <div class="price-section price-section--withoutTax"><span data-product-price-without-tax class="price price--withoutTax">${p.price}</span></div>
        </div>
        <dl class="productView-info">
            <dt class="productView-info-name">SKU:</dt>
            <dd class="productView-info-value" data-product-sku>{p.sku}</dd>
            <dt class="productView-info-name">Availability:</dt>
            <dd class="productView-info-value">{stock}</dd>
            {year}
        </dl>
    </div>
</section>
<section class="productView-details product-options">
    <form class="form" method="post" action="/cart.php" enctype="multipart/form-data" data-cart-item-add>
        <input type="hidden" name="action" value="add">
        <input type="hidden" name="product_id" value="{p.pid}"/>
        <div class="form-field form-field--increments"><input class="form-input form-input--incrementTotal" id="qty[]" name="qty[]" type="tel" value="1"></div>
        <div class="form-action">{button}</div>
    </form>
</section>
<article class="productView-description"><div class="tabs-contents"><p>{escape(p.description)}</p></div></article>
</div>"""
    html = page(p.name, body, "product", head=jsonld(p))
    if p.broken:  # and the page itself stops short
        html = html[:html.index('<div class="productView-price">')]
    return html


def build(shop: Shop, root: Path) -> None:
    write(root / "robots.txt", ROBOTS)
    write(root / "hallmark-ornaments-by-year.html",
          page("Hallmark Ornaments by Year", f'<div class="page">{sidebar(shop)}\n<div class="page-content">'
               f'<h1 class="page-heading">Hallmark Ornaments by Year</h1><p>Every Keepsake year we carry.</p></div></div>', "category"))
    for year, pages in shop.listings.items():
        base = f"/{year}-hallmark-ornaments/"
        for number, pids in enumerate(pages, 1):
            name = base.lstrip("/") + ("index.html" if number == 1 else f"?page={number}")
            body = category(shop, f"{year} Hallmark Ornaments", pids, number, len(pages), base, year)
            write(root / name, page(f"{year} Hallmark Ornaments", f'<div class="page">{sidebar(shop)}\n{body}</div>', "category"))
        # ?page=1 is the first page too (the pagination links it)
        body = category(shop, f"{year} Hallmark Ornaments", pages[0], 1, len(pages), base, year)
        write(root / base.lstrip("/") / "?page=1", page(f"{year} Hallmark Ornaments", f'<div class="page">{sidebar(shop)}\n{body}</div>', "category"))
    for query, pids in shop.searches.items():
        body = category(shop, f"Search results for '{query}'", pids, 1, 1, "/search.php")
        write(root / f"search.php?search_query={query.replace(' ', '+')}", page("Search Results", body, "search"))
    for p in shop.products:
        write(root / p.slug / "index.html", product_page(p))
        if p.image:
            write(root / "product_images" / p.pid / f"{p.slug}.jpg", IMAGE)
            write(root / "product_images" / "thumb" / f"{p.pid}.jpg", IMAGE)
