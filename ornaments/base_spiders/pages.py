"""Reading shop pages by what a platform guarantees rather than by one theme's class names.

- The page's own content: links inside the header, footer, navigation and sidebars (bestsellers,
  "recently viewed", mini cart) belong to every page, so they never count as a listing's products.
- Product links: by the platform's product URL patterns, plus theme hints (CSS) where a shop has no pattern.
- Pagination: `rel=next`, "next" links, and page-number URLs (`?page=N`, `/page/N/`, a platform's own
  pattern such as Shift4Shop's `_c_<id>-<n>-<m>.html`) beyond the current page, wherever the pager sits:
  a link to a later page of this very listing is never another page's chrome.
- Years: the first word of a link's text or image alt, or the first token of its last path segment. A
  year index's category links may sit in navigation (BigCommerce Cornerstone lists sub-categories in its
  sidebar): links of navigation blocks count there too, never those of the site header or footer.
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
PAGE_PATH = re.compile(r"(?<=/)page/(?P<page>\d+)/?$")
OUTER_BARS = re.compile(r"(?<![a-z])(?:top|bottom)[-_]?bar", re.I)  # "topBar", "bottom-bar"; not "desktop-bar"
MAX_PAGES_AHEAD = 500  # pages asked for at once from a page count in a URL (a typo must not ask for millions)


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _is_outer_chrome(element) -> bool:
    """The site's banner or footer (header, footer, top/bottom bars): never a page's own navigation."""
    words = f"{element.get('id', '')} {element.get('class', '')}"
    return (_tag(element) in ("header", "footer") or element.get("role", "").lower() in ("banner", "contentinfo")
            or bool(CHROME_TOKENS.search(words)) or bool(OUTER_BARS.search(words)))


def _in_outer_chrome(element) -> bool:
    return any(_is_outer_chrome(e) for e in element.iterancestors())


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
    return chrome_block(element) is None


def chrome_block(element):
    """The outermost ancestor of the lxml element that is page chrome, or None (the page's content)."""
    ancestors = list(element.iterancestors())
    tags = [_tag(a) for a in ancestors]
    chrome = [a for i, a in enumerate(ancestors) if _is_chrome(a, "article" in tags[i + 1:])]
    return chrome[-1] if chrome else None


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


def page_number(url: str, patterns: Iterable[re.Pattern] = ()) -> int | None:
    """The listing page number in a URL (?page=3, /page/3/, a platform's page-URL pattern), or None."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for name in PAGE_PARAMS:
        if name in query and query[name][0].isdigit():
            return int(query[name][0])
    for pattern in (PAGE_PATH, *patterns):
        if match := pattern.search(parts.path):
            return int(match.group("page"))
    return None


def _listing_path(url: str, patterns: Iterable[re.Pattern] = ()) -> str:
    """The listing a page URL belongs to: its path without the page part (a pattern's `base` group is kept)."""
    path = urlsplit(url).path
    for pattern in (PAGE_PATH, *patterns):
        path = pattern.sub(lambda m: m.groupdict().get("base") or "", path)
    return path


def _pages_up_to(url: str, current: int, patterns: Iterable[re.Pattern]) -> list[str]:
    """Every later page of a listing whose page URLs state the page count ("-2-3.html": page 2 of 3)."""
    parts = urlsplit(url)
    for pattern in patterns:
        match = pattern.search(parts.path)
        if match and "pages" in pattern.groupindex and match.group("pages"):
            start, end = match.span("page")
            last = min(int(match.group("pages")), current + MAX_PAGES_AHEAD)
            return [url.replace(parts.path, parts.path[:start] + str(n) + parts.path[end:], 1)
                    for n in range(current + 1, last + 1)]
    return []


def next_pages(response: Response, extra: Iterable[re.Pattern] = (),
               page_patterns: Iterable[re.Pattern] = ()) -> list[str]:
    """Further pages of this listing: rel=next, "next" links, and page-number links beyond this page.

    Links of the page's content count (and `extra` patterns: sub-categories); links to a later page of
    this same listing count wherever they sit but in the site's header and footer, so a pager whose class
    names read as chrome (a `<nav>`, a "sidebar-pages" box) is still followed. Where page URLs state the
    page count, every later page is asked for.
    """
    page_patterns = tuple(page_patterns)
    found: dict[str, None] = {}
    current = page_number(response.url, page_patterns) or 1
    for href in response.xpath("//link[@rel='next']/@href").getall():
        found[response.urljoin(href)] = None  # a head's rel=next alone: the page count its URL states, too
        found.update(dict.fromkeys(_pages_up_to(response.urljoin(href), current, page_patterns)))
    path = _listing_path(response.url, page_patterns)
    host = urlsplit(response.url).netloc
    for a in response.xpath("//body//a[@href]"):
        href = a.attrib["href"].strip()
        if href.startswith(("#", "javascript:")):
            continue
        url = response.urljoin(href).split("#", 1)[0]
        text = " ".join(a.css("::text").getall()) + " " + a.attrib.get("aria-label", "") + " " + a.attrib.get("title", "")
        rel = a.attrib.get("rel", "").lower().split()
        number = page_number(url, page_patterns)
        same_listing = _listing_path(url, page_patterns) == path and urlsplit(url).netloc == host
        if same_listing and number is not None and number > current and not _in_outer_chrome(a.root):
            found[url] = None
            found.update(dict.fromkeys(_pages_up_to(url, current, page_patterns)))
        elif not in_content(a.root):
            continue  # a later page of this listing is never chrome; anything else there is
        elif "next" in rel or (same_listing and NEXT_TEXT.search(text)):
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
               require: Iterable[re.Pattern] = (), product_hints: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(year, URL) of the year index's category links, first link of each year: those of the page's
    content first, then those of navigation blocks (a sidebar's category list) linking two years or more.
    The site header and footer never count: their "2019 sale" links are promotions, not the index; nor do
    product links (URL patterns `exclude`, theme `product_hints`): a "2009 Hallmark Santa" card of a best
    sellers carousel is a product, not the year 2009."""
    exclude, require = tuple(exclude), tuple(require)
    products = {a.root for hint in product_hints for a in response.css(hint)}
    content: dict[int, str] = {}
    navigation: dict[object, dict[int, str]] = {}  # chrome block -> its year links
    for a in response.xpath("//body//a[@href]"):
        url = response.urljoin(a.attrib["href"])
        if any(p.search(url) for p in exclude) or (require and not any(p.search(url) for p in require)):
            continue
        if a.root in products:
            continue
        year = link_year(a)
        if not year:
            continue
        block = chrome_block(a.root)
        if block is None:
            content.setdefault(year, url)
        elif not _in_outer_chrome(a.root):
            navigation.setdefault(block, {}).setdefault(year, url)
    years = dict(content)
    for links in navigation.values():
        if len(links) >= 2:  # a list of years, not one promotion
            for year, url in links.items():
                years.setdefault(year, url)
    return list(years.items())


CRUMB_WORDS = ("crumb", "trail", "navpath", "nav-path", "nav_path")  # in a class, id or aria-label
MAX_CRUMBS = 8  # links of a breadcrumb trail; more is a menu


def _crumb_trails(response: Response) -> list:
    """Breadcrumb trails: elements named so (any case, any of CRUMB_WORDS), else the content's smallest
    element holding a "Home" link and a few more links (a trail whatever its class names)."""
    named = " or ".join(f"contains(translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{word}')"
                        for attr in ("class", "id", "aria-label") for word in CRUMB_WORDS)
    trails = response.xpath(f"//body//*[{named}][not(ancestor::*[{named}])]")
    if trails:
        return trails[:1]
    for home in response.xpath('//body//a[normalize-space()="Home"]'):
        if not in_content(home.root):
            continue
        for container in home.xpath("ancestor::*[count(.//a) >= 2][1]"):
            if len(container.xpath(".//a")) <= MAX_CRUMBS:
                return [container]
    return []


def breadcrumb_year(response: Response) -> int | None:
    """The year a product page's breadcrumb trail names ("Home > 2021 Hallmark Ornaments > ...")."""
    for crumbs in _crumb_trails(response):
        for text in reversed(crumbs.css("a ::text").getall()):  # links: the page's own crumb may be its name
            words = text.split()
            if words and (year := _year_word(words[0])):
                return year
    return None


YEAR_LABEL = (r"(?:(?:release[ds]?|issue[ds]?|production|original\s+release)\s+)?year"
              r"(?:\s+(?:released|issued|dated|of\s+(?:release|issue)))?"
              r"|(?:original\s+)?released?(?:\s+(?:date|in|on))?|issue\s+date|date\s+(?:released|issued)|dated")
_LABEL_ONLY = re.compile(rf"(?:{YEAR_LABEL})\s*:?", re.I)
# a year alone, or a date ("2009-07-01", "07/01/2009", "July 2009"); "1980 (first in series)" is no value
_YEAR_VALUE = r"(?:[A-Za-z]{3,9}\.?\s+(?:\d{1,2},?\s+)?|(?:\d{1,2}[/.-]){1,2})?((?:19|20)\d\d)(?:[/.-]\d{1,2}){0,2}"
_LABEL_AND_YEAR = re.compile(rf"(?:{YEAR_LABEL})\s*:?\s*{_YEAR_VALUE}", re.I)
_YEAR_ONLY = re.compile(rf"\s*{_YEAR_VALUE}\s*")


def _squeeze(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())  # normalize-space() keeps no-break spaces


def labelled_year(response: Response) -> int | None:
    """The year a product page states in a labelled field of its content, whatever the markup: a store's
    extra field or custom field ("Year Released:" then "2021" in the next element, "Year: 2021" in one),
    a dt/dd pair, a table row; labels of a release date too ("Release Date: 07/01/2009", "Dated: 1998").
    Only a value that is a year or a date alone counts ("1980 (first in series)" does not)."""
    path = "//body//text()[contains(translate(., 'YEARDT', 'yeardt'), 'year') or contains(translate(., 'YEARDT', 'yeardt'), 'date')" \
           " or contains(translate(., 'RELAS', 'relas'), 'release')]/.."
    for element in response.xpath(path):
        text = _squeeze(" ".join(element.xpath("normalize-space()").getall()))
        if len(text) > 40 or not in_content(element.root):
            continue
        if match := _LABEL_AND_YEAR.fullmatch(text):
            return parse_year(match.group(1))
        if _LABEL_ONLY.fullmatch(text):
            tail = element.root.tail or ""
            value = tail if tail.strip() else " ".join(element.xpath("following-sibling::*[1]").xpath("normalize-space()").getall())
            if match := _YEAR_ONLY.fullmatch(_squeeze(value)):
                return parse_year(match.group(1))
    return None

