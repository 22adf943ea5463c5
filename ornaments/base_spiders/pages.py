"""Reading shop pages by what a platform guarantees rather than by one theme's class names.

- The page's own content: links inside the header, footer, navigation and sidebars (bestsellers,
  "recently viewed", mini cart) belong to every page, so they never count as a listing's products.
- Product links: by the platform's product URL patterns, plus theme hints (CSS) where a shop has no pattern.
- Pagination: `rel=next`, "next" links, and page-number URLs (`?page=N`) beyond the current page.
- Years: the first word of a link's text or image alt, or the first token of its last path segment.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from parsel import Selector
from scrapy.http import Response

from ornaments.normalize import parse_year

# Elements that are page chrome, not the page's content. Tags and ARIA roles are HTML's own; the
# class/id words are what themes of every platform call their side boxes.
CHROME_TAGS = frozenset({"header", "footer", "nav", "aside"})
CHROME_ROLES = frozenset({"banner", "contentinfo", "navigation", "complementary"})
CHROME_WORDS = re.compile(  # anywhere in a class or id: "page-sidebar", "recently-viewed-products"
    r"(?<!has-)(?<!with-)side-?bar|side-?nav|left-?nav|left-?col|right-?col|mini-?cart|recently[\s_-]?viewed|recent-?products|"
    r"best-?sellers?|top-?sellers?|featured-?products|related-?products|upsells?|cross-?sells?|also-?bought|"
    r"mega-?menu|top-?bar|bottom-?bar|utility-?bar", re.I)
CHROME_TOKENS = re.compile(  # a whole class or id only: "card-header" is part of a card
    r"(?:^|\s)(?:(?:site|page|global|main)[-_]?)?(?:header|footer|masthead)(?:$|\s)", re.I)
CONTENT_WORDS = re.compile(r"paging|pagination|pager|breadcrumb", re.I)  # inside a <nav>, but content
NOT_PRODUCT_HREF = re.compile(r"^(?:#|javascript:|mailto:|tel:)|/cart\.|add_cart|[?&]action=add|/compare\b|wishlist", re.I)
NEXT_TEXT = re.compile(r"^\s*(?:next\b|[›»>]+\s*$)", re.I)
PAGE_PARAMS = ("page", "pg", "pagenum")
PAGE_PATH = re.compile(r"/page/(\d+)/?$")


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _is_chrome(element, inside_article: bool) -> bool:
    words = f"{element.get('id', '')} {element.get('class', '')} {element.get('aria-label', '')}"
    if CONTENT_WORDS.search(words):
        return False
    tag = _tag(element)
    # A card's own <header>/<footer> (inside an <article>) is part of the card.
    if tag in CHROME_TAGS and not (inside_article and tag in ("header", "footer")):
        return True
    return (element.get("role", "").lower() in CHROME_ROLES or bool(CHROME_WORDS.search(words))
            or bool(CHROME_TOKENS.search(words)))


def in_content(element) -> bool:
    """True when no ancestor of the lxml element is page chrome (pagination and breadcrumbs are content)."""
    ancestors = list(element.iterancestors())
    tags = [_tag(a) for a in ancestors]
    return not any(_is_chrome(a, "article" in tags[i + 1:]) for i, a in enumerate(ancestors))


def content_links(response: Response | Selector) -> Iterator[Selector]:
    """`a[href]` elements of the page's own content, in document order."""
    for a in response.xpath("//body//a[@href]"):
        if in_content(a.root):
            yield a


def product_links(response: Response, patterns: Iterable[re.Pattern], hints: Iterable[str] = ()) -> list[str]:
    """Absolute URLs of product links in the page's content, in order, each once: links whose URL
    matches a platform pattern, and links the theme hints select."""
    hinted = {a.root for hint in hints for a in response.css(hint)}  # lxml keeps one proxy per live node
    patterns = tuple(patterns)
    found: dict[str, None] = {}
    for a in content_links(response):
        href = a.attrib["href"].strip()
        if NOT_PRODUCT_HREF.search(href):
            continue
        url = response.urljoin(href).split("#", 1)[0]
        if url == response.url:
            continue
        if a.root in hinted or any(p.search(url) for p in patterns):
            found[url] = None
    return list(found)


