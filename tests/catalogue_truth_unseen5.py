"""A sixth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the five earlier catalogues do not cover:

- an antiques and collectibles mall (Ruby Lane / Replacements-like dealers): ALL-CAPS titles, "Keepsake
  Ornament, Item Number QX-497-5, Issued 1985", the box's price code ("475QX497-5"), condition grades
  ("C9 Near Mint"), the mall's own pattern codes ("HMKD85") and item numbers ("Replacements Item #:
  4185287"), Lenox and Waterford pieces ("Item No. 894412");
- a UK shop: GBP, "Christmas bauble", "hanging decoration", "colour", "Price includes VAT", "Product
  code:", "Manufacturer's code:", the barcode as an EAN-13 with a leading 0 (sometimes printed in groups,
  "0 763795 12345 6"), "You might also like", a shop bundle naming its three pieces' numbers;
- an Australian shop: AUD, "Xmas decoration", "GST inclusive", "Afterpay", the shop's code made of the
  maker's letters and the number's digits only ("HMK-9201"), "Supplier code:", "Frequently bought together";
- a Google Shopping-style department store feed: title templates ("Hallmark Keepsake 2023, Frosty Friends
  44th in Series Ornament"), the mpn (the number, or the box's price code "2499QX9201", or none), the gtin
  as 12, 13 or 14 digits, item_group_id, a product_type breadcrumb, the store's own "Web ID";
- a price-guide / collector-database site: one page per ornament, "Artist:", "Series: Frosty Friends #44",
  "Original retail: $24.99", "Item #: QX1234", secondary-market values, "Related ornaments" with numbers,
  vintage (QX 3+1 digits, QLX, QSM, QK, QXM) and newer prefixes (QXR, QXM, QXE, QXG, QHX, QXI, QXD, QXC);
- a Facebook Marketplace / Craigslist-like local seller: lower case, no punctuation, typos ("ornment",
  "hallmrk", "keepsake ornamnet"), years as "2k19" or "’19", "pick up only", the number as "qx 497 5",
  "#qx9201", "model qx9201", other pieces the seller also has ("also have the 2021 one qx5678");
- a Korean reseller (Naver/Coupang-like): "[해외] 홀마크 키프세이크 오너먼트", "모델명:", "제품번호:", "품번:",
  "바코드:", "출시년도: 2023년", "해외구매대행", "함께 보면 좋은 상품", KRW without decimals;
- a Hallmark Gold Crown store (official style): skus as the box's price code ("2499QX9201"), HTML
  descriptions with <ul> lists and a "Details" table (<tr><td>UPC</td><td>763795…</td></tr>), "Complete
  the set" naming the series' other numbers;
- a gift marketplace whose brand field holds the licensor ("Disney", "Star Wars", "Peanuts", "Barbie",
  "Marvel", "Harry Potter") or the seller's own name, the maker named only in the description, "Customers
  who viewed this also viewed".

Traps: Frosty Friends (2021-2023 and 1985-1986), Nostalgic Houses, Here Comes Santa, Holiday Barbie, Snow
Buddies, Baby's First Christmas, Lenox's, Waterford's and Swarovski's annual ornaments in consecutive years
with other numbers; a Magic (QXR, QLX) and a plain piece of one name and year; a miniature (QXM) of a
full-size piece; a club repaint (QXC) and an event exclusive (QXE) of pieces of the same name and year; a
number Hallmark used in 1988 and again in 2014; a set of three sold under one number and shop bundles of
three naming three numbers; a display stand and a power cord (their own numbers) naming the ornaments they
go with; ornament hooks naming one; an empty box; lots; cross-sells in every shop's words.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item
number or barcode (after HTML tags and entities, whatever separators a seller puts inside it). Boxes,
hooks, lots and bundles have no number of their own. This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen5` prints its size."""

from __future__ import annotations

import functools
import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import as_stored, nth as _nth, old_style, others_of as _others, shown, split_number as _split, summary, with_check as _check  # noqa: F401 (shown: the tests read it from here)


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None  # the maker's item number: QX4975, QXR9042, 894412 (Lenox); None for what has none
    name: str
    year: int | None
    retail: Decimal  # the original retail price (the box's price code is it in cents)
    upc: str | None = None  # UPC-12 (Hallmark, Lenox, Waterford)
    ean: str | None = None  # EAN-13 (Swarovski)
    kind: str = "ornament"  # or set, stand, accessory; box, hooks (no number of their own)
    licensor: str | None = None  # Disney, Star Wars, ...
    series: str | None = None
    nth: int | None = None
    artist: str | None = None


MAKERS = {"Hallmark": ["Hallmark", "Hallmark Keepsake", "HALLMARK", "Hallmark Keepsake Ornaments"],
          "Lenox": ["Lenox", "LENOX", "Lenox Corporation"],
          "Waterford": ["Waterford", "WATERFORD", "Waterford Crystal"],
          "Swarovski": ["Swarovski", "SWAROVSKI", "Swarovski Crystal"]}
ARTISTS = ["Tammy Haddix", "Nello Williams", "Orville Wilson", "Sharon Visker", "Robert Chad", "Ken Crow",
           "Duane Unruh", "Ed Seale", "Linda Sickman", "Don Palmiter", "Joanne Eschrich", "Katrina Bricker",
           "Anita Marra Rogers", "Chris Stanley"]
SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Here Comes Santa": 1979,
                "Holiday Barbie": 1993, "Snow Buddies": 1998, "Rocking Horse": 1981}
