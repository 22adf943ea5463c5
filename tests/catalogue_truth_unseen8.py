"""A ninth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after the US and UK English-language retail an affiliate site
for Hallmark ornaments really gets, with the text those shops really write:

- a big-box store (Target-like, USD): SEO-stuffed titles, "Highlights" bullets, a "Specifications" block with
  the store's own "TCIN" (8 digits) and "Item Number (DPCI): 249-07-1234", the "UPC", dimensions, battery
  models ("CR2032"), "Shipping details" and "Return details" boilerplate with its own numbers;
- a department store (Kohl's/Dillard's-like, USD): "PRODUCT FEATURES" / "PRODUCT DETAILS", the store's
  "Web ID: 1234567", "Model no." now and then, "Use code XMAS2023", "Pairs perfectly with …";
- a home-goods marketplace (Wayfair-like, USD): the store's "SKU: HMK10042" (letters of the maker), a
  specifications table with "Part Number" or "Manufacturer Part Number", "Customers also viewed";
- a home-shopping TV channel (QVC/HSN-like, USD): "Item No. H123456" (a letter and six digits, the channel's
  own), long copy, "What's in the box", "Easy-Pay", "1-800-345-1515", a "Set of 2" of its own;
- a Christmas superstore (Bronner's-like, USD): its own seven-digit "Item #" beside "Hallmark #QX…", the
  Department 56 and Radko pieces' seven-digit maker numbers beside it, "Complete your collection" with the
  series' other years, personalization (an item number of its own), bulbs ("C7", "LR44");
- a craft chain (Michaels-like, USD): the store's "SKU" / "Item #" 107xxxxx, "Details:" bullets, UPC,
  coupon codes, "Shop the collection";
- a flash-sale site (Zulily-like, USD): "Hallmark | …" titles, "Compare at", "Model", "Set of 2" bundles;
- resale (Poshmark-like, USD): NWT / NIB titles, hashtags, lower case, "#qx9201", "also have the 2022 one",
  lots and an empty box;
- a UK shop (GBP): "Christmas tree decoration" / "bauble", "Product code:", "Manufacturer's ref:", "EAN:" printed
  in groups, Royal Mail and postcode boilerplate, "0800" phone, "You may also like";
- a Hallmark Gold Crown store's current web page (USD): hallmark.com-style price-prefixed ids ("1799QXI7288")
  in the URL and a "Product ID", a "Details" list ("Artist", "Year Released", "Series"), "Shop the series",
  "Complete the set", the store's own exclusive and a gift set of an ornament and a card; and a collectors'
  club newsletter's shop ("Member pick", club and event pieces, "Ships from Kansas City, MO 64108").

Makers: Hallmark (QX, QXR Magic, QXM miniature, QXC club, QXE event, QXG, QXB, QXI / QXD licensed, QHX
accessories; vintage "QX 531-6"), Department 56 (seven digits), Christopher Radko (seven digits), Kurt Adler
("C7654"), Old World Christmas (five digits) and Lenox (six digits).

Traps: series in consecutive years, Magic and plain pieces of one name, miniature and full size, club and event
editions, a Gold Crown exclusive of a plain piece, a number used in 1989 and again in 2019, a stand and a Magic
cord with their own numbers naming what they fit, a storage box "fits 24 ornaments such as QX…", an empty box,
lots, shop bundles ("Set of 2"), a gift set of an ornament and a card, cross-sells before and after the own
number (lines, bullets, tables), shops' own numbers that look like a maker's (DPCI, "H123456", seven-digit
item numbers, "HMK10042", "107…" skus), battery and bulb models, coupon codes, phone numbers, zip codes.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags; separators inside it ignored). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen8` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, shown, split_number as _split, summary, with_check as _check, year_text as _year  # noqa: F401 (shown: the tests read it from here)
from tests.catalogue_truth import slug as _slug


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None  # QX9201, QX5316 (1989's "QX 531-6"), 6011234 (Department 56), C7654 (Kurt Adler)
    name: str
    year: int | None
    barcode: str | None = None
    kind: str = "ornament"  # or stand, accessory
    series: str | None = None
    licensor: str | None = None
    price: int = 1799  # Hallmark's price in cents, as its price-prefixed codes write it


SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Here Comes Santa": 1979,
                "Snow Buddies": 1998}
MODERN = ["Cardinal on Snowy Branch", "Hot Cocoa Bar", "Farm Truck With Tree", "Gingerbread Cottage",
          "Polar Bear Hug", "Baby's First Christmas Teddy", "Our First Christmas Together Mugs", "Grandma Cookie Jar",
          "Mom and Dad Snowmen", "Sister to Sister Penguins", "Teacher Apple Ornament", "Merry Mailbox Mouse",
          "Sweet Little Lamb", "Skating Otter", "Camping Under the Stars", "Pickleball Paddles",
          "Coffee Lover Latte", "Retro Pink Flamingo", "Nutcracker Guard", "Peppermint Penguin", "Cozy Cabin",
          "Golden Retriever Puppy", "Tabby Cat in Stocking", "Christmas Tree Farm Sign", "Bicycle With Wreath",
          "Best Friends Sloths", "Gnome for the Holidays", "Woodland Fox Family"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian and Grogu"), ("QXI", "Star Wars", "Star Wars Darth Vader"),
            ("QXD", "Disney", "Disney Mickey Mouse Steamboat Willie"), ("QXD", "Disney", "Disney Frozen Olaf"),
            ("QXD", "Disney", "Disney Stitch Surfing"), ("QXD", "Pixar", "Disney Pixar Toy Story Woody"),
            ("QXI", "Peanuts", "Peanuts Snoopy Flying Ace"), ("QXI", "Harry Potter", "Harry Potter Hedwig"),
            ("QXI", "Marvel", "Marvel Iron Man Mark III"), ("QXI", "The Grinch", "Dr. Seuss The Grinch Stealing Tree"),
            ("QXI", "Barbie", "Barbie Dreamhouse"), ("QXI", "Ford", "Ford Bronco 1966"),
            ("QXI", "Star Trek", "Star Trek U.S.S. Enterprise"), ("QXI", "Elf", "Elf Buddy the Elf")]
VINTAGE = [("Frosty Friends Cool Decade", 1989), ("Norman Rockwell Christmas Scenes", 1987),
           ("Here Comes Santa Santa's Woody", 1987), ("Windows of the World", 1986), ("Porcelain Bear", 1985),
           ("Kittens in Toyland", 1988), ("Nostalgic Houses Sweet Shop", 1989)]
OTHERS = {"Department 56": ["Department 56 Snow Village Diner Ornament", "Department 56 Peanuts Village Ornament",
                            "Department 56 Dickens Village Church Ornament"],
          "Christopher Radko": ["Christopher Radko Shiny Brite Santa", "Christopher Radko Sugar Plum Fairy",
                                "Christopher Radko Frosty Pickle"],
          "Kurt Adler": ["Kurt Adler Glass Pickle Ornament", "Kurt Adler Star Wars Yoda Ornament",
                         "Kurt Adler Nutcracker Soldier Ornament"],
          "Old World Christmas": ["Old World Christmas Pickle", "Old World Christmas Bigfoot", "Old World Christmas Taco"],
          "Lenox": ["Lenox 2023 Annual Porcelain Ball", "Lenox 2024 Annual Porcelain Ball", "Lenox Holiday Cardinal"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "045544", "Christopher Radko": "738994",
                  "Kurt Adler": "086131", "Old World Christmas": "026409", "Lenox": "882041"}
PRICES = [1499, 1599, 1799, 1899, 1999, 2199, 2499, 2999, 3499, 3999, 4999]


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":  # before 1991: three digits and a variant digit ("QX 531-6")
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Department 56": lambda: f"60{rng.randint(10000, 99999)}",
                "Christopher Radko": lambda: f"10{rng.randint(10000, 29999)}",
                "Kurt Adler": lambda: f"{rng.choice('CDJT')}{rng.randint(1000, 9999)}",
                "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                "Lenox": lambda: f"8{rng.randint(10000, 99999)}"}[maker]()

    def add(maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.7, **more) -> Product:
        while number is None or number in used:
            number = number_of(maker, prefix, year)
        used.add(number)
        code = None
        if (year or 2020) >= 1996 and rng.random() < barcode:
            body = BARCODE_PREFIX[maker]
            code = _check(body + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(body))))
        more.setdefault("price", rng.choice(PRICES))
        made.append(Product(f"n{len(made)}", maker, number, name, year, code, kind, **more))
        return made[-1]

    def series(name: str, year: int, prefix: str = "QX", **more) -> Product:
        return add("Hallmark", f"{name} {_nth(year - SERIES_START[name] + 1)} in Series", year, prefix, series=name,
                   **more)

    for year in (2022, 2023, 2024):
        for name in SERIES_START:
            series(name, year)
    frosty = next(p for p in made if p.series == "Frosty Friends" and p.year == 2024)
    add("Hallmark", f"Miniature {frosty.name}", 2024, "QXM", series=frosty.series, price=999)
    houses = next(p for p in made if p.series == "Nostalgic Houses and Shops" and p.year == 2023)
    add("Hallmark", f"Miniature {houses.name}", 2023, "QXM", series=houses.series, price=1299)
    snow = next(p for p in made if p.series == "Snow Buddies" and p.year == 2023)
    add("Hallmark", f"{snow.name} Club Edition", 2023, "QXC", series=snow.series)
    for name, year in (("Santa's Sleigh Ride", 2023), ("Cozy Christmas Fireplace", 2024), ("Jolly Holiday Trolley", 2024)):
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR", price=3499)
    add("Hallmark", "Snowflake Ballerina", 2024)
    add("Hallmark", "Snowflake Ballerina Ornament Premiere Event Exclusive", 2024, "QXE")
    add("Hallmark", "Holiday Hot Air Balloon", 2023)
    add("Hallmark", "Holiday Hot Air Balloon Gold Crown Exclusive", 2023)
    add("Hallmark", "Christmas Angel Porcelain", 2022, "QXG", price=4999)
    add("Hallmark", "Baby's First Christmas Baby Block", 2024, "QXB")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2020, 2024))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2020, 2024), prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year)
    old = add("Hallmark", "Christmas Memories Photo Holder", 1989)
    add("Hallmark", "Cheery Cheesemakers Mice", 2019, number=old.number)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in names:
            year = int(m[0]) if (m := re.search(r"20\d\d", name)) else rng.choice([None, 2022, 2023, 2024])
            add(maker, name, year, barcode=0.75)
    add("Hallmark", "Keepsake Ornament Display Stand, Lighted Tree", 2024, "QHX", kind="stand", price=2999)
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory", price=1499)
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    """The number as a shop types it."""
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"])


def _coded(p: Product) -> str:
    """hallmark.com's id: the price in cents, then the number ("1799QXI7288")."""
    return f"{p.price}{p.number}"


