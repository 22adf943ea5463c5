"""hallmarkornaments.com: 3dcart / Shift4Shop.

Year index `/Hallmark-Ornaments-By-Year_c_200.html` with `a.subcat` links `/<year>-..._c_<n>.html`; the
category grid (`?viewall=1`) is built in the browser by the theme's script from the store's JSON, so a
plain request sees an empty `#itemsBlock`. Product pages `product.asp?itemid=<catalogid>` carry
`var _3d_item = {catalogid, id, name, price, availability, currency}` and schema.org microdata.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from tests.sites.catalog import Product, Shop
from tests.sites.common import IMAGE, write

ROBOTS = """User-agent: *
Disallow: /view_cart.asp
Disallow: /checkout.asp
Disallow: /myaccount.asp
Disallow: /wishlist.asp
"""

# The theme's category script: fetch the page of items, then build the grid and the pager.
GRID_JS = """(function () {
  var block = document.getElementById('itemsBlock');
  var params = new URLSearchParams(window.location.search);
  var page = params.get('page') || '1';
  function money(v) { return '$' + Number(v).toLocaleString('en-US', {minimumFractionDigits: 2}); }
  window.setTimeout(function () {
    fetch('/assets/category/items_' + block.dataset.catid + '_' + page + '.json')
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var html = '';
        data.items.forEach(function (it) {
          html += '<div class="product-item item-' + it.catalogid + '" data-catalogid="' + it.catalogid + '">'
            + '<div class="product-image"><a href="product.asp?itemid=' + it.catalogid + '">'
            + (it.image ? '<img src="' + it.image + '" alt="">' : '<img src="assets/images/default/nophoto.gif" alt="">')
            + '</a></div><div class="product-name"><a href="product.asp?itemid=' + it.catalogid + '">' + it.name + '</a></div>'
            + '<div class="product-price">' + (it.retailprice ? '<span class="retail">' + money(it.retailprice) + '</span> ' : '')
            + money(it.price) + '</div></div>';
        });
        block.innerHTML = html || '<div class="category-empty">No items found in this category.</div>';
        if (data.next) {
          document.getElementById('paging').innerHTML =
            '<a class="next-page" href="' + window.location.pathname + '?viewall=1&page=' + data.next + '">Next Page</a>';
        }
      });
  }, 150);
})();
"""


def page(title: str, body: str, scripts: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<meta name="generator" content="3dcart">
<link rel="stylesheet" href="/assets/templates/ornaments/css/style.css">
</head>
<body>
<div id="header"><a href="default.asp" id="logo"><img src="/assets/images/logo.png" alt="Hallmark Ornaments"></a>
<form id="searchForm" action="search.asp" method="get"><input type="text" name="keyword" id="searchBox"></form>
<a href="view_cart.asp" id="cartLink">Cart</a></div>
<div id="mainContent">
{body}
</div>
<div id="footer">Hallmark Ornaments &middot; Powered by 3dcart</div>
{scripts}
</body>
</html>
"""


def year_path(year: int) -> str:
    return f"{year}-Hallmark-Ornaments_c_{year - 1700}.html"


def product_page(p: Product) -> str:
    retail = f'<div class="retail-price">Retail Price: <span>${p.was}</span></div>' if p.was else ""
    year = (f'<div class="extrafield" id="extrafield_1"><span class="label">Year Released:</span> '
            f'<span class="value">{p.year}</span></div>' if p.year_on_page else "")
    stock = (("PreOrder", "Pre-Order: ships in October") if p.preorder else ("InStock", "In Stock") if p.available
             else ("OutOfStock", "Out of Stock"))
    image = (f'<img id="large" itemprop="image" src="assets/images/{p.sku}.jpg" alt="{escape(p.name)}">' if p.image
             else '<img id="large" src="assets/images/default/nophoto.gif" alt="No photo">')
    item = (f'{{catalogid: {p.pid}, id: "{p.sku}", name: {json.dumps(p.name, ensure_ascii=False)}, '
            f'price: {p.price.replace(",", "")}, availability: {1 if p.available else 0}, currency: \'USD\', '
            f'category: "{p.year} Hallmark Ornaments"}}')
    if p.broken:  # a template edit left the object half-written
        item = item[:item.index("price:") + 7]
    body = f"""<div id="productPage" itemscope itemtype="http://schema.org/Product">
<div class="breadcrumbs"><a href="default.asp">Home</a> &gt; <a href="{year_path(p.year)}">{p.year} Hallmark Ornaments</a></div>
<h1 itemprop="name" class="page_headers">{escape(p.name)}</h1>
<div class="prod-image">{image}</div>
<div class="prod-info">
<div class="product-id">Item #: <span id="product_id" itemprop="sku">{p.sku}</span></div>
{year}
<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
 {retail}
 <div class="price">Price: <span id="price" itemprop="price" content="{p.price.replace(",", "")}">${p.price}</span></div>
 <meta itemprop="priceCurrency" content="USD">
 <div id="availability"><link itemprop="availability" href="http://schema.org/{stock[0]}">{stock[1]}</div>
</div>
<form method="post" name="add" action="add_cart.asp"><input type="hidden" name="item_id" value="{p.pid}">
<input type="text" name="qty-0" value="1"><input type="submit" value="Add To Cart"{'' if p.available else ' disabled'}></form>
</div>
<div id="description" itemprop="description">{escape(p.description)}</div>
</div>"""
    html = page(p.name, body, f"<script>\nvar _3d_item = {item};\n</script>")
    if p.broken:
        html = html[:html.index("<div class=\"price\">")] + html[html.index("<script>"):html.index("</script>") + 10]
    return html