MODERN = ["Cozy Cottage Candle Shop", "Peppermint Parlor", "Sweet Gnome Home", "Cardinal Cutie",
          "Christmas Pickle Surprise", "Jolly Snowman Mailbox", "Sledding Squirrel", "Grandma's Kitchen",
          "Hot Cocoa Cart", "Christmas Llama", "Woodland Bear Cub", "Festive Fire Station",
          "Gingerbread Village Church", "Penguin Pals", "Red Truck with Tree", "Ice Skating Bunny",
          "Rudolph's Flight", "Noel Angel", "Mr. and Mrs. Claus Bakery", "Owl Be Home for Christmas",
          "Snowy Owl Lantern", "Vintage Camper Christmas", "Merry Mixer", "Holiday Hot Air Balloon"]
LICENSED = [("QXI", "Star Wars", "Star Wars: The Mandalorian Grogu"), ("QXI", "Star Wars", "Star Wars Darth Vader"),
            ("QXI", "Star Wars", "Star Wars Millennium Falcon"), ("QXD", "Disney", "Disney Mickey's Christmas Cabin"),
            ("QXD", "Disney", "Disney Frozen Olaf"), ("QXD", "Disney", "Disney The Little Mermaid Ariel"),
            ("QXI", "Peanuts", "Peanuts Snoopy and Woodstock on Doghouse"),
            ("QXI", "Peanuts", "Peanuts A Charlie Brown Christmas Tree"), ("QXI", "Marvel", "Marvel Spider-Man"),
            ("QXI", "Harry Potter", "Harry Potter Hogwarts Express"), ("QXI", "Dr. Seuss", "Dr. Seuss's The Grinch")]
VINTAGE = [("Santa's Hot Tub", 1986), ("Kitty Mischief", 1985), ("Mouse in the Moon", 1986),
           ("Christmas Cuckoo", 1988), ("Sugarplum Cottage", 1984), ("Polar Bowler", 1989),
           ("Heavenly Glow", 1988), ("Country Sleigh", 1986), ("Sweet Memories", 1990), ("Cool Juggler", 1988),
           ("Little Soldier", 1989), ("Victorian Dollhouse", 1984)]
OTHERS = {"Lenox": ["Lenox Holiday Cardinal", "Lenox First Blessing Nativity Angel", "Lenox Sparkle and Scroll Snowflake"],
          "Waterford": ["Waterford Snowcrystal Angel", "Waterford Crystal Icicle"],
          "Swarovski": ["Swarovski Holiday Cheers Gingerbread Man", "Swarovski Festive Star", "Swarovski Snowflake Large"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Lenox": "082184", "Waterford": "701587"}
KR = {"Frosty Friends": "프로스티 프렌즈", "Nostalgic Houses and Shops": "노스탤직 하우스 앤 샵",
      "Here Comes Santa": "히어 컴즈 산타", "Holiday Barbie": "홀리데이 바비", "Snow Buddies": "스노우 버디즈",
      "Star Wars": "스타워즈", "Disney": "디즈니", "Peanuts": "피너츠", "Marvel": "마블", "Harry Potter": "해리포터",
      "Baby's First Christmas": "베이비 퍼스트 크리스마스", "Miniature": "미니어처", "Magic": "매직 (조명·사운드)",
      "Swarovski": "스와로브스키", "Waterford": "워터포드", "Lenox": "레녹스"}
KR_MAKER = {"Hallmark": "홀마크", "Lenox": "레녹스", "Waterford": "워터포드", "Swarovski": "스와로브스키"}


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":  # before 1991 three digits and a variant digit (QX 497-5); then four digits
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1995 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Lenox": lambda: f"89{rng.randint(1000, 9999)}", "Waterford": lambda: f"10{rng.randint(10000, 99999)}",
                "Swarovski": lambda: f"56{rng.randint(10000, 99999)}"}[maker]()

    def add(maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.75, **more) -> Product:
        while kind in ("ornament", "set", "stand", "accessory") and (number is None or number in used):
            number = number_of(maker, prefix, year)
        if number:
            used.add(number)
        upc = ean = None
        if number and (year or 2020) >= 1996 and rng.random() < barcode:
            if maker == "Swarovski":
                ean = _check("9009656" + f"{rng.randint(0, 99999):05d}")
            else:
                upc = _check(BARCODE_PREFIX[maker] + f"{rng.randint(0, 99999):05d}")
        retail = Decimal(rng.choice([395, 475, 550, 675, 775, 875]) if year and year < 1995 else
                         rng.choice([1499, 1799, 1999, 2199, 2499, 2999, 3499, 3999, 4999])) / 100
        if maker != "Hallmark":
            retail = Decimal(rng.choice([3500, 4500, 5000, 6500, 8500, 9900])) / 100
        artist = rng.choice(ARTISTS) if maker == "Hallmark" else None
        made.append(Product(f"p{len(made)}", maker, number, name, year, retail, upc, ean, kind, artist=artist, **more))
        return made[-1]

    def series(name: str, year: int, prefix: str = "QX", **more) -> Product:
        nth = year - SERIES_START[name] + 1
        return add("Hallmark", f"{name} {_nth(nth)} in Series", year, prefix, series=name, nth=nth, **more)

    for year in (2021, 2022, 2023):
        series("Frosty Friends", year)
        series("Nostalgic Houses and Shops", year)
    for year in (2021, 2022):
        series("Here Comes Santa", year)
    for year in (2022, 2023):
        series("Snow Buddies", year)
    for year in (2021, 2022, 2023):
        series("Holiday Barbie", year, "QXI", licensor="Barbie")
    for year in (1985, 1986):
        series("Frosty Friends", year)
        series("Rocking Horse", year)
    ff23 = next(p for p in made if p.series == "Frosty Friends" and p.year == 2023)
    add("Hallmark", f"Miniature {ff23.name}", 2023, prefix="QXM", series="Frosty Friends", nth=ff23.nth)
    add("Hallmark", f"{ff23.name} Club Repaint", 2023, prefix="QXC", series="Frosty Friends", nth=ff23.nth)
    add("Hallmark", "Frosty Friends Miniature Ornaments, Set of 3", 2022, prefix="QXM", kind="set")
    add("Hallmark", "Santa's Sleigh Ride", 2022)
    add("Hallmark", "Santa's Sleigh Ride Magic", 2022, prefix="QXR")
    add("Hallmark", "Toy Shop Santa", 2022)
    add("Hallmark", "Toy Shop Santa Ornament Premiere Exclusive", 2022, prefix="QXE")
    for year in (2022, 2023):
        add("Hallmark", "Baby's First Christmas", year, prefix="QXG")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2019, 2023), prefix=rng.choice(["QX", "QX", "QX", "QXG"]))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2019, 2023), prefix=prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year, prefix=rng.choice(["QX", "QX", "QX", "QLX", "QXM"]))
    add("Hallmark", "Santa's Workshop", 1992)
    add("Hallmark", "Santa's Workshop Magic", 1992, prefix="QLX")
    add("Hallmark", "Starship Enterprise Magic", 1991, prefix="QLX", licensor="Star Trek")
    add("Hallmark", "Holiday Favorites Jolly Santa", 1994, prefix="QK")
    add("Hallmark", "Tiny Tea Party Miniature", 1993, prefix="QSM")
    old = add("Hallmark", "Jolly Old Santa", 1988)
    add("Hallmark", "Woodland Gnome", 2014, number=old.number)  # Hallmark used the number again
    for year in (2022, 2023):  # one name every year, each its own number and barcode
        add("Lenox", f"Lenox {year} Annual Ornament", year, barcode=0.9)
        add("Waterford", f"Waterford {year} Annual Crystal Ball Ornament", year, barcode=0.9)
        add("Swarovski", f"Swarovski Annual Edition Ornament {year}", year, barcode=0.95)
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, None, barcode=0.85)
    add("Hallmark", "Keepsake Ornament Display Stand", 2022, prefix="QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Power Cord", 2021, prefix="QHX", kind="accessory")
    ff22 = next(p for p in made if p.series == "Frosty Friends" and p.year == 2022)
    add("Hallmark", f"Empty Box for {ff22.name}", 2022, kind="box")
    add("Hallmark", "Ornament Hooks, Pack of 25", None, kind="hooks")
    return made


