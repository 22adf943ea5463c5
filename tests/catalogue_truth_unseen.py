"""A second truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has
not seen"), designed apart from tests/catalogue_truth.py and after how real shops publish listings
(Shopify and WooCommerce exports, Merchant, Awin and CJ feeds, second-hand resellers; the quirks of
../shared/real-data/): the number in the URL slug and the image file names, labelled in a description
("Item #: QXI7288", "Hallmark # QXD4116", "Style QX9201", "Keepsake Ornament QX9201"), skus such as
`HMK-QX9201`, `QX-9201`, `QX9201.`, `2023QX9201`, `QX 920-1`, lower case, GTINs as UPC-12, EAN-13 or
GTIN-14 with spaces or dashes in the gtin field, the sku or the description, a spreadsheet-mangled
barcode, odd brand spellings or none.

Its traps are the ones that cost precision: descriptions naming other ornaments' numbers ("Pairs with
last year's QX...", "Also see ..."), bundles naming several numbers, shops' own ids made of digits,
a number Hallmark used in two years, Magic and plain versions, repaints, one series over the years,
one name in two years.

Every listing carries its truth (`truth`, the real product) and whether it shows its product's number
or GTIN anywhere a person could read it (`shows_key`: the listings rungs 1-2 should link at all). This
file describes shops, not the matcher: it must not be tuned to what ornaments/catalogue reads.

`python -m tests.catalogue_truth_unseen` prints the size of what it makes."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import with_check as _check, shown, summary  # noqa: F401 (shown: the tests read it from here)


@dataclass(frozen=True)
class Product:
    key: str
    number: str  # Hallmark's item number, e.g. QX9201
    name: str
    year: int
    upc: str | None  # a UPC-12, or None when Hallmark's barcode is not known to shops



def _upc(rng: random.Random) -> str:
    return _check("763795" + "".join(str(rng.randint(0, 9)) for _ in range(5)))  # Hallmark's company prefix


def _products(rng: random.Random) -> list[Product]:
    """Families of real-looking ornaments: series over the years with their Magic versions and
    repaints, one name sold every year, a number used twice, miniatures and club pieces."""
    made: list[Product] = []
    used: set[str] = set()

    def add(key: str, prefix: str, name: str, year: int, number: str | None = None, barcode: bool = True) -> Product:
        while number is None or (number in used and not key.endswith("-reused")):
            number = f"{prefix}{rng.randint(1000, 9999)}"
        used.add(number)
        product = Product(key, number, name, year, _upc(rng) if barcode and rng.random() < 0.7 else None)
        made.append(product)
        return product

    ordinal = lambda n: f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    series = [("Frosty Friends", 40), ("Nostalgic Houses and Shops", 36), ("Here Comes Santa", 41),
              ("Snow Buddies", 22), ("Mischievous Kittens", 21), ("Holiday Barbie", 5), ("Kiddie Car Classics", 26),
              ("Sky's the Limit", 23), ("Lionel Trains", 24), ("Christmas Window", 17)]
    for s, (title, first) in enumerate(series):
        for year in range(2019, 2024):
            add(f"{title}-{year}", "QX", f"{title} {ordinal(first + year - 2019)} in Series", year)
        if s % 3 == 0:
            add(f"{title}-2022-repaint", "QX", f"{title} {ordinal(first + 3)} in Series Repaint", 2022)
    for title, year in [("Darth Vader", 2021), ("The Mandalorian and Grogu", 2022), ("Millennium Falcon", 2020),
                        ("Santa's Sleigh", 2023), ("Peanuts Christmas Pageant", 2021)]:
        add(f"{title}-{year}", "QX", title, year)
        add(f"{title}-{year}-magic", "QXI", f"{title} Magic Ornament With Light and Sound", year)
    for year in range(2020, 2024):  # one name every year
        add(f"babys-first-{year}", "QXD", "Baby's First Christmas", year)
        add(f"our-first-{year}", "QXR", "Our First Christmas Together", year)
    for title, year in [("Tiny Rocking Horse", 2021), ("Mini Santa's Sleigh", 2022), ("Miniature Nutcracker", 2023)]:
        add(f"{title}-{year}", "QXM", title, year)
    add("koc-2022", "QXC", "Keepsake Ornament Club Holiday Wreath", 2022)
    # Hallmark used QX5219 in 1995 and again in 2015; QX4036 in 1998 and 2018.
    add("santas-visitors-1995", "", "Santa's Visitors", 1995, number="QX5219", barcode=False)
    add("snoopy-2015-reused", "", "Peanuts Snoopy and Woodstock", 2015, number="QX5219")
    add("cool-decade-1998", "", "Cool Decade", 1998, number="QX4036", barcode=False)
    add("grinch-2018-reused", "", "The Grinch Stole Christmas", 2018, number="QX4036")
    for title, year in [("Frosty Friends", 1991), ("Here Comes Santa", 1993), ("Rocking Horse", 1989)]:
        add(f"{title}-{year}-old", "QX", f"{title} {ordinal(year - 1979)} in Series", year, barcode=False)
    return made


# --- how shops write the number -------------------------------------------------------------------

def _sku_spelling(rng: random.Random, p: Product) -> str:
    prefix, digits = re.match(r"([A-Z]+)(\d+)", p.number).groups()
    return rng.choice([p.number, p.number.lower(), f"HMK-{p.number}", f"{prefix}-{digits}", f"{p.number}.",
                       f"{p.year}{p.number}", f"{prefix} {digits[:3]}-{digits[3:]}", f"{rng.choice(['1495', '1799', '2499'])}{p.number}",
                       f"{prefix} {digits}", f"HALL-{p.number.lower()}"])


def _gtin_spelling(rng: random.Random, upc: str) -> str:
    return rng.choice([upc, "0" + upc, "00" + upc, f"{upc[0]} {upc[1:6]} {upc[6:11]} {upc[11]}",
                       f"{upc[:6]}-{upc[6:11]}-{upc[11]}", f"0 {upc[:6]} {upc[6:]}"])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _brand(rng: random.Random) -> str | None:
    return rng.choice(["Hallmark", "Hallmark Keepsake Ornaments®", "HALLMARK", "Hallmark Keepsake", "hallmark",
                       "Keepsake", None, None, "Hallmark Cards", "Hallmark Keepsake Ornament"])


def _other_number(rng: random.Random, p: Product, every: list[Product]) -> Product:
    """Another product a description may mention: the same series another year, most often."""
    family = [q for q in every if q.key != p.key and q.name.split()[0] == p.name.split()[0]]
    return rng.choice(family or [q for q in every if q.key != p.key])


def _cross_sell(rng: random.Random, p: Product, every: list[Product]) -> str:
    other = _other_number(rng, p, every)
    return rng.choice([f"Pairs with last year's {other.name} ({other.number}).",
                       f"Also see {other.name} {other.number}.",
                       f"Complete the set with {other.number} and {_other_number(rng, p, every).number}.",
                       f"Customers also bought: {other.name} - {other.number}"])


# --- shops ----------------------------------------------------------------------------------------
# Each writes one listing of product p; returns (row, shows_key).

def _shopify(rng, p, every, vendor):
    own = str(rng.randint(10 ** 12, 10 ** 13 - 1))  # Shopify product ids: 13 digits
    sku = rng.choice([_sku_spelling(rng, p), _sku_spelling(rng, p), "", f"ORN-{rng.randint(1000, 9999)}"])
    handle = _slug(f"{p.name} {p.year}") + (f"-{p.number.lower()}" if rng.random() < 0.5 else "")
    image = f"https://cdn.shopify.com/s/files/1/0999/4354/products/" + rng.choice(
        [f"{p.number}_1.jpg", f"{p.number.lower()}-front.jpg", f"{_slug(p.name)}.jpg", f"IMG_{rng.randint(1000, 9999)}.jpg"])
    lines = [f"{p.year} Hallmark Keepsake Christmas Ornament."]
    if rng.random() < 0.3:
        lines.append(_cross_sell(rng, p, every))
    if rng.random() < 0.5:
        lines.append(rng.choice([f"Item #: {p.number}", f"Hallmark # {p.number}", f"Style {p.number}"]))
    barcode = rng.choice([p.upc, p.upc, None, "mangled"]) if p.upc else None
    gtin = f"{p.upc[0]}.{p.upc[1:6]}E+11" if barcode == "mangled" else barcode
    row = {"vendor": vendor, "vendor_product_id": own, "sku": sku or None, "gtin": gtin, "brand": _brand(rng),
           "name": rng.choice([f"{p.name} {p.year} Hallmark Keepsake Ornament", f"{p.year} {p.name}", p.name]),
           "description": " ".join(lines), "url": f"https://{vendor}.example/products/{handle}",
           "image_urls": [image], "release_year": p.year if rng.random() < 0.6 else None}
    return row, _shows(row, p)


def _woocommerce(rng, p, every, vendor):
    own = str(rng.randint(100, 9999))
    sku = rng.choice([_sku_spelling(rng, p), f"{rng.randint(10000, 99999)}", p.upc or "", ""])
    upload = f"https://{vendor}.example/wp-content/uploads/{p.year}/07/"
    image = upload + rng.choice([f"{p.number.lower()}-{_slug(p.name)}.jpg", f"{_slug(p.name)}-scaled.jpg",
                                 f"{p.number}-2.png"])
    text = [f"Hallmark Keepsake {p.name}, dated {p.year}."]
    if rng.random() < 0.4:
        text.insert(0, _cross_sell(rng, p, every))
    if rng.random() < 0.6:
        text.append(rng.choice([f"Keepsake Ornament {p.number}", f"Hallmark # {p.number}", f"Item #: {p.number}"]))
    if p.upc and rng.random() < 0.3:
        text.append(f"UPC: {_gtin_spelling(rng, p.upc)}")
    row = {"vendor": vendor, "vendor_product_id": own, "sku": sku or None, "brand": _brand(rng),
           "name": rng.choice([p.name, f"{p.name} ({p.year})", f"{p.year} {p.name} Ornament"]),
           "description": " ".join(text), "url": f"https://{vendor}.example/product/{_slug(p.name)}-{p.year}/",
           "image_urls": [image], "release_year": None}
    return row, _shows(row, p)


def _merchant(rng, p, every, vendor):
    own = f"shopify_US_{rng.randint(10 ** 12, 10 ** 13 - 1)}_{rng.randint(10 ** 13, 10 ** 14 - 1)}"
    row = {"vendor": vendor, "vendor_product_id": own, "sku": rng.choice([p.number, _sku_spelling(rng, p), None]),
           "gtin": _gtin_spelling(rng, p.upc) if p.upc and rng.random() < 0.8 else None, "brand": _brand(rng),
           "name": f"Hallmark Keepsake Christmas Ornament {p.year}, {p.name}, Gifts for Collectors",
           "description": f"{p.name}. Christmas tree ornament dated {p.year}.",
           "url": f"https://{vendor}.example/products/{_slug(p.name)}?variant={rng.randint(10 ** 13, 10 ** 14 - 1)}",
           "image_urls": [f"https://{vendor}.example/img/{rng.randint(100000, 999999)}.jpg"], "release_year": p.year}
    return row, _shows(row, p)


def _awin(rng, p, every, vendor):
    own = str(rng.randint(10 ** 7, 10 ** 8 - 1))
    row = {"vendor": vendor, "vendor_product_id": own, "sku": rng.choice([_sku_spelling(rng, p), None, None]),
           "gtin": _gtin_spelling(rng, p.upc) if p.upc and rng.random() < 0.5 else None,
           "brand": rng.choice(["Hallmark", "HALLMARK", "Hallmark Keepsake Ornaments®"]),
           "name": rng.choice([f"{p.name} Keepsake Ornament", f"Hallmark {p.name} {p.year}"]),
           "description": rng.choice([f"Keepsake Ornament {p.number}. Dated {p.year}.", f"{p.name}, {p.year}.",
                                      f"{_cross_sell(rng, p, every)} {p.name} in its gift box."]),
           "url": f"https://www.awin1.com/pclick.php?p={own}&a=123456&m=9999",
           "image_urls": [f"https://images2.productserve.com/?w=200&h=200&url={vendor}.example/{p.number}.jpg"
                          if rng.random() < 0.4 else f"https://images2.productserve.com/{own}.jpg"],
           "release_year": p.year if rng.random() < 0.5 else None}
    return row, _shows(row, p)


def _cj(rng, p, every, vendor):
    own = f"{vendor[:3].upper()}{rng.randint(10000, 99999)}"
    row = {"vendor": vendor, "vendor_product_id": own, "sku": own,
           "gtin": p.upc if p.upc and rng.random() < 0.6 else None, "brand": rng.choice([None, "t", "Hallmark"]),
           "name": f"{p.name} {p.year}", "description": f"Buy {p.name} {p.year} at {vendor}.com",
           "url": f"http://www.jdoqocy.com/click-3893793-10505159?url=http%3A%2F%2F{vendor}.example%2Fp%3D{own}",
           "image_urls": [f"http://{vendor}.example/cImages/" + rng.choice([f"{p.number}_{rng.randint(100000, 999999)}.jpg",
                                                                        f"{own}_{rng.randint(100000, 999999)}.jpg"])],
           "release_year": None}
    return row, _shows(row, p)


def _reseller(rng, p, every, vendor):
    """A second-hand shop: old and new pieces, shouty names, the number where it fits, a barcode in the sku."""
    own = str(rng.randint(10 ** 11, 10 ** 12 - 1))  # 12 digits, like a marketplace listing id
    sku = rng.choice([p.upc or own, own, p.number, f"{p.number} NIB"]) if p.upc else rng.choice([own, p.number])
    named = rng.random() < 0.6
    name = rng.choice([f"Hallmark {p.year} {p.name.upper()} Keepsake Ornament", f"{p.year} Hallmark {p.name} NIB",
                       f"Hallmark Keepsake {p.name} Ornament {p.year}"])
    if named:
        name += f" {rng.choice([p.number, _sku_spelling(rng, p)])}"
    text = [rng.choice(["New in box, never displayed.", "Box has shelf wear.", "Smoke free home."])]
    if rng.random() < 0.3:
        text.append(_cross_sell(rng, p, every))
    if not named and rng.random() < 0.5:
        text.append(rng.choice([f"Style {p.number}", f"Item #: {p.number}", f"Hallmark # {p.number}"]))
    row = {"vendor": vendor, "vendor_product_id": own, "sku": sku, "brand": _brand(rng), "name": name,
           "description": " ".join(text), "url": f"https://{vendor}.example/itm/{own}",
           "image_urls": [f"https://{vendor}.example/images/{own}_{i}.jpg" for i in range(1, 3)],
           "release_year": p.year if rng.random() < 0.3 else None}
    return row, _shows(row, p)


SHOPS = {"shopify_treeshop": _shopify, "shopify_northpole": _shopify, "woo_ornamentattic": _woocommerce,
         "merchant_holidaymart": _merchant, "awin_giftbarn": _awin, "cj_decorhub": _cj,
         "resell_keepsakecloset": _reseller, "resell_atticfinds": _reseller}


def _shows(row: dict, p: Product) -> bool:
    """Whether the listing shows its own product's number or barcode anywhere (sku, name, description,
    URL, image names, barcode field) in a spelling a person would recognise."""
    digits = lambda text: re.sub(r"[^0-9]", "", text or "")
    flat = lambda text: re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    places = [row.get("sku"), row.get("name"), row.get("description"), row.get("url"), *row.get("image_urls", [])]
    if any(p.number in flat(t) for t in places):
        return True
    barcode = digits(row.get("gtin")) if "E+" not in (row.get("gtin") or "") else ""
    return bool(p.upc) and any(p.upc in digits(t) for t in (barcode, row.get("sku"), row.get("description")))


def _bundles(rng: random.Random, every: list[Product]) -> list[tuple[dict, str, bool]]:
    """Sets sold as one product: their names and skus list every part's number."""
    made = []
    frosty = [p for p in every if p.name.startswith("Frosty Friends") and p.year >= 2019]
    for i in range(0, len(frosty) - 1, 2):
        a, b = frosty[i], frosty[i + 1]
        made.append(({"vendor": "resell_keepsakecloset", "vendor_product_id": f"lot-{i}",
                      "sku": f"{a.number}-{b.number}", "brand": "Hallmark",
                      "name": f"Lot of 2 Hallmark Frosty Friends {a.year} & {b.year} {a.number} {b.number}",
                      "description": "Both in original boxes.", "url": f"https://resell_keepsakecloset.example/itm/lot-{i}",
                      "image_urls": [], "release_year": None}, f"bundle-{a.key}-{b.key}", False))
    kittens = [p for p in every if p.name.startswith("Mischievous Kittens")][:3]
    made.append(({"vendor": "shopify_treeshop", "vendor_product_id": "9000000000001", "sku": "KITTENS-SET",
                  "brand": "Hallmark", "name": "Mischievous Kittens Set of 3 Ornaments",
                  "description": "Includes " + ", ".join(f"{p.name} ({p.number})" for p in kittens) + ".",
                  "url": "https://shopify_treeshop.example/products/mischievous-kittens-set-of-3",
                  "image_urls": [], "release_year": None}, "bundle-kittens", False))
    return made


def listings(seed: int = 2023, share: float = 0.6) -> list[dict]:
    """Every shop's listings of the products it carries (about `share` of them each), plus bundles."""
    rng = random.Random(seed)
    every = _products(rng)
    rows: list[dict] = []
    for vendor, write in SHOPS.items():
        for p in every:
            old = p.year < 2000
            if rng.random() > (share if not old or write is _reseller else 0.15):
                continue
            row, shows = write(rng, p, every, vendor)
            row.update(truth=p.key, shows_key=shows, currency="USD", availability="in_stock",
                       price=Decimal(rng.randint(1299, 8999)) / 100)
            rows.append(row)
    for row, truth, shows in _bundles(rng, every):
        rows.append({**row, "truth": truth, "shows_key": shows, "currency": "USD", "availability": "in_stock",
                     "price": Decimal("49.99")})
    seen: set[tuple[str, str]] = set()
    for row in rows:  # the shops' own ids are random: keep them unique per shop
        while (row["vendor"], row["vendor_product_id"]) in seen:
            row["vendor_product_id"] += "0"
        seen.add((row["vendor"], row["vendor_product_id"]))
    return rows


if __name__ == "__main__":
    print(summary(listings()))