def _others(rng: random.Random, p: Product, every: list[Product], k: int = 1) -> list[Product]:
    near = [o for o in every if o.number != p.number and o.kind == "ornament" and o.maker == p.maker
            and (o.series and o.series == p.series or o.year == p.year or o.licensor and o.licensor == p.licensor)]
    pool = near if len(near) >= k else [o for o in every if o.number != p.number and o.kind == "ornament"]
    return rng.sample(pool, min(k, len(pool)))


def _size(rng: random.Random) -> str:
    return f"{rng.choice(['2.5', '3', '3.25', '3.5', '4', '4.38', '5.1'])} x {rng.choice(['1.75', '2', '2.5', '3'])} x " \
           f"{rng.choice(['2', '3.4', '4', '4.75'])}"


def _magic(p: Product) -> bool:
    return p.number.startswith("QXR")


def _grouped(code: str) -> str:
    """A UPC-A printed as on the box: 7 63795 12345 6."""
    return f"{code[0]} {code[1:6]} {code[6:11]} {code[11]}" if len(code) == 12 else code


def _seo(rng: random.Random, p: Product) -> str:
    """A title stuffed for search: the piece, its year, whom it is for."""
    who = rng.choice(["Gifts for Kids", "Gift for Mom", "Christmas Tree Decoration", "Collectible",
                      "Stocking Stuffer", "Holiday Decor", "Gifts for Collectors"])
    year = p.year or ""
    if p.maker == "Hallmark":
        return rng.choice([f"Hallmark Keepsake Christmas Ornament {year}, {_bare(p)}, {who}",
                           f"Hallmark Keepsake {year} {_bare(p)} Christmas Ornament, {who}",
                           f"{_bare(p)} {year} Hallmark Keepsake Ornament - {who}"])
    return f"{p.maker} {_bare(p)} {year} Christmas Ornament, {who}"


