"""A third truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), designed apart from the matcher and from the two earlier catalogues, after how marketplaces
and feeds publish Hallmark ornaments:

- a marketplace (eBay-like): 12-digit item ids, titles such as "2019 HALLMARK KEEPSAKE QXI1234 STAR
  WARS ORNAMENT NIB", item specifics ("MPN: QXI1234 | UPC: Does not apply"), lots, sellers' "check out
  my other listings" with other numbers, a licensor ("Disney") as brand;
- an Amazon-like feed: the ASIN as id and sku, the UPC (or its EAN-13 with a 0 in front) in the gtin
  field, "Item model number: 1799QXI1234" in the bullets;
- Hallmark's own style of code, price and number glued ("1799QXD6349", "899QXM5301");
- a JSON-LD scrape: sku from mpn (or the shop's own sku), gtin from gtin13, HTML entities in names;
- a collectibles shop whose descriptions are HTML ("<p>Item #: <b>QX9201</b></p>", "Item&nbsp;#:",
  "Item &#35;:", spec tables) with all-caps names;
- a second-hand shop: "used, no box", numbers such as "QX6479NB", "QX 647-9", "QX6479-U", series as
  "#12 in the Frosty Friends series", "12th in series", "Series 12"; lots;
- a wholesale closeout sheet: "HMKQX9201", upper-case truncated names, brand "HMK", a case-pack
  GTIN-14 instead of the unit's, a UPC whose leading zero the spreadsheet dropped;
- a small Shopify shop: the number only in the handle or an image's long file name.

Products are Keepsake, miniature (QXM), Magic/lighted (QLX), club (QXC), licensed (QXI, QXD), car
ornaments whose names carry a model year ("1987 Buick Grand National", sold in 2019), one name sold
every year, a number Hallmark used in two years, a club repaint and a set of 3. Like the real gtin
field, a barcode that fails its check digit (or has 11 digits) is stored empty.

Each listing carries `truth` and `shows_key`: whether a person reading the listing (HTML rendered)
sees its product's number or barcode. This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen2` prints the size of what it makes."""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import nth as ordinal, with_check as _check, shown, summary  # noqa: F401 (shown: the tests read it from here)


@dataclass(frozen=True)
class Product:
    key: str
    number: str  # e.g. QXI7288
    name: str  # Hallmark's name, without year
    year: int
    upc: str | None  # UPC-12
    series: str | None = None
    nth: int | None = None  # its number in the series


SERIES = {"Frosty Friends": 1980, "Here Comes Santa": 1979, "Nostalgic Houses and Shops": 1984}
SUBJECTS = ["Polar Pals", "Igloo Fun", "Sledding Buddies", "Snowy Cabin", "Corner Bakery", "Toy Shop",
            "Fire Truck", "Vintage Sleigh", "Motorcycle", "Candy Store"]
STAR_WARS = ["The Mandalorian and the Child", "Darth Vader", "Millennium Falcon", "R2-D2", "Boba Fett",
             "Princess Leia Organa", "Yoda", "AT-AT Walker"]
DISNEY = ["Mickey and Minnie Skating", "Cinderella's Coach", "Winnie the Pooh and Piglet", "Lady and the Tramp",
          "Toy Story Woody", "Dumbo the Flying Elephant"]
CARS = ["1978 Dodge Li'l Red Express Truck", "1987 Buick Grand National", "1977 Pontiac Firebird Trans Am",
        "1985 Chevrolet Camaro IROC-Z"]
TITLES = ["Cozy Cabin", "Peppermint Penguin", "Sleigh Bell Express", "Candy Cane Cottage", "Woodland Fox",
          "Skating Snowman", "Christmas Cardinal", "Nutcracker Prince", "Gingerbread Bakery", "Santa's Mailbox",
          "Rocking Reindeer", "Jingle Bell Kitten", "Holiday Hot Cocoa", "Merry Moose", "Teddy Bear Toymaker",
          "Angel of Light", "Christmas Puppy", "Snowflake Ballerina", "Owl in Scarf", "Toy Train Depot"]
OLD = ["Santa's Hot Tub", "Christmas Kitten", "Rocking Horse Rider", "Little Drummer Boy", "Mouse in Stocking",
       "Festive Brass Church", "Jolly Dolphin", "Porcelain Bear", "Heavenly Trumpeter", "Chipmunk Parcel Service",
       "Baby Bear Sleigh", "Victorian Toy Box"]