# --- how people write it ---------------------------------------------------------------------------

_old = functools.partial(old_style, before=1995)  # this catalogue's old style runs to 1994


def _written(rng: random.Random, p: Product, style: str = "shop") -> str:
    """The number as a seller types it."""
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):  # the box prints "QX 497-5": the last digit after a dash
        forms = [f"{letters} {digits[:3]}-{digits[3]}", f"{letters}-{digits[:3]}-{digits[3]}", p.number,
                 f"{letters}{digits[:3]}-{digits[3]}", f"{letters} {digits}"]
        if style == "local":
            forms += [f"{letters.lower()} {digits[:3]} {digits[3]}", p.number.lower(), f"{letters.lower()}{digits[:3]}-{digits[3]}"]
    else:
        forms = [p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"]
        if style == "local":
            forms = [p.number.lower(), p.number.lower(), f"{letters.lower()} {digits}", p.number]
    return rng.choice(forms)


def _price_code(p: Product, dash: bool = True) -> str:
    """The code on the box's price sticker: the retail price in cents, then the number ("475QX497-5")."""
    cents = str(int(p.retail * 100))
    if _old(p) and dash:
        letters, digits = _split(p.number)
        return f"{cents}{letters}{digits[:3]}-{digits[3]}"
    return f"{cents}{p.number}"


def _barcode(p: Product) -> str | None:
    return p.ean or p.upc


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _maker(p: Product) -> str:
    return "Hallmark Keepsake" if p.maker == "Hallmark" else p.maker


def _bare(p: Product) -> str:
    """The name without its maker's word in front, for the places a shop writes the maker itself."""
    return p.name[len(p.maker) + 1:] if p.name.startswith(p.maker + " ") else p.name


def _year(p: Product) -> str:
    """The year for a title, unless the name says it already ("Lenox 2022 Annual Ornament")."""
    return str(p.year) if p.year and str(p.year) not in p.name else ""


def _kr(p: Product) -> str:
    name = p.name
    series = re.match(r"(.+?) (\d+)\w\w in Series(.*)", name)
    if series:
        name = f"{series[1]} 시리즈 {series[2]}번째{series[3]}"
    for english, hangul in KR.items():
        name = name.replace(english, hangul)
    return name


# --- shops: each writes the listings (usually one) of product p, prices in its currency -----------

def _antiques(rng, p, every, price):
    """A Ruby Lane / Replacements-like mall: dealers' ALL-CAPS titles, issue years, condition grades."""
    own = str(rng.randint(1000000, 9999999))
    number = _written(rng, p)
    cond = rng.choice(["MIB", "NIB", "IN ORIGINAL BOX", "NO BOX", "MINT", "W/ BOX"])
    replacements = rng.random() < 0.35
    if replacements:
        name = f"{_maker(p)} {'Ornaments (Dated)' if p.year else 'Ornaments'} - {p.name} Ornament {_year(p)}".upper()
        lines = [f"Manufacturer: {p.maker}", f"Pattern: {_maker(p)} Ornaments", f"Pattern Code: {p.maker[:3].upper()}KO{rng.randint(10, 99)}",
                 f"Replacements Item #: {rng.randint(4000000, 4999999)}"]
        if rng.random() < 0.7:
            lines.append(f"Mfr. Item #: {number}")
        if p.year:
            lines.append(f"Year Issued: {p.year}")
        lines.append(f"Condition: {rng.choice(['Excellent', 'Very Good', 'New in Box'])}")
    else:
        name = rng.choice([f"{_year(p)} {p.maker} KEEPSAKE ORNAMENT {_bare(p)} {cond}",
                           f"{'VINTAGE' if p.year and p.year < 2000 else 'RETIRED'} {p.maker} {_bare(p)} ORNAMENT {_year(p)} {cond}",
                           f"{p.maker} {_bare(p)} {_year(p)} CHRISTMAS ORNAMENT"]).upper()
        if rng.random() < 0.35:
            name += f" {number}".upper()
        lines = []
        say = rng.random()
        kind = "Keepsake Ornament" if p.maker == "Hallmark" else f"{p.maker} ornament"
        if say < 0.45:
            lines.append(f"{kind}, Item Number {number}" + (f", Issued {p.year}." if p.year else "."))
        elif say < 0.65 and p.maker == "Hallmark":
            lines.append(f"{kind} issued {p.year or 'undated'}. Price sticker on box reads {_price_code(p)}.")
        else:
            lines.append(f"{kind}" + (f" issued {p.year}." if p.year else "."))
        lines.append(f"Condition: {rng.choice(['C10 Mint', 'C9 Near Mint', 'C8.5 Excellent', 'C8 Very Good'])}. "
                     f"Box: {rng.choice(['crisp', 'shelf wear', 'price sticker residue', 'none'])}.")
        lines.append(f"Pattern code {p.maker[:3].upper()}{(p.year or 0) % 100:02d}{rng.choice('ABCDEFGH')}; "
                     f"dealer stock no. {rng.randint(100, 999)}-{rng.randint(10, 99)}")
        if rng.random() < 0.2:
            other = _others(rng, p, every)[0]
            lines.append(f"See my shop for more, including {other.name.upper()} {other.year or ''} {_written(rng, other)}.")
    lines.append("Ships insured. Layaway available.")
    return [{"vendor_product_id": own, "sku": f"RL{own}" if not replacements else None, "name": name,
             "brand": rng.choice([None, p.maker.upper()]), "description": "\n".join(lines),
             "release_year": p.year if rng.random() < 0.5 else None,
             "category": "Holiday & Seasonal > Christmas > Ornaments",
             "url": f"https://www.rubylane.example/item/{rng.randint(1000, 9999)}-{own}/{_slug(p.name)}"}]


def _uk(rng, p, every, price):
    own = f"TBB{rng.randint(10000, 99999)}"
    number = _written(rng, p)
    kind = rng.choice(["Christmas Bauble", "Hanging Decoration", "Christmas Tree Decoration"])
    name = rng.choice([f"{_maker(p)} {_bare(p)} {kind} {_year(p)}", f"{p.name} {kind} - {p.maker}",
                       f"{p.maker} {_bare(p)} ({p.year or 'undated'})" if _year(p) or not p.year else f"{p.maker} {_bare(p)}"])
    lines = [f"A beautifully detailed {kind.lower()} from {_maker(p)}'s collection.",
             f"Colour: {rng.choice(['Multicoloured', 'Red/White', 'Silver', 'Clear', 'Gold'])}"]
    if p.year:
        lines.append(f"Dated {p.year}.")
    if rng.random() < 0.55:
        lines.append(f"{rng.choice(['Product code:', 'Manufacturer code:', 'Manufacturer’s ref.:', 'Mfr code:'])} {number}")
    code = _barcode(p)
    ean = ("0" + code if len(code) == 12 else code) if code else None
    if ean and rng.random() < 0.4:
        grouped = f"{ean[0]} {ean[1:7]} {ean[7:12]} {ean[12]}" if rng.random() < 0.3 else ean
        lines.append(f"Barcode: {grouped}")
    lines.append(f"Dimensions: {rng.randint(5, 12)}.{rng.randint(0, 9)}cm")
    if rng.random() < 0.25:
        others = _others(rng, p, every, 2)
        lines.append("You might also like: " + "; ".join(f"{o.name} ({o.number})" for o in others))
    lines.append("Price includes VAT. Free UK delivery on orders over £40.")
    return [{"vendor_product_id": own, "sku": rng.choice([own, own, p.number]),
             "gtin": ean if ean and rng.random() < 0.35 else None, "brand": rng.choice(MAKERS[p.maker] + [None]),
             "name": name, "description": "\n".join(lines),
             "url": f"https://www.thebaublebox.example/products/{_slug(p.name)}"}]


def _australian(rng, p, every, price):
    letters, digits = _split(p.number)
    own = str(rng.randint(10000, 99999))
    code = {"Hallmark": "HMK", "Lenox": "LNX", "Waterford": "WAT", "Swarovski": "SWA"}[p.maker]
    sku = rng.choice([f"{code}-{digits}", f"{code}{digits}", f"XD{own}", p.number])
    name = rng.choice([f"Hallmark Keepsake {p.name} {_year(p)} Xmas Decoration" if p.maker == "Hallmark"
                       else f"{p.maker} {_bare(p)} Xmas Decoration",
                       f"{p.name} Christmas Tree Ornament - {p.maker}", f"{p.maker} {_bare(p)} Hanging Ornament {_year(p)}"])
    lines = [f"Add some sparkle to your tree with this {p.maker} decoration."]
    if p.year:
        lines.append(f"Year dated: {p.year}")
    if rng.random() < 0.45:
        lines.append(f"{rng.choice(['Supplier code:', 'Code:', 'Item code:', 'Model:'])} {_written(rng, p)}")
    barcode = _barcode(p)
    if barcode and rng.random() < 0.3:
        lines.append(f"Barcode: {barcode}")
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.append(f"Frequently bought together: {other.name} ({_written(rng, other)})")
    lines.append("GST inclusive. Afterpay available. Ships Australia-wide from Melbourne.")
    return [{"vendor_product_id": own, "sku": sku, "name": name, "brand": rng.choice([p.maker, None]),
             "description": "\n".join(lines), "gtin": barcode if barcode and rng.random() < 0.25 else None,
             "url": f"https://xmasdecorations.example.com.au/{_slug(p.name)}-{own}"}]


def _department(rng, p, every, price):
    """A department store's Google Shopping feed: title templates, mpn, gtin, item_group_id, product_type."""
    web_id = str(rng.randint(10 ** 6, 10 ** 7 - 1))
    brand = "Hallmark" if p.maker == "Hallmark" else p.maker
    material = rng.choice(["Porcelain", "Resin", "Glass", "Metal", "Crystal"])
    core = re.sub(r" Ornament$", "", _bare(p))
    year = _year(p)
    title = rng.choice([f"{_maker(p)} {year}, {core} Ornament" if year else f"{_maker(p)} {core} Ornament",
                        f"{p.name if p.maker == 'Hallmark' else core} Christmas Ornament{', ' + year if year else ''}",
                        f"{brand} Christmas Ornament{' ' + year if year else ''}, {core}, {material}"])
    mpn = rng.choice([p.number, p.number, _price_code(p, dash=False) if p.maker == "Hallmark" else p.number, None])
    barcode = _barcode(p)
    gtin = rng.choice([barcode, barcode, "0" + barcode, "00" + barcode if len(barcode) == 12 else barcode, None]) \
        if barcode else None
    if gtin and p.maker == "Lenox" and rng.random() < 0.4:
        gtin = gtin.lstrip("0")  # the spreadsheet ate the leading zero
    lines = [rng.choice([f"Dated {p.year}." if p.year else "Not dated.", f"A {p.year or ''} keepsake from {brand}."])]
    if p.series:
        lines.append(f"{_nth(p.nth)} in the {p.series} series.")
    lines += [f"{material}.", f"Approx. {rng.randint(2, 5)}.{rng.randint(0, 9)}\" H.", "Imported.", f"Web ID: {web_id}"]
    if rng.random() < 0.15:
        lines.append(f"Model #{p.number}")
    return [{"vendor_product_id": web_id, "sku": mpn, "gtin": gtin, "name": title, "brand": rng.choice([brand, brand.upper()]),
             "description": " ".join(lines), "item_group_id": f"{_slug(p.series or p.name)[:20]}-{rng.randint(100, 999)}",
             "category": f"Home > Holiday Lane > Christmas Ornaments > {brand}",
             "image_urls": [f"https://slimages.dept.example/is/image/store/{web_id}_fpx.tif?wid=800"],
             "url": f"https://www.deptstore.example/shop/product/{_slug(title)}?ID={web_id}"}]


def _guide(rng, p, every, price):
    """A collector's price guide: one page per ornament, labelled facts, related ornaments."""
    own = f"{rng.randint(10000, 99999)}"
    number = _written(rng, p)
    name = rng.choice([f"{_year(p)} {p.name}", f"{p.name} - {_year(p)} {_maker(p)} Ornament",
                       f"{p.name} ({number})" if rng.random() < 0.5 else f"{p.name} {_year(p)}"])
    lines = []
    if p.artist:
        lines.append(f"Artist: {p.artist}")
    if p.series:
        lines.append(f"Series: {p.series} #{p.nth}")
    lines.append(f"Original retail: ${p.retail}")
    shows = rng.random() < 0.8
    if shows:
        lines.append(f"{rng.choice(['Item #:', 'Item Number:', 'Stock #:', 'Hallmark #:' if p.maker == 'Hallmark' else 'Item #:'])} {number}")
    if p.year:
        lines.append(f"Year: {p.year}")
    lines.append(f"Secondary market value: ${int(price)}-${int(price) + rng.randint(5, 30)}")
    lines.append(rng.choice(["Complete with box.", "Value is for mint in box.", "Light and motion." if "Magic" in p.name else "Dated."]))
    if rng.random() < 0.35:
        others = _others(rng, p, every, rng.randint(1, 3))
        lines.append("Related ornaments: " + "; ".join(f"{o.year or ''} {o.name} ({_written(rng, o)})" for o in others))
    slug = _slug(p.name) + (f"-{p.number.lower()}" if shows and rng.random() < 0.4 else "")
    return [{"vendor_product_id": own, "sku": p.number if shows and rng.random() < 0.4 else None, "name": name,
             "brand": p.maker, "description": "\n".join(lines), "series": p.series,
             "release_year": p.year, "url": f"https://ornamentarchive.example/ornaments/{p.year or 'undated'}/{slug}"}]


TYPOS = [("ornament", "ornment"), ("ornament", "ornamnet"), ("hallmark", "hallmrk"), ("keepsake", "keepsak"),
         ("christmas", "chrismas"), ("friends", "freinds")]


def _local(rng, p, every, price):
    """A Facebook Marketplace / Craigslist-like local seller: lower case, no punctuation, typos."""
    own = str(rng.randint(10 ** 14, 10 ** 15 - 1))
    yy = rng.choice([f"2k{p.year % 100:02d}" if p.year and p.year >= 2000 else str(p.year or ""),
                     f"’{p.year % 100:02d}" if p.year else "", str(p.year or "")])
    short = re.sub(r"\d+\w\w in series", "", _bare(p).lower()).replace("'", "").replace(":", "").strip()
    title = rng.choice([f"{p.maker.lower()} {'keepsake ' if p.maker == 'Hallmark' else ''}ornament {short} {yy}", f"{short} {p.maker.lower()} ornament {yy}",
                        f"{yy} {p.maker.lower()} {short} christmas ornament"])
    for right, wrong in rng.sample(TYPOS, 2):
        if rng.random() < 0.5:
            title = title.replace(right, wrong)
    number = _written(rng, p, style="local")
    place = rng.choice(["title", "text", "text", "none", "none"])
    if place == "title":
        title += rng.choice([f" {number}", f" #{number}"])
    text = [rng.choice(["new in box never opened", "box has some wear ornament is perfect", "no box",
                        "from smoke free home", "still has price tag"])]
    if place == "text":
        text.append(rng.choice([f"number on box is {number}", f"#{number}", f"model {number}", f"its {number}"]))
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        text.append(f"also have the {other.year or ''} one {_written(rng, other, style='local')} message me")
    text.append(rng.choice(["pick up only", "cash or venmo", "porch pick up", "can meet in town", "price firm"]))
    return [{"vendor_product_id": own, "name": title[:100], "description": " ".join(text).lower(),
             "url": f"https://www.facebook.example/marketplace/item/{own}/"}]


def _korean(rng, p, every, price):
    own = str(rng.randint(10 ** 9, 10 ** 10 - 1))
    number = _written(rng, p)
    keepsake = "키프세이크 " if p.maker == "Hallmark" else ""
    name = rng.choice([f"[해외] {KR_MAKER[p.maker]} {keepsake}오너먼트 {_year(p) + '년 ' if _year(p) else ''}{_kr(p)}",
                       f"{p.maker} {KR_MAKER[p.maker]} 크리스마스 오너먼트 {_kr(p)} {_year(p)}",
                       f"[{p.maker}] {_kr(p)} 트리 장식 오너먼트 {p.name}"])
    if rng.random() < 0.3:
        name += f" {number}"
    lines = [f"브랜드: {p.maker} ({KR_MAKER[p.maker]})", f"상품명: {p.name}"]
    if rng.random() < 0.65:
        lines.append(f"{rng.choice(['모델명:', '제품번호:', '품번:', '모델번호 :'])} {number}")
    if p.year:
        lines.append(f"출시년도: {p.year}년")
    barcode = _barcode(p)
    if barcode and rng.random() < 0.35:
        lines.append(f"바코드: {barcode}")
    lines.append("해외구매대행 상품입니다. 배송기간 7~14일 (주말/공휴일 제외)")
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.append(f"함께 보면 좋은 상품: {_kr(other)} {other.number}")
    price_krw = Decimal(int(price * 1350) // 100 * 100)
    return [{"vendor_product_id": own, "sku": rng.choice([f"K{own[-6:]}", p.number, None]), "name": name,
             "brand": rng.choice([p.maker, KR_MAKER[p.maker], f"{p.maker}({KR_MAKER[p.maker]})"]),
             "description": "\n".join(lines), "gtin": barcode if barcode and rng.random() < 0.3 else None,
             "price": price_krw, "url": f"https://smartstore.naver.example/ornamenthouse/products/{own}"}]


def _goldcrown(rng, p, every, price):
    """A Hallmark Gold Crown store: the box's price code as sku, HTML lists and a Details table."""
    own = _price_code(p, dash=False)
    sku = rng.choice([own, own, p.number, None])
    name = rng.choice([f"{p.name} {_year(p)} Keepsake Ornament", f"{p.name} Ornament", f"Keepsake {p.name}"])
    items = [f"Dated {p.year}" if p.year else "Not dated"]
    if p.series:
        items.append(f"{_nth(p.nth)} in the {p.series} series")
    if p.artist:
        items.append(f"Artist: {p.artist}")
    if "Magic" in p.name:
        items.append("Requires Keepsake Magic Power Cord (sold separately)")
    items.append(f"Measures {rng.randint(2, 5)}.{rng.randint(0, 9)}\" H")
    rows = []
    if rng.random() < 0.6:
        rows.append(("Item Number", rng.choice([_price_code(p, dash=False), p.number])))
    if p.upc and rng.random() < 0.5:
        rows.append(("UPC", p.upc))
    if p.year:
        rows.append(("Year", str(p.year)))
    rows.append(("Material", rng.choice(["Porcelain", "Resin", "Metal, plastic"])))
    text = (f"<p>{html.escape(p.name, quote=False)} is ready to hang on your tree.</p><ul>"
            + "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in items) + "</ul><h3>Details</h3><table>"
            + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>")
    if rng.random() < 0.3:
        same = [o for o in every if p.series and o.series == p.series and o.number != p.number and o.kind == "ornament"]
        others = rng.sample(same, min(2, len(same))) if same else _others(rng, p, every, 2)
        heading = "Complete the set" if same else "You may also like"
        text += f"<h3>{heading}</h3><ul>" + "".join(f"<li>{html.escape(o.name, quote=False)} - {_price_code(o, dash=False)}</li>"
                                                    for o in others) + "</ul>"
    return [{"vendor_product_id": own, "sku": sku, "name": name, "brand": "Hallmark", "description": text,
             "gtin": p.upc if p.upc and rng.random() < 0.4 else None, "release_year": p.year, "series": p.series,
             "image_urls": [f"https://goldcrown.example/media/catalog/product/{_slug(p.name)}_{rng.randint(1, 9)}.jpg"],
             "url": f"https://goldcrownornaments.example/{_slug(p.name)}.html"}]


def _licensed(rng, p, every, price):
    """A gift marketplace: the brand field is the licensor or the seller; the maker only in the text."""
    own = f"GM{rng.randint(100000, 999999)}"
    brand = p.licensor or rng.choice(["Holiday Gift Outlet", "HGO Collectibles"])
    character = re.sub(r"^(?:'s)?:? ", "", p.name[len(p.licensor):]) if p.licensor and p.name.startswith(p.licensor) \
        else p.name
    name = rng.choice([f"{brand} {character} Christmas Ornament {_year(p)}",
                       f"{character} Christmas Tree Ornament, {brand} Collectible {_year(p)}",
                       f"{brand} Holiday Ornament - {character}"])
    lines = [f"Officially licensed {p.licensor} collectible." if p.licensor else "A collectible Christmas ornament."]
    say = rng.random()
    if say < 0.35:
        lines.append(f"Made by {p.maker}. {_maker(p)} ornament, model {_written(rng, p)}.")
    elif say < 0.6:
        lines.append(f"Manufacturer: {p.maker} Cards, Inc.\nModel number: {_written(rng, p)}")
    elif say < 0.8:
        lines.append(f"By {_maker(p)}.")
    else:
        lines.append("Gift boxed.")
    if p.year:
        lines.append(f"Year: {p.year}")
    if rng.random() < 0.25:
        others = _others(rng, p, every, 2)
        lines.append("Customers who viewed this also viewed: " + ", ".join(f"{o.name} {o.number}" for o in others))
    return [{"vendor_product_id": own, "sku": rng.choice([own, f"{brand[:3].upper()}-{rng.randint(1000, 9999)}"]),
             "gtin": p.upc if p.upc and rng.random() < 0.45 else None, "brand": brand, "name": name,
             "description": "\n".join(lines), "url": f"https://www.giftmarket.example/p/{_slug(name)}/{own}"}]


def _category(p: Product) -> str:
    if p.maker != "Hallmark":
        return p.maker
    if p.year and p.year < 2000:
        return "vintage"
    return "licensed" if p.licensor else "modern"


# vendor: (writer, currency, price factor, the share of each category's pieces it carries, the years it sells)
SHOPS = {"rubylane_mall": (_antiques, "USD", 1.2, {"vintage": 0.65, "modern": 0.15, "licensed": 0.15, "Lenox": 0.5,
                                                   "Waterford": 0.5, "Swarovski": 0.2}, None),
         "uk_thebaublebox": (_uk, "GBP", 0.8, {"vintage": 0.05, "modern": 0.55, "licensed": 0.4, "Swarovski": 0.6,
                                              "Waterford": 0.5, "Lenox": 0.1}, None),
         "au_xmasdecorations": (_australian, "AUD", 1.5, {"modern": 0.45, "licensed": 0.45, "Swarovski": 0.45,
                                                          "Waterford": 0.25}, None),
         "gshopping_deptstore": (_department, "USD", 1, {"modern": 0.6, "licensed": 0.6, "Lenox": 0.7,
                                                          "Waterford": 0.6, "Swarovski": 0.5}, 2019),
         "guide_ornamentarchive": (_guide, "USD", 1, {"vintage": 0.8, "modern": 0.65, "licensed": 0.6}, None),
         "fb_marketplace_local": (_local, "USD", 0.6, {"vintage": 0.35, "modern": 0.3, "licensed": 0.3, "Lenox": 0.1},
                                  None),
         "kr_ornamenthouse": (_korean, "KRW", 1, {"modern": 0.4, "licensed": 0.45, "Swarovski": 0.4}, 2019),
         "goldcrown_store": (_goldcrown, "USD", 1, {"modern": 0.8, "licensed": 0.75}, 2021),
         "giftmarket_licensed": (_licensed, "USD", 1.1, {"licensed": 0.85, "modern": 0.15}, 2019)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some (lots, bundles, a box, hooks), and the stand and the
    power cord, whose own numbers stand beside the ornaments' they go with."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    frosty = [p for p in every if p.series == "Frosty Friends" and p.year >= 2021 and p.kind == "ornament"
              and p.name.startswith("Frosty Friends") and p.name.endswith("in Series")]
    old = [p for p in every if p.year and p.year < 2000 and p.kind == "ornament"]
    for i in range(2):  # a local seller's lots
        lot = rng.sample(old, 6)
        rows.append({"vendor": "fb_marketplace_local", "vendor_product_id": f"lot{i}{rng.randint(10 ** 9, 10 ** 10)}",
                     "name": f"lot of 6 hallmark ornaments {rng.choice(['80s', '90s', 'vintage', 'all for 40'])}",
                     "description": ("all in boxes " + " ".join(f"{p.name} {_written(rng, p, 'local')}" for p in lot)
                                     + " take all only").lower(), "truth": "lot-" + "-".join(sorted(p.key for p in lot))})
    lot = rng.sample(old, 4)
    rows.append({"vendor": "rubylane_mall", "vendor_product_id": f"{rng.randint(10 ** 6, 10 ** 7)}L",
                 "name": "LOT OF 4 VINTAGE HALLMARK KEEPSAKE ORNAMENTS IN BOXES",
                 "description": "Includes: " + "; ".join(f"{p.name.upper()} {p.year} {_written(rng, p)}" for p in lot)
                                + ".\nSold as a lot only.", "truth": "lot-" + "-".join(sorted(p.key for p in lot))})
    for vendor, vid, currency_name, fmt in (("uk_thebaublebox", "TBB-BUNDLE-FF", "Bundle", "{n} ({c})"),
                                            ("au_xmasdecorations", "BUNDLE77", "Value Pack", "{n} - code {c}")):
        rows.append({"vendor": vendor, "vendor_product_id": vid, "truth": f"bundle-{vendor}",
                     "name": f"Hallmark Frosty Friends 2021, 2022 & 2023 {currency_name} (3 decorations)",
                     "description": "This bundle includes:\n" + "\n".join(fmt.format(n=p.name, c=p.number) for p in frosty)
                                    + "\nSave when you buy all three."})
    ff22 = frosty[1]
    box = find(lambda p: p.kind == "box")
    rows.append({"vendor": "fb_marketplace_local", "vendor_product_id": "box" + str(rng.randint(10 ** 9, 10 ** 10)),
                 "truth": box.key, "name": "hallmark frosty friends 2022 box only",
                 "description": f"empty box no ornament for {ff22.number.lower()} frosty freinds 43rd  pick up only"})
    rows.append({"vendor": "rubylane_mall", "vendor_product_id": f"{rng.randint(10 ** 6, 10 ** 7)}B", "truth": box.key,
                 "name": f"EMPTY BOX ONLY - 2022 HALLMARK FROSTY FRIENDS {ff22.number}",
                 "description": "Original box and insert only. NO ORNAMENT. Box: crisp."})
    stand = find(lambda p: p.kind == "stand")
    magic = find(lambda p: p.name == "Santa's Sleigh Ride Magic")
    rows.append({"vendor": "goldcrown_store", "vendor_product_id": _price_code(stand, dash=False), "truth": stand.key,
                 "sku": _price_code(stand, dash=False), "name": "Keepsake Ornament Display Stand", "brand": "Hallmark",
                 "release_year": 2022, "gtin": stand.upc,
                 "description": f"<p>Show off a favourite ornament.</p><ul><li>Shown with {html.escape(magic.name, quote=False)} "
                                f"({magic.number}), sold separately</li></ul><table><tr><td>Item Number</td>"
                                f"<td>{stand.number}</td></tr></table>"})
    rows.append({"vendor": "au_xmasdecorations", "vendor_product_id": "61234", "truth": stand.key, "sku": f"HMK-{stand.number[3:]}",
                 "name": "Hallmark Keepsake Display Stand", "description": f"Display stand to suit Frosty Friends "
                 f"ornaments (pictured with {frosty[2].number}, not included).\nSupplier code: {stand.number}"})
    rows.append({"vendor": "gshopping_deptstore", "vendor_product_id": str(rng.randint(10 ** 6, 10 ** 7)),
                 "truth": stand.key, "sku": stand.number, "gtin": stand.upc, "brand": "Hallmark",
                 "name": "Hallmark Keepsake Ornament Display Stand", "description": "Metal. Ornament not included."})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "goldcrown_store", "vendor_product_id": _price_code(cord, dash=False), "truth": cord.key,
                 "name": "Keepsake Magic Power Cord", "brand": "Hallmark", "release_year": 2021,
                 "description": f"<p>Powers Keepsake Magic ornaments with a connector, such as {html.escape(magic.name, quote=False)} "
                                f"{magic.number}.</p><table><tr><td>Item Number</td><td>{_price_code(cord, dash=False)}</td></tr>"
                                + (f"<tr><td>UPC</td><td>{cord.upc}</td></tr>" if cord.upc else "") + "</table>"})
    rows.append({"vendor": "fb_marketplace_local", "vendor_product_id": "cord" + str(rng.randint(10 ** 9, 10 ** 10)),
                 "truth": cord.key, "name": "hallmark magic ornament power cord",
                 "description": f"works with the magic ones like {magic.number.lower()} santa sleigh ride  cash only"})
    rows.append({"vendor": "kr_ornamenthouse", "vendor_product_id": str(rng.randint(10 ** 9, 10 ** 10)), "truth": cord.key,
                 "name": "[해외] 홀마크 키프세이크 매직 전원 코드 Power Cord", "sku": cord.number,
                 "description": f"브랜드: Hallmark (홀마크)\n모델명: {cord.number}\n호환: {magic.name} {magic.number} 등 매직 오너먼트",
                 "price": Decimal(27000)})
    hooks = find(lambda p: p.kind == "hooks")
    rows.append({"vendor": "uk_thebaublebox", "vendor_product_id": "TBB-HOOKS", "truth": hooks.key,
                 "name": "Hallmark Keepsake Ornament Hooks (Pack of 25)", "brand": "Hallmark",
                 "description": f"Gold-tone hooks, the same as supplied with {frosty[2].name} ({frosty[2].number}).\n"
                                "Price includes VAT."})
    rows.append({"vendor": "au_xmasdecorations", "vendor_product_id": "HOOKS25", "truth": hooks.key, "sku": "HMK-HOOK25",
                 "name": "Hallmark Ornament Hooks x 25", "description": "Spare hooks for Keepsake ornaments. GST inclusive."})
    return rows


def _plain(text: str | None) -> str:
    """What a person reads: HTML tags gone, entities decoded, compatibility forms folded (NFKC)."""
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    if not p.number:
        return False
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    if p.number.isdigit():
        if any(p.number in re.findall(r"\d+", t) for t in texts):
            return True
    elif any(p.number in re.sub(r"[^A-Z0-9]", "", t.upper()) for t in texts):
        return True
    codes = {c.lstrip("0") for c in (p.upc, p.ean) if c}
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 6666) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, factor, shares, since) in SHOPS.items():
        for p in every:
            share = shares.get(_category(p), 0.0)
            if p.kind not in ("ornament", "set") or rng.random() > share or since and (p.year or since) < since:
                continue
            price = (Decimal(rng.randint(999, 6999)) / 100 * Decimal(str(factor))).quantize(Decimal("0.01"))
            if _category(p) == "vintage":
                price = (price / 2).quantize(Decimal("0.01"))
            for row in write(rng, p, every, price):
                row.setdefault("price", price)
                row.update(vendor=vendor, truth=p.key)
                rows.append(row)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