# --- shops: each writes the listings of product p ---------------------------------------------------

def _bigbox(rng, p, every, price):
    tcin = str(rng.randint(80000000, 89999999))
    dpci = f"{rng.choice(['249', '053', '069'])}-{rng.randint(10, 99):02d}-{rng.randint(0, 9999):04d}"
    name = _seo(rng, p)
    if rng.random() < 0.12:
        name += f" ({_written(rng, p)})"
    highlights = [f"Hallmark Keepsake {'Magic ' if _magic(p) else ''}ornament, {'dated ' + str(p.year) if p.year else 'undated'}"
                  if p.maker == "Hallmark" else f"{p.maker} holiday ornament",
                  "Ready to hang with attached hook", "Comes in a gift-ready box"]
    if _magic(p):
        highlights.append("Light and sound: requires 2 CR2032 batteries (included)")
    if rng.random() < 0.15:
        highlights.append(f"Manufacturer item {_written(rng, p)}")
    spec = [f"Dimensions (Overall): {_size(rng)} Inches", f"Weight: .{rng.randint(1, 9)} Pounds",
            f"Material: {rng.choice(['Plastic', 'Resin', 'Porcelain', 'Glass'])}", f"TCIN: {tcin}"]
    gtin = None
    if p.barcode and rng.random() < 0.8:
        spec.append(f"UPC: {p.barcode}")
        gtin = p.barcode if rng.random() < 0.6 else None
    spec += [f"Item Number (DPCI): {dpci}", "Origin: Imported"]
    text = ("Highlights\n" + "\n".join("• " + h for h in highlights) + "\nSpecifications\n" + "\n".join(spec)
            + f"\nShipping details\nEstimated ship dimensions: {_size(rng)} inches\nShips to 48 states"
            + "\nReturn details\nThis item can be returned to any store or through the app within 90 days."
            + " Questions? Call 1-800-591-3869.")
    if rng.random() < 0.3:
        text += "\nFrequently bought together\n" + "\n".join(o.name for o in _others(rng, p, every, 2))
    return [{"vendor_product_id": tcin, "sku": tcin, "name": name, "gtin": gtin, "brand": rng.choice([p.maker, None]),
             "description": text, "url": f"https://bullseye.example/p/{_slug(name)[:60]}/-/A-{tcin}",
             "image_urls": [f"https://bullseye.example/images/GUEST_{rng.randint(10**7, 10**8)}"]}]