def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def add(name: str, year: int, prefix: str = "QX", number: str | None = None, **more) -> Product:
        while number is None or number in used:
            number = f"{prefix}{rng.randint(1000, 9999)}"
        used.add(number)
        company = rng.choice(["763795", "763795", "015012"])  # the second one starts with a 0
        upc = _check(company + f"{rng.randint(0, 99999):05d}") if year >= 1989 and rng.random() < 0.8 else None
        made.append(Product(f"p{len(made)}", number, name, year, upc, **more))
        return made[-1]

    for series, start in SERIES.items():
        years = sorted(rng.sample(range(2013, 2024), 5)) + [rng.randint(1990, 1999)]
        for year in years:
            subject = rng.choice(SUBJECTS + [""] * 4)  # often just the series' name
            add(f"{series}: {subject}" if subject else series, year, series=series, nth=year - start + 1)
    frosty = next(p for p in made if p.series == "Frosty Friends" and p.year >= 2013)
    add(f"{frosty.name} Repaint", frosty.year, "QXC")  # the club's repaint of that year's piece
    add(f"Miniature {frosty.name}", frosty.year, "QXM")
    for i, car in enumerate(CARS):  # Classic American Cars: a model year in the name
        add(car, 2016 + i, series="Classic American Cars", nth=26 + i)
    for name in STAR_WARS:
        sw = add(f"Star Wars™ {name}", rng.randint(2014, 2023), "QXI")
        if rng.random() < 0.4:
            add(f"Star Wars™ {name} Magic, with Light and Sound", sw.year, "QXI")
    for name in DISNEY:
        add(f"Disney {name}", rng.randint(2012, 2023), "QXD")
    for year in range(2017, 2023):
        add("Baby's First Christmas", year)
    for name in TITLES:
        add(name, rng.randint(2000, 2023))
    for name in OLD:
        year = rng.randint(1985, 1999)
        kind = rng.choice(["QX", "QX", "QX", "QLX", "QXM", "QXC"])
        add({"QLX": f"{name} Magic", "QXM": f"{name} Miniature", "QXC": f"{name} Club Exclusive"}.get(kind, name),
            year, kind)
    reused = add("Christmas Owl", 1996)
    made.append(Product(f"p{len(made)}", reused.number, "Woodland Owl Family", 2016, None))  # same number
    add("Santa's Reindeer Set of 3", rng.randint(2010, 2020))
    return made


def _old_style(number: str) -> str:
    """Hallmark's pre-2000 spelling: "QX 507-4"."""
    prefix, digits = number[:-4], number[-4:]
    return f"{prefix} {digits[:3]}-{digits[3]}"


def _written(rng: random.Random, p: Product) -> str:
    """The number as a person types it."""
    if p.year < 2000 and rng.random() < 0.5:
        return _old_style(p.number)
    return rng.choice([p.number, p.number, f"{p.number[:-4]} {p.number[-4:]}", p.number.lower()])


def _series_phrase(rng: random.Random, p: Product) -> str:
    if not p.nth:
        return ""
    n = p.nth
    nth = ordinal(n)
    return rng.choice([f"#{n} in the {p.series} series", f"{nth} in series", f"Series {n}",
                       f"{nth} in the {p.series} Series", f"No. {n}", f"({nth} in series)"])


def _others(rng: random.Random, p: Product, every: list[Product], k: int = 1) -> list[Product]:
    """Other ornaments a description mentions: mostly the same series or year."""
    near = [o for o in every if o is not p and o.number != p.number and (o.series == p.series or o.year == p.year)]
    return rng.sample(near or [o for o in every if o.number != p.number], k)


def _price(rng: random.Random) -> int:
    return rng.choice([899, 1299, 1499, 1799, 1999, 2299, 2999, 3499])


def _marketplace(rng, p, every, vendor):
    number = rng.choice([p.number, p.number, _written(rng, p)])
    shows = rng.random() < 0.6
    words = ["Hallmark Keepsake", str(p.year), number if shows else "", p.name, "Ornament",
             rng.choice(["NIB", "MIB", "NEW IN BOX", "w/ Box", "HTF", "RARE", ""])]
    if rng.random() < 0.3:
        words.insert(0, words.pop(1))  # the year first
    title = " ".join(w for w in words if w)
    specifics = [f"Brand: {rng.choice(['Hallmark', 'Hallmark Keepsake'])}", f"Year: {p.year}",
                 f"MPN: {number}" if rng.random() < 0.5 else "MPN: Does Not Apply",
                 f"UPC: {p.upc}" if p.upc and rng.random() < 0.2 else "UPC: Does not apply"]
    if rng.random() < 0.4:
        specifics.append("Check out my other listings! " + " ".join(o.number for o in _others(rng, p, every, 2)))
    licensed = {"QXI": "Star Wars", "QXD": "Disney"}.get(p.number[:3])
    return {"vendor_product_id": str(rng.randint(10**11, 10**12 - 1)),
            "sku": rng.choice([None, f"SHELF-{rng.choice('ABCD')}{rng.randint(1, 40)}", number]),
            "name": title.upper() if rng.random() < 0.4 else title, "description": " | ".join(specifics),
            "brand": licensed if licensed and rng.random() < 0.5 else rng.choice(["Hallmark", None]),
            "url": f"https://marketplace.example/itm/{rng.randint(10**11, 10**12 - 1)}"}