def chrome_product_links(response: Response, patterns: Iterable[re.Pattern]) -> int:
    """Product-pattern links outside the page's content: said when a listing shows no products, in case
    a theme wraps its content in something that reads as chrome."""
    patterns = tuple(patterns)
    return sum(1 for a in response.xpath("//body//a[@href]")
               if not in_content(a.root) and any(p.search(response.urljoin(a.attrib["href"])) for p in patterns))


def page_number(url: str) -> int | None:
    """The listing page number in a URL (?page=3, /page/3/), or None."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for name in PAGE_PARAMS:
        if name in query and query[name][0].isdigit():
            return int(query[name][0])
    match = PAGE_PATH.search(parts.path)
    return int(match.group(1)) if match else None


def _listing_path(url: str) -> str:
    return PAGE_PATH.sub("/", urlsplit(url).path)


def next_pages(response: Response, extra: Iterable[re.Pattern] = ()) -> list[str]:
    """Further pages of this listing: rel=next, "next" links, and page-number links beyond this page."""
    found: dict[str, None] = {}
    for href in response.xpath("//link[@rel='next']/@href").getall():
        found[response.urljoin(href)] = None
    current = page_number(response.url) or 1
    path = _listing_path(response.url)
    for a in content_links(response):
        href = a.attrib["href"].strip()
        if href.startswith(("#", "javascript:")):
            continue
        url = response.urljoin(href).split("#", 1)[0]
        text = " ".join(a.css("::text").getall()) + " " + a.attrib.get("aria-label", "") + " " + a.attrib.get("title", "")
        rel = a.attrib.get("rel", "").lower().split()
        number = page_number(url)
        same_listing = _listing_path(url) == path and urlsplit(url).netloc == urlsplit(response.url).netloc
        if "next" in rel or (same_listing and NEXT_TEXT.search(text)):
            found[url] = None
        elif same_listing and number is not None and number > current:
            found[url] = None
        elif any(p.search(url) for p in extra):
            found[url] = None
    found.pop(response.url, None)
    return list(found)


def link_year(a: Selector) -> int | None:
    """The year a category link stands for: the first word of its text or image alt, or the first token
    of its last path segment ("/2021-Hallmark-Ornaments_c_321.html", "/2021_c_57.html")."""
    for label in (" ".join(a.css("::text").getall()), a.css("img::attr(alt)").get() or ""):
        words = label.split()
        if words and (year := _year_word(words[0])):
            return year
    segment = urlsplit(a.attrib.get("href", "")).path.rstrip("/").rsplit("/", 1)[-1]
    token = re.split(r"[-_.]", segment, maxsplit=1)[0]
    return _year_word(token)


def _year_word(word: str) -> int | None:
    return parse_year(word) if re.fullmatch(r"\W*(?:19|20)\d\d\W*", word) else None


def year_links(response: Response, exclude: Iterable[re.Pattern] = (),
               require: Iterable[re.Pattern] = ()) -> list[tuple[int, str]]:
    """(year, URL) of the year index's category links, in order, first link of each year."""
    exclude, require = tuple(exclude), tuple(require)
    years: dict[int, str] = {}
    for a in content_links(response):
        url = response.urljoin(a.attrib["href"])
        if any(p.search(url) for p in exclude) or (require and not any(p.search(url) for p in require)):
            continue
        year = link_year(a)
        if year and year not in years:
            years[year] = url
    return list(years.items())


def breadcrumb_year(response: Response) -> int | None:
    """The year a product page's breadcrumb trail names ("Home > 2021 Hallmark Ornaments > ...")."""
    trail = response.xpath('//*[contains(@class, "breadcrumb") or contains(@id, "breadcrumb")]'
                           '[not(ancestor::*[contains(@class, "breadcrumb") or contains(@id, "breadcrumb")])]')
    for crumbs in trail[:1]:
        for text in reversed(crumbs.css("a ::text").getall()):  # links: the page's own crumb may be its name
            words = text.split()
            if words and (year := _year_word(words[0])):
                return year
    return None
