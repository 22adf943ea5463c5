"""What each replica shop sells, and on which listing pages.

The replica files under tests/sites/<vendor>/ are written from these catalogs by
`python -m tests.sites.build`; the tests hold their own hand-written expectations.
Each catalog has: 3 years, a year with two listing pages, sale and out-of-stock products, a product
without an image, a product on two listing pages, a pre-order, names with ™ and é, a price with a thousands
separator, and one product page with broken markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Product:
    pid: str  # the shop's own id
    sku: str
    name: str
    price: str  # what the customer pays, as the shop writes it: "1,299.95"
    year: int
    available: bool = True
    preorder: bool = False  # orderable before release: schema.org says PreOrder, platform flags say "available"
    was: str | None = None  # the regular price while on sale
    image: bool = True
    year_on_page: bool = True  # the product page states the year; otherwise only the listing does
    broken: bool = False  # the product page's markup is cut off / its structured data is unreadable
    slug: str = ""
    description: str = "A Hallmark Keepsake Ornament, dated and boxed."


@dataclass
class Shop:
    vendor: str
    products: list[Product]
    # year -> listing pages, each a list of product ids, in the order the shop shows them
    listings: dict[int, list[list[str]]]
    view_all_only: set[int] = field(default_factory=set)  # years whose page shows only sub-categories
    searches: dict[str, list[str]] = field(default_factory=dict)  # query -> product ids found

    def by_id(self, pid: str) -> Product:
        return next(p for p in self.products if p.pid == pid)


HOOKEDONHALLMARK = Shop(
    vendor="hookedonhallmark",
    products=[
        Product("4101", "QXD6352", "Mickey's Merry Christmas™ 2021", "19.99", 2021, preorder=True,
                slug="mickeys-merry-christmas-2021"),
        Product("4102", "QXR9042", "Crème Brûlée Bakery Ornament", "24.99", 2021, was="29.99",
                slug="creme-brulee-bakery-ornament"),
        Product("4103", "KC2021", "2021 Complete Keepsake Collection (127 Ornaments)", "1,299.95", 2021,
                slug="2021-complete-keepsake-collection"),
        Product("4104", "QX7654", "Frosty Friends 42nd in Series", "22.99", 2021, available=False, image=False,
                year_on_page=False, slug="frosty-friends-42nd-in-series"),
        Product("4201", "QXI6731", "Café Christmas Snow Globe™", "34.99", 2020, slug="cafe-christmas-snow-globe"),
        Product("4202", "QX8921", "Betsey Clark 2020 Ornament", "14.99", 2020, was="17.99", available=False,
                slug="betsey-clark-2020"),
        Product("4203", "QXC4510", "The Nutcracker Ballet Musical Ornament", "45.00", 2020, year_on_page=False,
                slug="nutcracker-ballet-musical"),
        Product("4301", "QX9119", "Santa's Sleigh 2019", "29.99", 2019, slug="santas-sleigh-2019"),
        Product("4302", "QXI4559", "Holiday Barbie™ 2019", "34.99", 2019, broken=True, slug="holiday-barbie-2019"),
        Product("4303", "QXD6129", "Disney Frozen II Elsa™", "16.99", 2019, year_on_page=False,
                slug="disney-frozen-2-elsa"),
    ],
    listings={
        2021: [["4101", "4102", "4103"], ["4102", "4104"]],
        2020: [["4201", "4202", "4203"]],
        2019: [["4301", "4302", "4303"]],
    },
    view_all_only={2020},
)

ORNAMENT_SHOP = Shop(
    vendor="ornament_shop",
    products=[
        Product("1123", "QXD6352", "Mickey's Merry Christmas™ 2021", "21.99", 2021, preorder=True,
                slug="mickeys-merry-christmas-2021"),
        Product("1124", "QXR9042", "Crème Brûlée Bakery Ornament", "27.99", 2021, available=False,
                slug="creme-brulee-bakery-ornament"),
        Product("1050", "QXI6731", "Café Christmas Snow Globe™", "29.99", 2020, was="39.99",
                slug="cafe-christmas-snow-globe"),
        Product("1051", "KC2020", "2020 Keepsake Ornament Collection (118 Ornaments)", "1,149.00", 2020,
                slug="2020-keepsake-ornament-collection"),
        Product("1052", "QX7622", "Frosty Friends 41st in Series", "19.99", 2020, image=False, year_on_page=False,
                slug="frosty-friends-41st-in-series"),
        Product("1053", "QXC4510", "The Nutcracker Ballet Musical Ornament", "45.00", 2020,
                slug="nutcracker-ballet-musical"),
        Product("1001", "QX9119", "Santa's Sleigh 2019", "29.99", 2019, slug="santas-sleigh-2019"),
        Product("1002", "QXI4559", "Holiday Barbie™ 2019", "34.99", 2019, broken=True, slug="holiday-barbie-2019"),
        Product("1003", "QXD6129", "Disney Frozen II Elsa™", "16.99", 2019, available=False, year_on_page=False,
                slug="disney-frozen-2-elsa"),
    ],
    listings={
        2021: [["1123", "1124"]],
        2020: [["1050", "1051", "1052"], ["1051", "1053"]],
        2019: [["1001", "1002", "1003"]],
    },
    searches={"frosty": ["1052"], "snow globe": ["1050"]},
)

HALLMARK_ORNAMENTS = Shop(
    vendor="hallmark_ornaments",
    products=[
        Product("25615", "QX1571", "1975 Betsey Clark (Adorable)", "28.95", 1975, available=False),
        Product("25616", "QX1331", "1975 Raggedy Ann™", "35.00", 1975, image=False, year_on_page=False),
        Product("26001", "QXI6731", "Café Christmas Snow Globe™", "31.99", 2020, was="39.99"),
        Product("26002", "QXI4558", "Holiday Barbie™ 2020", "34.99", 2020, broken=True),
        Product("26101", "QXD6352", "Mickey's Merry Christmas™ 2021", "19.99", 2021, preorder=True),
        Product("26102", "KC2021", "2021 Complete Keepsake Collection (127 Ornaments)", "1,249.50", 2021,
                year_on_page=False),
        Product("26103", "QXR9042", "Crème Brûlée Bakery Ornament", "24.99", 2021, available=False),
    ],
    listings={
        1975: [["25615", "25616"]],
        2020: [["26001", "26002"]],
        2021: [["26101", "26102"], ["26102", "26103"]],
    },
)

SHOPS = {shop.vendor: shop for shop in (HOOKEDONHALLMARK, ORNAMENT_SHOP, HALLMARK_ORNAMENTS)}


def synthetic(vendor: str, products: int, per_page: int = 10) -> Shop:
    """A large generated shop for the benchmark: `products` products over years from 1973, `per_page` a page."""
    items, listings = [], {}
    years = list(range(1973, 2026))
    per_year = -(-products // len(years))
    for index in range(products):
        year = years[index // per_year]
        pid = str(100000 + index)
        price = f"{(index % 90) + 9}.{index % 100:02d}" if index % 50 else f"1,{index % 1000:03d}.00"
        items.append(Product(pid, f"QX{index:05d}", f"Keepsake Ornament № {index} ({year})", price, year,
                             available=index % 7 != 0, image=index % 11 != 0, slug=f"ornament-{pid}"))
        pages = listings.setdefault(year, [[]])
        if len(pages[-1]) == per_page:
            pages.append([])
        pages[-1].append(pid)
    return Shop(vendor=vendor, products=items, listings=listings)