def _amazon(rng, p, every, vendor):
    asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(8))
    gtin = None if not p.upc or rng.random() < 0.2 else rng.choice([p.upc, "0" + p.upc])
    bullets = [f"Year-dated {p.year} Hallmark Keepsake Christmas ornament", "Gift-boxed, ready to hang"]
    if rng.random() < 0.6:
        bullets.append(f"Item model number: {rng.choice([p.number, f'{_price(rng)}{p.number}'])}")
    if p.nth:
        bullets.append(_series_phrase(rng, p))
    return {"vendor_product_id": asin, "sku": asin, "gtin": gtin, "brand": "Hallmark Keepsake",
            "name": f"Hallmark Keepsake Christmas Ornament {p.year}, {p.name}",
            "description": "\n".join("• " + b for b in bullets), "url": f"https://shop.example/dp/{asin}"}


def _hallmark_style(rng, p, every, vendor):
    code = f"{_price(rng)}{p.number}"
    return {"vendor_product_id": str(rng.randint(10000, 99999)), "sku": code, "release_year": p.year,
            "name": f"{p.name} {p.year} Hallmark Keepsake Ornament",
            "gtin": p.upc if rng.random() < 0.6 else None, "brand": "Hallmark",
            "url": f"https://keepsake-outlet.example/p/{code.lower()}",
            "description": f"{p.name}. {_series_phrase(rng, p)}".strip()}


def _jsonld(rng, p, every, vendor):
    own = f"{rng.randint(1000, 99999)}-ORN"
    mpn = rng.choice([p.number, p.number, f"{p.number} ", f"{p.number}-{p.year}"])
    name = html.escape(p.name, quote=True).replace("&#x27;", "&#39;")  # the page's entities, left in
    return {"vendor_product_id": own, "sku": rng.choice([own, mpn.strip(), mpn.strip()]),
            "gtin": None if not p.upc or rng.random() < 0.3 else "0" + p.upc,
            "name": f"{name} ({p.year})", "brand": rng.choice(["Hallmark", "Hallmark Keepsake Ornaments"]),
            "description": f"Dated {p.year} ornament. {_series_phrase(rng, p)} Ships in its gift box.",
            "url": f"https://ornament-gallery.example/shop/{_slug(p.name)}"}


def _html_shop(rng, p, every, vendor):
    number = _written(rng, p)
    label = rng.choice([f"<p>Item #: <b>{number}</b></p>", f"<li>Item&nbsp;#:&nbsp;{number}</li>",
                        f"<p>Item &#35;: {number}</p>",
                        f"<table><tr><th>Item Number</th><td>{number}</td></tr></table>",
                        f"<p>Hallmark&reg; Keepsake Ornament<br/>{number}</p>", ""])
    other = _others(rng, p, every)[0]
    extra = rng.choice(["", "", f"<p>Goes great with {other.name} ({other.number}), sold separately.</p>"])
    year = rng.choice([str(p.year), ""])
    desc = f"<p>{p.name}.&nbsp;Dated {p.year}.</p>{label}{extra}<p>{_series_phrase(rng, p)}</p>"
    name = f"{p.name} {year} Hallmark Ornament".replace("  ", " ")
    return {"vendor_product_id": f"CC{rng.randint(1000, 9999)}", "sku": f"CC{rng.randint(1000, 9999)}",
            "name": name.upper() if rng.random() < 0.5 else name, "description": desc, "brand": None,
            "release_year": p.year if not year else None,
            "url": f"https://collectors-corner.example/item/{_slug(p.name)}"}


def _secondhand(rng, p, every, vendor):
    sku = rng.choice([f"{p.number}NB", f"{p.number}-U", _written(rng, p), None, None])
    condition = rng.choice(["used, no box", "ornament only", "in original box", "box has shelf wear"])
    prev = [o for o in every if o.series and o.series == p.series and o.year < p.year]
    desc = f"{condition.capitalize()}. From a smoke-free home. {_series_phrase(rng, p)}"
    if prev and rng.random() < 0.4:
        desc += f" Previous in the series: {prev[-1].number} ({prev[-1].year})."
    if rng.random() < 0.15:
        desc += f" Tag reads {_price(rng)}{p.number}."
    return {"vendor_product_id": f"A-{rng.randint(100, 9999)}", "sku": sku, "brand": None,
            "name": f"Hallmark {p.name} {p.year} - {condition}", "description": desc,
            "url": f"https://attic-finds.example/listing/{rng.randint(1000, 9999)}"}