# Another theme version of the same shop: the grid's tiles, names and pager under other class names and ids.
OTHER_THEME = (("'product-item item-'", "'prod-card card-'"), ("product-image", "prod-card__img"),
               ("product-name", "prod-card__title"), ("product-price", "prod-card__price"),
               ("category-empty", "no-results"), ("next-page", "pager__next"), ("'paging'", "'pager'"),
               ("'itemsBlock'", "'catalogGrid'"))


def other_theme(html: str) -> str:
    for ours, theirs in OTHER_THEME:
        html = html.replace(ours, theirs).replace(ours.strip("'"), theirs.strip("'"))
    return html


def build(shop: Shop, root: Path, theme: str = "classic") -> None:
    """theme "other": the same shop and platform, another theme version (tiles with other class names)."""
    build_classic(shop, root)
    write(root / "sitemap.xml", sitemap(shop))
    if theme == "other":
        for path in [root / "assets" / "category-grid.js", *root.glob("*_c_*")]:
            path.write_text(other_theme(path.read_text(encoding="utf-8")), encoding="utf-8")


def sitemap(shop: Shop) -> str:
    host = "https://www.hallmarkornaments.com"
    urls = [f"{host}/{year_path(y)}" for y in shop.listings] + [f"{host}/product.asp?itemid={p.pid}" for p in shop.products]
    entries = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'


def build_classic(shop: Shop, root: Path) -> None:
    write(root / "robots.txt", ROBOTS)
    links = "\n".join(
        f'<div class="subcategory"><a class="subcat" href="{year_path(y)}"><img src="assets/images/years/{y}.jpg" alt="">'
        f'<span>{y} Hallmark Ornaments</span></a></div>' for y in sorted(shop.listings, reverse=True))
    write(root / "Hallmark-Ornaments-By-Year_c_200.html",
          page("Hallmark Ornaments By Year", f'<h1 class="page_headers">Hallmark Ornaments By Year</h1>\n<div id="categoryBlock">\n{links}\n</div>'))
    write(root / "assets" / "category-grid.js", GRID_JS)
    for year, pages in shop.listings.items():
        catid = year - 1700
        grid = (f'<h1 class="page_headers">{year} Hallmark Ornaments</h1>\n'
                f'<div id="itemsBlock" class="category-items" data-catid="{catid}"></div>\n<div id="paging" class="paging"></div>')
        html = page(f"{year} Hallmark Ornaments", grid, '<script src="/assets/category-grid.js"></script>')
        write(root / year_path(year), html)
        for number, pids in enumerate(pages, 1):
            write(root / f"{year_path(year)}?viewall=1" if number == 1 else root / f"{year_path(year)}?viewall=1&page={number}", html)
            items = [{"catalogid": int(p.pid), "name": escape(p.name), "price": float(p.price.replace(",", "")),
                      "retailprice": float(p.was) if p.was else None,
                      "image": f"assets/images/thumbnails/{p.sku}.jpg" if p.image else None}
                     for p in map(shop.by_id, pids)]
            data = {"items": items, "next": number + 1 if number < len(pages) else None}
            write(root / "assets" / "category" / f"items_{catid}_{number}.json", json.dumps(data, ensure_ascii=False))
    for p in shop.products:
        write(root / f"product.asp?itemid={p.pid}", product_page(p))
        if p.image:
            write(root / "assets" / "images" / f"{p.sku}.jpg", IMAGE)
            write(root / "assets" / "images" / "thumbnails" / f"{p.sku}.jpg", IMAGE)