def _department(rng, p, every, price):
    web_id = str(rng.randint(3000000, 6999999))
    name = rng.choice([f"{p.maker} Keepsake {_year(p)} {_bare(p)} Christmas Ornament" if p.maker == "Hallmark"
                       else f"{p.name} {_year(p)}", f"{_bare(p)} Ornament by {p.maker}"])
    feats = ["Hand-painted details", "Ready to hang", rng.choice(["Dated", "Collectible", "Gift boxed"])]
    details = [f"{rng.choice(['3.25', '2.75', '4', '3.5'])}\"H x {rng.choice(['2', '2.5', '3'])}\"W",
               rng.choice(["Resin", "Porcelain", "Glass", "Plastic, metal"]), "Wipe clean", "Imported"]
    if rng.random() < 0.6:
        details.append(f"{rng.choice(['Model no.', 'Manufacturer style #', 'Style:'])} {_written(rng, p)}")
    if p.barcode and rng.random() < 0.3:
        details.append(f"UPC {p.barcode}")
    lines = ["PRODUCT FEATURES"] + [f"- {f}" for f in feats] + ["PRODUCT DETAILS"] + [f"- {d}" for d in details]
    if rng.random() < 0.25:
        other = _others(rng, p, every)[0]
        lines.append(f"Pairs perfectly with the {other.name} ornament (style {_written(rng, other)}), sold separately.")
    lines += [f"Web ID: {web_id}", "Use code XMAS2023 at checkout for an extra 15% off. Exclusions apply.",
              f"Free shipping on orders of $49 or more. Questions? Call 1-855-564-5705."]
    return [{"vendor_product_id": web_id, "sku": web_id, "name": name, "brand": p.maker,
             "description": "\n".join(lines),
             "url": f"https://deptstore.example/catalog/{_slug(name)}.jsp?prdPV=1&webID={web_id}"}]


def _homegoods(rng, p, every, price):
    own = f"{re.sub('[^A-Z]', '', p.maker.upper())[:3]}{rng.randint(10000, 19999)}"
    name = rng.choice([f"{_bare(p)} Holiday Shaped Ornament", f"{_year(p)} {_bare(p)} Hanging Figurine Ornament".strip(),
                       f"{p.maker} {_bare(p)} Ornament"])
    label = rng.choice(["Part Number", "Manufacturer Part Number", "Model Number"])
    rows = [("Product Type", "Holiday Shaped Ornament"), ("Theme", rng.choice(["Christmas", "Animals", "Characters"])),
            ("Material", rng.choice(["Resin", "Glass", "Porcelain"]))]
    if rng.random() < 0.75:
        rows.append((label, _written(rng, p)))
    rows += [("Overall", f"{rng.choice(['3.25', '4', '2.5'])}'' H x {rng.choice(['2', '3'])}'' W x {rng.choice(['2', '1.5'])}'' D"),
             ("Supplier Intended and Approved Use", "Residential Use"), ("Commercial Warranty", "No")]
    if p.year:
        rows.append(("Year", str(p.year)))
    gtin = p.barcode if p.barcode and rng.random() < 0.25 else None
    text = (f"<p>{html.escape(p.name)} brings a little {p.maker} magic to your tree.</p><h3>Specifications</h3><table>"
            + f"<tr><td>SKU</td><td>{own}</td></tr>"
            + "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>")
    if rng.random() < 0.3:
        text += "<h3>Customers Also Viewed</h3><ul>" + "".join(
            f"<li>{html.escape(o.name)} Holiday Shaped Ornament</li>" for o in _others(rng, p, every, 3)) + "</ul>"
    return [{"vendor_product_id": own, "sku": own, "name": name, "gtin": gtin, "brand": p.maker,
             "description": text, "release_year": p.year if rng.random() < 0.4 else None,
             "url": f"https://homegoods.example/holiday-decor/pdp/{_slug(name)}-{own.lower()}.html"}]


def _tv(rng, p, every, price):
    own = f"H{rng.randint(200000, 299999)}"
    name = rng.choice([f"{p.maker} Keepsake {_year(p)} {_bare(p)} Ornament".replace("  ", " ") if p.maker == "Hallmark"
                       else f"{p.name} Ornament", f"{p.name} {_year(p)} Collectible Ornament"])
    copy = (f"Deck the halls with {p.name}. Lovingly crafted and hand-finished, this keepsake arrives in a "
            f"gift box, ready to become part of your family's traditions for years to come.")
    lines = [copy]
    if rng.random() < 0.35:
        lines.append(f"From {p.maker}. {'Item ' if rng.random() < 0.5 else 'Style #'}{_written(rng, p)}.")
    lines.append("What's in the box: 1 ornament" + (", 2 LR44 batteries" if _magic(p) else ""))
    lines.append(f"Measures approximately {_size(rng)} inches")
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.append(f"Also available: {other.name} (Item No. H{rng.randint(200000, 299999)})")
    lines += [f"Item No. {own}", "3 Easy Pays available. Order 24 hours a day: 1-800-345-1515."]
    return [{"vendor_product_id": own, "sku": own, "name": name, "brand": p.maker, "description": "\n".join(lines),
             "gtin": p.barcode if p.barcode and rng.random() < 0.2 else None,
             "url": f"https://shoptv.example/{_slug(name)}.product.{own}.html"}]