def _wholesale(rng, p, every, vendor):
    gtin = None
    if p.upc:
        kind = rng.choice(["unit", "unit", "case", "mangled"])
        gtin = {"unit": p.upc, "case": _check("1" + ("0" + p.upc)[:12]), "mangled": p.upc.lstrip("0")}[kind]
    return {"vendor_product_id": f"WC{rng.randint(10000, 99999)}", "brand": rng.choice(["HMK", "HALLMARK CARDS INC"]),
            "sku": rng.choice([f"HMK{p.number}", f"HMK-{p.number}", p.number, (p.upc or p.number).lstrip("0")]),
            "gtin": gtin,
            "name": f"HMK {p.year} {p.name.upper()} ORN"[:40], "release_year": p.year, "description": None}


def _shopify(rng, p, every, vendor):
    handle = _slug(f"{p.year} {p.name}")
    if rng.random() < 0.5:
        handle += "-" + p.number.lower()
    images = [f"https://cdn.shop.example/files/{p.year}-{_slug(p.name).title()}-Hallmark-Ornament-{p.number}-1.jpg"
              if rng.random() < 0.5 else f"https://cdn.shop.example/files/IMG_{rng.randint(1000, 9999)}.JPG"]
    return {"vendor_product_id": str(rng.randint(10**12, 10**13 - 1)), "sku": None, "brand": "Hallmark",
            "name": f"{p.name} - {p.year} Hallmark Keepsake Ornament", "image_urls": images,
            "description": f"<p>New in box.&nbsp;Dated {p.year}.</p><p>{_series_phrase(rng, p)}</p>",
            "url": f"https://treetop-treasures.example/products/{handle}"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


SHOPS = {"market_bay": _marketplace, "amazing_feed": _amazon, "keepsake_outlet": _hallmark_style,
         "ornament_gallery": _jsonld, "collectors_corner": _html_shop, "attic_finds": _secondhand,
         "closeout_wholesale": _wholesale, "treetop_treasures": _shopify}


def _lots(rng: random.Random, every: list[Product]) -> list[dict]:
    """Lots and sets of several ornaments: products of their own. Some name one number only."""
    made = []
    for i in range(12):
        parts = rng.sample(every, rng.randint(2, 4))
        form = rng.choice(["numbers", "one", "set"])
        if form == "numbers":
            name = f"Lot of {len(parts)} Hallmark Ornaments " + " ".join(q.number for q in parts)
        elif form == "one":
            name = f"Hallmark {parts[0].name} {parts[0].number} + {len(parts) - 1} more ornaments lot"
        else:
            name = f"Set of {len(parts)}: " + " & ".join(f"{q.name} {q.number}" for q in parts)
        vendor = rng.choice(["market_bay", "attic_finds"])
        made.append({"vendor": vendor, "vendor_product_id": f"LOT{i}{rng.randint(100, 999)}", "name": name,
                     "description": "Sold together as shown.", "truth": f"lot-{i}", "shows_key": False})
    return made


def _stored_gtin(value: str | None) -> str | None:
    """The spider keeps a gtin only if it is 8/12/13/14 digits with a right check digit."""
    if not value or not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return None
    return value if _check(value[:-1]) == value else None


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode: the HTML rendered, separators ignored."""
    desc = html.unescape(re.sub(r"<[^>]+>", " ", row.get("description") or ""))
    texts = [row.get("sku"), row.get("name"), desc, row.get("url"), *(row.get("image_urls") or [])]
    if any(p.number in re.sub(r"[^A-Z0-9]", "", (t or "").upper()) for t in texts):
        return True
    if not p.upc:
        return False
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t or "")]
    return any(re.sub(r"\D", "", r).lstrip("0") == p.upc.lstrip("0") for r in runs)


def listings(seed: int = 1223, share: float = 0.6) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    rows: list[dict] = []
    for vendor, write in SHOPS.items():
        for p in every:
            if rng.random() > (share if p.year >= 2000 or write in (_marketplace, _secondhand) else share / 3):
                continue
            row = {k: v for k, v in write(rng, p, every, vendor).items() if v is not None}
            row["gtin"] = _stored_gtin(row.get("gtin"))
            row.update(vendor=vendor, truth=p.key, shows_key=_shows(row, p))
            rows.append(row)
    rows += _lots(rng, every)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        for field in ("name", "sku", "brand"):  # the spider collapses whitespace in short text
            if row.get(field):
                row[field] = " ".join(row[field].split())
        row.update(currency="USD", availability="in_stock", price=Decimal(rng.randint(899, 7999)) / 100)
        while (row["vendor"], row["vendor_product_id"]) in seen:
            row["vendor_product_id"] += "1"
        seen.add((row["vendor"], row["vendor_product_id"]))
    return rows


if __name__ == "__main__":
    print(summary(listings()))