def _superstore(rng, p, every, price):
    own = str(rng.randint(1000000, 2999999))
    series_word = f" {p.series}" if p.series else ""
    name = rng.choice([f"{_bare(p)} {_year(p)} {p.maker} Ornament".replace("  ", " "),
                       f"{p.maker} {_bare(p)} Ornament"])
    lines = [f"<p>Item # {own}</p>"]
    if rng.random() < 0.85:
        label = rng.choice([f"{p.maker} #", f"{p.maker} Item Number:", "Manufacturer #"])
        lines.append(f"<p>{label} {_written(rng, p)}</p>")
    if p.year:
        lines.append(f"<p>Dated {p.year}</p>")
    if _magic(p):
        lines.append("<p>Light and motion. Powered by 3 LR44 batteries, included. Replacement C7 bulbs not needed.</p>")
    if p.series and rng.random() < 0.7:
        others = [o for o in every if o.series == p.series and o is not p and "Miniature" not in o.name
                  and "Club" not in o.name]
        block = f"<h4>Complete your{series_word} collection</h4><ul>" + "".join(
            f"<li>{o.year} {html.escape(o.name)} – {p.maker} #{_written(rng, o)}</li>" for o in others) + "</ul>"
        lines.insert(0 if rng.random() < 0.4 else len(lines), block)
    if rng.random() < 0.2:
        lines.append(f"<p>Personalize it! Add a name for $5.95 (Item # {rng.randint(2100000, 2100999)}).</p>")
    lines.append("<p>Ships from Frankenmuth, MI 48734. Call 1-800-255-9327.</p>")
    return [{"vendor_product_id": own, "sku": own, "name": name, "brand": p.maker, "description": "".join(lines),
             "gtin": p.barcode if p.barcode and rng.random() < 0.15 else None,
             "url": f"https://christmaswonderland.example/item/{own}/{_slug(name)}"}]


def _craft(rng, p, every, price):
    own = f"107{rng.randint(10000, 99999)}"
    name = rng.choice([f"{p.maker} {_bare(p)} {_year(p)} Ornament".replace("  ", " "),
                       f"{_year(p)} {_bare(p)} Ornament by {p.maker}".strip()])
    details = [f"Available in {rng.choice(['red', 'multicolor', 'white and gold'])}",
               f"Dimensions: {_size(rng)} in.", f"Material: {rng.choice(['resin', 'glass', 'porcelain'])}",
               "Hook included"]
    if rng.random() < 0.4:
        details.append(f"Manufacturer number: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        details.append(f"UPC: {p.barcode}")
    text = "Details:\n" + "\n".join(f"• {d}" for d in details) + f"\nSKU: {own}"
    if rng.random() < 0.25:
        text += "\nShop the collection:\n" + "\n".join(f"• {o.name} – {_written(rng, o)}" for o in _others(rng, p, every, 2))
    text += "\nUse code XMAS2023 for 20% off one regular-price item. Free store pickup in 1 hour."
    return [{"vendor_product_id": own, "sku": own, "name": name, "brand": p.maker, "description": text,
             "url": f"https://craftchain.example/product/{_slug(name)}-{own}"}]


def _flash(rng, p, every, price):
    own = f"z{rng.randint(4000000, 4999999)}"
    name = f"{p.maker} | {_year(p)} {_bare(p)} Ornament".replace("|  ", "| ")
    lines = [f"Compare at ${(price * Decimal('1.6')).quantize(Decimal('0.01'))}", "Product Description:",
             f"Bring home a bit of holiday cheer with this {p.maker} ornament."]
    if rng.random() < 0.5:
        lines.append(f"Model {_written(rng, p)}")
    lines += [f"{_size(rng)}''", "Imported", "Ships in 10-14 business days. Final sale."]
    return [{"vendor_product_id": own, "sku": own, "name": name, "brand": p.maker, "description": "\n".join(lines),
             "regular_price": (price * Decimal("1.6")).quantize(Decimal("0.01")),
             "url": f"https://flashsale.example/p/{_slug(name)}-{own[1:]}.html"}]


def _resale(rng, p, every, price):
    own = "".join(rng.choice("0123456789abcdef") for _ in range(24))
    tag = rng.choice(["NWT", "NIB", "New in box", "EUC"])
    shown_number = rng.random() < 0.55
    spelled = _written(rng, p)
    spelled = spelled.lower() if rng.random() < 0.3 else spelled
    name = rng.choice([f"{tag} {p.maker} {_bare(p)} {p.year or ''} ornament", f"{p.maker} {_bare(p)} ornament {tag}",
                       f"{'Hallmark Keepsake' if p.maker == 'Hallmark' else p.maker} {_bare(p)}"])
    if shown_number and rng.random() < 0.4:
        name += f" #{spelled}"
    lines = [rng.choice(["New in box, never displayed.", "Box has some shelf wear, ornament perfect.",
                         "Great condition!"])]
    if shown_number and "#" not in name:
        lines.append(rng.choice([f"{spelled}", f"Item # {spelled}", f"It's {spelled} from {p.year}.",
                                 f"Box says {spelled}"]))
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.insert(rng.randint(0, len(lines)), f"also have the {other.year or ''} one listed ({_written(rng, other).lower()})")
    lines += ["Smoke free home. Bundle to save!", f"#hallmark #keepsake #christmas #{_slug(_bare(p)).replace('-', '')}"]
    return [{"vendor_product_id": own, "name": " ".join(name.split()), "description": "\n".join(lines),
             "brand": rng.choice([p.maker, p.maker, "Other"]),
             "url": f"https://resale.example/listing/{_slug(name)}-{own}"}]


def _uk(rng, p, every, price):
    own = f"BB{rng.randint(1000, 9999)}"
    name = rng.choice([f"{p.maker} {_bare(p)} Christmas Tree Decoration {_year(p)}".strip(),
                       f"{_bare(p)} Bauble ({p.maker}{', ' + str(p.year) if p.year else ''})",
                       f"{p.name} Hanging Decoration"])
    lines = [f"<p>Product code: {own}</p>"]
    if rng.random() < 0.7:
        label = rng.choice(["Manufacturer's ref:", "Mfr code:", "Maker's item no."])
        lines.append(f"<p>{label} {_written(rng, p)}</p>")
    gtin = None
    if p.barcode and rng.random() < 0.5:
        lines.append(f"<p>EAN: {rng.choice([_grouped(p.barcode), '0' + p.barcode])}</p>")
        gtin = "0" + p.barcode if rng.random() < 0.5 else None
    lines.append("<p>Delivery: Royal Mail Tracked 48, orders placed before 2pm. Returns to Unit 4, Mill Lane, "
                 "Leeds LS12 6AA. Call 0800 123 4567.</p>")
    if rng.random() < 0.3:
        lines.append("<h4>You may also like</h4>" + "".join(
            f"<p>{html.escape(o.name)} – code {_written(rng, o)}</p>" for o in _others(rng, p, every, 2)))
    return [{"vendor_product_id": own, "sku": own, "name": name, "gtin": gtin, "brand": rng.choice([p.maker, None]),
             "description": "".join(lines), "release_year": p.year if rng.random() < 0.5 else None,
             "url": f"https://baublebox.example.co.uk/{_slug(name)}"}]


def _goldcrown(rng, p, every, price):
    coded = _coded(p)
    name = rng.choice([f"{_bare(p)} {_year(p)} Keepsake Ornament".replace("  ", " "),
                       f"{_bare(p)} Keepsake {'Magic ' if _magic(p) else ''}Ornament With Light and Sound"
                       if _magic(p) else f"{_bare(p)} Ornament, {rng.choice(['3.25', '2.5', '4.1'])}\""])
    details = [("Artist", rng.choice(["Tammy Haddix", "Orville Wilson", "Nello Williams", "Chris Stoebner"]))]
    if p.year:
        details.append(("Year Released", str(p.year)))
    if p.series:
        details.append(("Series", p.series))
    if rng.random() < 0.6:
        details.append(("Product ID", coded))
    body = (f"<p>{html.escape(p.name)}. A Hallmark Keepsake to treasure.</p><ul><li>Dated {p.year}</li>"
            + ("<li>Requires Keepsake Power Cord (sold separately)</li>" if _magic(p) else "") + "</ul><h4>Details</h4><dl>"
            + "".join(f"<dt>{k}</dt><dd>{html.escape(v)}</dd>" for k, v in details) + "</dl>")
    if p.series and rng.random() < 0.5:
        others = [o for o in every if o.series == p.series and o is not p]
        body += "<h4>Shop the series</h4><ul>" + "".join(
            f"<li><a href=\"/products/{_slug(o.name)}-{_coded(o).lower()}\">{html.escape(o.name)}</a></li>" for o in others) + "</ul>"
    body += "<p>Use code MERRY25 for 25% off. Free shipping over $50.</p>"
    url = f"https://smithsgoldcrown.example/products/{_slug(_bare(p))}-{p.year}-ornament" \
          + (f"-{coded.lower()}" if rng.random() < 0.6 else "")
    return [{"vendor_product_id": coded if rng.random() < 0.5 else f"gc-{rng.randint(100000, 999999)}",
             "sku": coded if rng.random() < 0.4 else None, "name": name, "brand": "Hallmark", "description": body,
             "gtin": p.barcode if p.barcode and rng.random() < 0.35 else None, "release_year": p.year, "url": url,
             "image_urls": [f"https://smithsgoldcrown.example/cdn/{coded if rng.random() < 0.5 else _slug(_bare(p))}_1.jpg"]}]


def _category(p: Product) -> str:
    if p.maker != "Hallmark":
        return p.maker
    if p.year and p.year < 1991:
        return "vintage"
    if p.number.startswith(("QXC", "QXE")):
        return "club"
    if "Gold Crown Exclusive" in p.name:
        return "exclusive"
    return "licensed" if p.licensor and not p.series else "modern"


# vendor: (writer, currency, the share of each category's pieces it carries)
SHOPS = {"us_bullseye": (_bigbox, "USD", {"modern": 0.44, "licensed": 0.69, "Kurt Adler": 0.62}),
         "us_deptstore": (_department, "USD", {"modern": 0.38, "licensed": 0.38, "Lenox": 1.0, "Christopher Radko": 0.62,
                                               "Department 56": 0.5}),
         "us_homegoods": (_homegoods, "USD", {"modern": 0.44, "licensed": 0.44, "vintage": 0.25, "Department 56": 0.75,
                                              "Kurt Adler": 0.75, "Old World Christmas": 0.62}),
         "us_shoptv": (_tv, "USD", {"modern": 0.31, "licensed": 0.38, "Christopher Radko": 0.75, "Department 56": 0.5}),
         "us_christmaswonderland": (_superstore, "USD", {"modern": 0.69, "licensed": 0.69, "club": 0.62,
                                                         "Department 56": 1.0, "Christopher Radko": 0.88,
                                                         "Old World Christmas": 1.0, "Kurt Adler": 0.75, "Lenox": 0.5}),
         "us_craftchain": (_craft, "USD", {"modern": 0.15, "Kurt Adler": 1.0, "Old World Christmas": 0.75}),
         "us_flashsale": (_flash, "USD", {"modern": 0.25, "licensed": 0.31, "Lenox": 0.5, "Christopher Radko": 0.38}),
         "us_resale": (_resale, "USD", {"modern": 0.31, "licensed": 0.38, "vintage": 1.0, "club": 0.75,
                                        "exclusive": 0.62, "Department 56": 0.38, "Christopher Radko": 0.38}),
         "uk_baublebox": (_uk, "GBP", {"modern": 0.44, "licensed": 0.5, "vintage": 0.38, "Old World Christmas": 0.62,
                                       "Kurt Adler": 0.5}),
         "us_smithsgoldcrown": (_goldcrown, "USD", {"modern": 0.75, "licensed": 0.75, "club": 1.0, "exclusive": 1.0})}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some (bundles, lots, a box, a gift set), what has its own
    number beside those it fits (a stand, a power cord), and a collectors' club newsletter's shop."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    modern = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2019
              and not p.number.startswith(("QXC", "QXE"))]
    old = [p for p in every if _old(p)]
    magic = [p for p in every if p.number.startswith("QXR")]
    frosty = sorted((p for p in every if p.series == "Frosty Friends" and p.name.startswith("Frosty")), key=lambda p: p.year)
    for i in range(2):
        pair = rng.sample(modern, 2)
        rows.append({"vendor": "us_flashsale", "vendor_product_id": f"z48{i}0001", "truth": "set2-" + "-".join(p.key for p in pair),
                     "name": f"Hallmark | {_bare(pair[0])} & {_bare(pair[1])} Ornament - Set of 2", "brand": "Hallmark",
                     "description": "Compare at $59.98\nProduct Description:\nIncludes:\n" + "\n".join(
                         f"One {p.name} ornament (model {_written(rng, p)})" for p in pair) + "\nShips in 10-14 business days."})
    pair = rng.sample(modern, 2)
    rows.append({"vendor": "us_shoptv", "vendor_product_id": f"H{rng.randint(300000, 399999)}",
                 "truth": "set2-" + "-".join(p.key for p in pair), "brand": "Hallmark",
                 "name": f"Hallmark Keepsake Set of 2 Ornaments: {_bare(pair[0])} and {_bare(pair[1])}",
                 "description": "What's in the box: " + " and ".join(f"{p.name} (Style {p.number})" for p in pair)
                                + "\n3 Easy Pays. 1-800-345-1515."})
    lot = rng.sample(old, 3)
    rows.append({"vendor": "us_resale", "vendor_product_id": "".join(rng.choice("0123456789abcdef") for _ in range(24)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in lot)), "brand": "Hallmark",
                 "name": "Lot of 3 vintage Hallmark Keepsake ornaments 80s",
                 "description": "All in boxes:\n" + "\n".join(f"{p.name} {p.year} {_written(rng, p)}" for p in lot)
                                + "\nSold as a lot only. Smoke free home."})
    target = frosty[-1]
    rows.append({"vendor": "us_resale", "vendor_product_id": "".join(rng.choice("0123456789abcdef") for _ in range(24)),
                 "truth": "box-" + target.key, "brand": "Hallmark",
                 "name": f"EMPTY BOX ONLY Hallmark Frosty Friends {target.year} #{target.number}",
                 "description": f"Box only, NO ornament! For {target.number}. Great for storage or replacing a damaged box."})
    rows.append({"vendor": "us_bullseye", "vendor_product_id": str(rng.randint(80000000, 89999999)), "truth": "storage-box",
                 "name": "Ornament Storage Box with Dividers, Fits 24 Ornaments - Brightroom", "brand": "Brightroom",
                 "description": f"Highlights\n• Fits 24 ornaments up to 4 inches such as Hallmark Keepsake "
                                f"{frosty[0].name} ({frosty[0].number})\nSpecifications\nTCIN: {rng.randint(80000000, 89999999)}\n"
                                f"UPC: {_check('49002' + str(rng.randint(100000, 999999)))}\nItem Number (DPCI): 249-31-0042"})
    stand = find(lambda p: p.kind == "stand")
    fits = rng.sample(modern, 2)
    rows.append({"vendor": "us_smithsgoldcrown", "vendor_product_id": _coded(stand), "truth": stand.key, "brand": "Hallmark",
                 "name": stand.name, "release_year": stand.year,
                 "description": f"<p>Display up to 12 Keepsake Ornaments such as {fits[0].name} ({fits[0].number}) and "
                                f"{fits[1].name} ({fits[1].number}).</p><dl><dt>Product ID</dt><dd>{_coded(stand)}</dd></dl>",
                 "url": f"https://smithsgoldcrown.example/products/display-stand-{_coded(stand).lower()}"})
    rows.append({"vendor": "us_christmaswonderland", "vendor_product_id": str(rng.randint(1000000, 2999999)),
                 "truth": stand.key, "brand": "Hallmark", "name": "Hallmark Keepsake Lighted Ornament Display Tree",
                 "description": f"<p>Hallmark # {_written(rng, stand)}</p><p>Holds ornaments like {fits[0].number}.</p>"
                                "<p>Uses 6 AA batteries (not included).</p>"})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "us_christmaswonderland", "vendor_product_id": str(rng.randint(1000000, 2999999)), "truth": cord.key,
                 "brand": "Hallmark", "name": "Hallmark Keepsake Magic Power Cord",
                 "description": f"<p>Hallmark # {cord.number}</p><p>Powers Magic ornaments such as {magic[0].name} "
                                f"({magic[0].number}) and {magic[1].name} ({magic[1].number}).</p>"})
    rows.append({"vendor": "us_bullseye", "vendor_product_id": str(rng.randint(80000000, 89999999)), "truth": "cord-generic",
                 "name": "Universal Power Cord for Keepsake Magic Ornaments, fits QXR ornaments", "brand": "Sparkle Co",
                 "description": f"Highlights\n• Works with Magic ornaments like {magic[2].number}\nSpecifications\n"
                                f"Item Number (DPCI): 249-55-0199\nModel: PC-5V-USB"})
    baby = find(lambda p: p.number.startswith("QXB"))
    rows.append({"vendor": "us_smithsgoldcrown", "vendor_product_id": f"gc-{rng.randint(100000, 999999)}",
                 "truth": "giftset-" + baby.key, "brand": "Hallmark", "name": "Baby's First Christmas Ornament and Card Gift Set",
                 "description": f"<p>Includes the {baby.name} Keepsake Ornament ({_coded(baby)}) and a Signature greeting "
                                f"card.</p><p>Gift set exclusive to our store.</p>", "release_year": baby.year})
    # the collectors' club newsletter's shop: members' picks, club and event pieces
    for p in [p for p in every if p.number.startswith(("QXC", "QXE"))] + rng.sample(modern, 3):
        pick = _others(rng, p, every)[0]
        text = (f"Member pick of the month! {p.name}, {p.year}. Hallmark {_written(rng, p)}."
                if rng.random() < 0.7 else f"Member pick of the month! {p.name}, {p.year}.")
        if rng.random() < 0.5:
            text = f"Last month's pick, {pick.name} ({_written(rng, pick)}), sold out in a day. " + text
        text += "\nClub members save 10%. Ships from Kansas City, MO 64108. Questions: 1-816-555-0142."
        rows.append({"vendor": "us_keepsakeclubnews", "vendor_product_id": f"news-{p.key}", "truth": p.key,
                     "name": f"{p.name} ({p.year})", "brand": "Hallmark", "description": text, "price": Decimal("29.95")})
    return rows


def _plain(text: str | None) -> str:
    """What a person reads: HTML tags gone, entities decoded."""
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored). hallmark.com's
    price-prefixed id shows the number inside it (a reader of Hallmark's codes sees it)."""
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    own = p.number.upper()
    if own.isdigit():
        if any(own in re.findall(r"\d+", t) for t in texts):
            return True
    elif any(own in re.sub(r"[^A-Z0-9]", "", t.upper()) for t in texts):
        return True
    codes = {p.barcode.lstrip("0")} if p.barcode else set()
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 9999) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    currency["us_keepsakeclubnews"] = "USD"
    rows: list[dict] = []
    for vendor, (write, _, shares) in SHOPS.items():
        for p in every:
            if p.kind != "ornament" or rng.random() > shares.get(_category(p), 0.0):
                continue
            price = Decimal(p.price) / 100 if p.maker == "Hallmark" and not _old(p) else Decimal(rng.randint(999, 5999)) / 100
            if vendor == "uk_baublebox":
                price = (price * Decimal("0.85")).quantize(Decimal("0.01"))
            rows += shop_rows(rng, write(rng, p, every, price), p, vendor, price)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
