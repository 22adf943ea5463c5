"""An eleventh truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher: the data an affiliate site ingests from networks' product feeds
and from shop exports that went through a spreadsheet.

- an Awin-like feed (GBP): merchant_product_id (its own ids look like Hallmark's: "QK4821"), product_name,
  description, brand_name, ean / product_GTIN (GTIN-14), mpn and model_number; the mpn holds "Hallmark QX9201",
  the bare number, the merchant's own id, nothing or "N/A" (then model_number, then the own id is the sku);
- a CJ-like feed (USD): SKU the merchant's own (seven digits starting 10, like Radko's numbers), UPC,
  MANUFACTURERID (the maker's number, the own SKU or nothing), MANUFACTURER, KEYWORDS stuffed into the
  description with other products' numbers (and now and then its own);
- an Impact-like catalog (USD): CatalogItemId, "Manufacturer Part Number" ("QX 9201"), GTIN (GTIN-14 zero
  padded or a UPC), "Labels" (the category) naming other pieces' numbers ("goes-with-QX9187");
- a ShareASale-like pipe record (USD): ProductID, merchant SKU, PartNumber, UPC, a description written with
  pipes ("Dated 2023 | Item QX 920-1 | Ships in 1-2 days"), CrossSell numbers, CompatibleWith for stands,
  junk in ReservedForFutureUse;
- a Rakuten-like record (USD): sku_number the merchant's own (seven digits starting 40 or 60, like Department
  56's), part_number, manufacturer_name, UPC, "Collectors also viewed";
- a shop's export opened and saved in Excel (USD): ids as floats ("1042.0"), item numbers as floats
  ("4051270.0") or with thousand separators ("4,051,270"), UPCs that lost their leading zero (11 digits),
  12-digit barcodes in scientific notation ("7.63795E+11": digits lost, no barcode to read), GTIN-14 padded
  ("00763795920150"), cells "null", "0", "-", "#N/A", titles cut at 40 characters, a "Details" column
  concatenated from the damaged cells;
- a German network feed (EUR): translated names ("Christbaumschmuck", "Miniatur", "mit Licht und Ton"),
  "Artikelnummer" (its own, six digits), "Herstellernummer", "EAN", "Preis: 24,99 € inkl. MwSt.", "Das könnte
  Ihnen auch gefallen";
- a French network feed (EUR): "Réf. marchand", "Réf. fabricant", "Code EAN", "Prix : 24,99 €", "Vous aimerez
  aussi";
- a price-comparison feed (EUR) whose pages merge offers ("3 offers from 12,99 €"), quote the offers' titles
  with their own spellings of the number, and list similar products and their numbers.

Makers: Hallmark (QX, QXR Magic, QXM miniature, QXI / QXD licensed, QHX accessories, "QX 531-6" before 1991),
Department 56 (seven digits, a lit village building and its ornament), Christopher Radko (seven digits from
10, one piece in two colours), Kurt Adler ("C7654", "J1234"), Old World Christmas (five digits), Precious
Moments (six digits, the year's two first; a dated piece in consecutive years, girl and boy versions).

Traps: series in consecutive years, Magic and plain pieces of one name, miniature and full size, a number
Hallmark used in 1988 and again in 2019, a Kurt Adler and an Old World Christmas pickle, a stand and a Magic
cord naming what they fit, empty boxes, lots, copies ("inspired by", "inspirée de"), cross-sells and keywords
with other products' numbers, labels naming numbers, shops' own ids that look like maker numbers, barcodes
destroyed by Excel.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or a barcode of it (after HTML tags; separators inside it ignored; an 11-digit UPC without its leading zero
counts, a barcode in scientific notation does not). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen10` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ornaments.normalize import identifier
from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others
from tests.catalogue_truth import shown, split_number as _split, summary, with_check as _check, year_text as _year
from tests.catalogue_truth import titled as _titled

__all__ = ["listings", "shown", "summary"]  # shown: the tests read it from here


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None
    name: str
    year: int | None
    barcode: str | None = None  # a 12-digit UPC-A
    kind: str = "ornament"
    series: str | None = None
    licensor: str | None = None


SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Here Comes Santa": 1979,
                "Snow Buddies": 1998, "Mischievous Kittens": 1999, "Toymaker Santa": 2000, "Sky's the Limit": 1997}
MAGIC = ["Santa's Workshop Express", "Fireside Story Time", "Grandma's Kitchen Cookies", "Holiday Lights Drive-In",
         "Ice Skating Pond", "Toy Shop Window"]
MODERN = ["Cardinal Couple on Pine Branch", "Hot Cocoa Cart", "Vintage Red Truck With Tree", "Gingerbread Chalet",
          "Baby's First Christmas Lamb", "Our First Christmas Together Mailbox", "Grandpa's Fishing Dock",
          "Mouse in a Teacup", "Sledding Polar Bear Cubs", "Tennis Racket and Ball", "Latte Art Snowman",
          "Flamingo With Lights", "Nutcracker Bugler", "Kitten in a Mitten", "Best Friends Raccoons",
          "Woodland Deer Family", "Little Lamb in Scarf", "Airstream Christmas Trailer", "Teacher's Chalkboard",
          "Brother Bears", "Gnome With Wreath", "Mom's Recipe Box", "Labrador in Snow Boots", "Barn Owl Family",
          "Farmhouse Tree Stand Sign", "Tandem Bicycle Elves", "Pickleball Pals", "Camping Lantern"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian and Grogu Sled"),
            ("QXD", "Disney", "Disney Frozen Olaf Surprise"),
            ("QXD", "Disney", "Disney The Little Mermaid Ariel's Grotto"),
            ("QXI", "Peanuts", "Peanuts Charlie Brown's Tree Lot"), ("QXI", "Harry Potter", "Harry Potter The Burrow"),
            ("QXI", "The Grinch", "Dr. Seuss The Grinch Stealing Stockings"),
            ("QXI", "Barbie", "Barbie Dreamhouse Kitchen"),
            ("QXI", "Marvel", "Marvel Iron Man Armor"), ("QXD", "Disney", "Disney Pixar Toy Story Woody and Bullseye"),
            ("QXI", "Star Trek", "Star Trek U.S.S. Enterprise"), ("QXI", "Lionel", "Lionel Polar Express Locomotive"),
            ("QXI", "Sesame Street", "Sesame Street Elmo's Stocking")]
VINTAGE = [("Betsey Clark Home for Christmas", 1986), ("Polar Bear Sled Ride", 1987),
           ("Norman Rockwell Skating Lesson", 1985), ("Twelve Days of Christmas Six Geese", 1989),
           ("Baby's First Christmas Rocking Horse", 1990),
           ("Christmas Kitty Tin", 1982), ("Currier and Ives Sleigh", 1984)]
OTHERS = {"Department 56": ["Village Bakery Ornament", "Snowbabies Wishing Star", "North Pole Elf Workshop Ornament",
                            "Dickens Village Fezziwig's Warehouse Ornament",
                            "Christmas in the City Toy Store Ornament"],
          "Christopher Radko": ["Santa's Midnight Ride", "Shiny Brite Gingerbread Boy", "Nutcracker Suite Finial",
                                "Winter Wonderland Reflector", "Holiday Hoot Owl"],
          "Kurt Adler": ["Nutcracker Soldier Glass Ornament", "Polonaise Santa on Sleigh", "Hollywood Nuts Baker",
                         "Noble Gems Cardinal", "Fabriche Snowman With Skis"],
          "Old World Christmas": ["Gnome With Mushroom", "Santa in Chimney", "Retro Camper", "Hot Air Balloon",
                                  "Cuckoo Clock"],
          "Precious Moments": ["Our First Christmas Together Bells", "Peace on Earth Angel", "Joy to the World Lamb",
                               "Sharing Season Kitten"]}
# Company prefixes of the UPC-A codes (none in the restricted 2, 4 and 5 ranges).
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "076933", "Christopher Radko": "089634",
                  "Kurt Adler": "086131", "Old World Christmas": "013964", "Precious Moments": "061554"}


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()
    again: set[str] = set()  # a number Hallmark used twice
    codes: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Department 56": lambda: f"{rng.choice('46')}0{rng.randint(10000, 99999)}",
                "Christopher Radko": lambda: f"10{rng.randint(10000, 29999)}",
                "Kurt Adler": lambda: f"{rng.choice('CJT')}{rng.randint(1000, 9999)}",
                "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                "Precious Moments": lambda: f"{(year or 2022) % 100}{rng.randint(1000, 1999)}"}[maker]()

    def add(maker, name, year, prefix="QX", number=None, kind="ornament", barcode=0.72, **more) -> Product:
        while number is None or number in used and number not in again:
            number = number_of(maker, prefix, year)
        used.add(number)
        code = None
        if (year or 2020) >= 1996 and rng.random() < barcode:
            while code is None or code in codes:
                code = _check(BARCODE_PREFIX[maker] + "".join(str(rng.randint(0, 9)) for _ in range(5)))
            codes.add(code)
        made.append(Product(f"a{len(made)}", maker, number, name, year, code, kind, **more))
        return made[-1]

    last = rng.choice([2023, 2024])
    for i, series in enumerate(rng.sample(sorted(SERIES_START), 5)):
        for year in range(last - (3, 3, 2, 1, 1)[i], last + 1):  # the series in consecutive years
            add("Hallmark", f"{series} {_nth(year - SERIES_START[series] + 1)} in Series", year, series=series)
    for full in rng.sample([p for p in made if p.year == last - 1], 2):  # miniature and full size
        add("Hallmark", f"Miniature {full.name}", full.year, "QXM", series=full.series)
    for name in rng.sample(MAGIC, 3):  # a Magic piece and the plain one of the same name
        year = rng.randint(2021, 2024)
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR")
    for name in rng.sample(MODERN, 17):
        add("Hallmark", name, rng.randint(2020, 2024))
    for prefix, licensor, name in rng.sample(LICENSED, 8):
        add("Hallmark", name, rng.randint(2020, 2024), prefix, licensor=licensor)
    for name, year in rng.sample(VINTAGE, 4):
        add("Hallmark", name, year)
    old = add("Hallmark", "Mr. and Mrs. Claus Bakery", 1988)
    again.add(old.number)
    add("Hallmark", "Cozy Cabin Birdhouse", 2019, number=old.number)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in rng.sample(names, 4 if maker != "Precious Moments" else 3):
            add(maker, name, rng.choice([None, 2021, 2022, 2023, 2024]) if maker != "Precious Moments"
                else rng.randint(2021, 2024), barcode=0.7)
    add("Department 56", "Snow Village Corner Diner", 2023)  # the lit building ...
    add("Department 56", "Snow Village Corner Diner Ornament", 2023)  # ... and its ornament
    colour = rng.choice(["Candy Cottage", "Starlight Carousel"])
    add("Christopher Radko", f"{colour} (Pink)", 2023)
    add("Christopher Radko", f"{colour} (Blue)", 2023)
    add("Kurt Adler", "Glass Pickle Ornament", None)
    add("Old World Christmas", "Christmas Pickle", None)  # the same thing, another maker
    first = rng.choice([2022, 2023])
    for year in (first, first + 1):
        add("Precious Moments", f"Baby's First Christmas Girl {year}", year)
    add("Precious Moments", f"Baby's First Christmas Boy {first + 1}", first + 1)
    add("Hallmark", "Keepsake Ornament Display Tree With Lights", 2023, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2024, "QHX", kind="accessory")
    return made


# --- how people and spreadsheets write it ------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    if p.maker == "Kurt Adler":
        return rng.choice([p.number, p.number, f"{p.number[0]}-{p.number[1:]}"])
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}", p.number.lower()])


def _own(rng: random.Random, every: list[Product], make) -> str:
    """A shop's own id (make(rng)) that is no maker's number of the catalogue, however much it looks like one."""
    taken = {p.number for p in every}
    while (own := make(rng)) in taken:
        pass
    return own


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _eur(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _excel_code(rng: random.Random, code: str | None) -> str:
    """A barcode cell after Excel: a number (a 12-digit one shown in scientific notation with its last digits
    lost, one that began with 0 down to 11 digits), text kept, GTIN-14 zero padded, or junk."""
    if not code:
        return rng.choice(["", "", "0", "#N/A", "null", "-"])
    way = rng.random()
    if way < 0.5:
        digits = str(int(code))
        if len(digits) <= 11:
            return digits
        mantissa, exponent = f"{int(digits):.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"
    if way < 0.68:
        return code
    if way < 0.82:
        return code.zfill(14)
    return rng.choice(["0", "#N/A", "null", "-", ""])


def _excel_number(rng: random.Random, p: Product) -> str:
    """An item number cell after a spreadsheet: digits as a float or with thousand separators, or junk."""
    if rng.random() < 0.15:
        return rng.choice(["#N/A", "null", "-", "0"])
    if p.number.isdigit():
        return rng.choice([p.number, f"{p.number}.0", f"{int(p.number):,}", f"{p.number}.0"])
    return _written(rng, p)


# --- the shops ------------------------------------------------------------------------------------------

def _awin(rng, p, every, price):
    own = _own(rng, every, lambda r: f"QK{r.randint(1000, 9999)}")
    way = rng.random()
    mpn = (f"{p.maker} {_written(rng, p)}" if way < 0.33 else _written(rng, p) if way < 0.58 else own if way < 0.7
           else "" if way < 0.85 else rng.choice(["N/A", "n/a", "Does not apply"]))
    model = _written(rng, p) if rng.random() < 0.35 else rng.choice(["", "", own])
    ean = "0" + p.barcode if p.barcode and rng.random() < 0.5 else rng.choice(["", "", "0"])
    gtin14 = p.barcode.zfill(14) if p.barcode and not ean.strip("0") and rng.random() < 0.35 else ""
    text = (f"{rng.choice(['Beautifully detailed', 'A collector favourite', 'Dated and hand-finished'])}: "
            f"{p.name}{', ' + str(p.year) if p.year else ''}, by {p.maker}.")
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        text += f" Pairs beautifully with {o.name} ({o.number})."
    if rng.random() < 0.2:
        text += " Mpn: N/A. Free UK delivery over £40."
    name = rng.choice([f"{p.maker} {_titled(p)}", f"{p.maker} Keepsake {_titled(p)} Christmas Tree Decoration",
                       f"{_titled(p)} | {p.maker}"])
    return [{"vendor_product_id": own, "sku": identifier(mpn) or identifier(model) or own, "name": name,
             "gtin": next((g for g in (ean, gtin14) if g.strip("0")), ean or gtin14), "description": text,
             "brand": rng.choice([p.maker, p.maker, "The Christmas Cottage"]),
             "url": f"https://thechristmascottage.example.co.uk/p/{_slug(p.name)}",
             "affiliate_url": f"https://www.awin1.example/pclick.php?p={rng.randint(10**10, 10**11)}&a=612345&m=4127",
             "price": (price * Decimal("0.79")).quantize(Decimal("0.01"))}]


def _cj(rng, p, every, price):
    own = _own(rng, every, lambda r: f"10{r.randint(10000, 29999)}")
    way = rng.random()
    maker_id = _written(rng, p) if way < 0.6 else own if way < 0.75 else ""
    words = ["hallmark" if p.maker == "Hallmark" else p.maker.lower(), "christmas ornament", "collectible"]
    words += [o.number for o in _others(rng, p, every, rng.randint(1, 3))]
    if rng.random() < 0.3:
        words.append(p.number)
    rng.shuffle(words)
    text = f"{p.name}. {'Dated ' + str(p.year) + '. ' if p.year else ''}Gift boxed. Keywords: {', '.join(words)}"
    name = f"{p.maker} Christmas Ornament{' ' + str(p.year) if p.year else ''}, {p.name}"
    return [{"vendor_product_id": own, "sku": identifier(maker_id) or own, "name": name, "description": text,
             "gtin": p.barcode if p.barcode and rng.random() < 0.55 else None,
             "brand": rng.choice([p.maker, p.maker.upper(), f"{p.maker} Inc."]),
             "url": f"https://www.ornamentoutlet.example/item/{own}",
             "affiliate_url": f"https://www.anrdoezrs.example/click-9051234-{rng.randint(10**7, 10**8)}"}]


def _impact(rng, p, every, price):
    own = str(rng.randint(10**7, 10**8 - 1))
    way = rng.random()
    mpn = _written(rng, p) if way < 0.65 else own if way < 0.75 else ""
    if mpn and p.maker == "Hallmark" and not _old(p) and rng.random() < 0.4:
        letters, digits = _split(p.number)
        mpn = f"{letters} {digits}"
    code = (p.barcode.zfill(14) if rng.random() < 0.5 else p.barcode) if p.barcode and rng.random() < 0.6 else None
    labels = ["Ornaments", p.maker]
    if p.series:
        labels.append(_slug(p.series))
    if rng.random() < 0.45:
        labels.append(f"goes-with-{_others(rng, p, every)[0].number}")
    if rng.random() < 0.3:
        labels.append(rng.choice(["Best Seller", "Gift Idea", "Last Chance"]))
    return [{"vendor_product_id": own, "sku": identifier(mpn) or own, "name": f"{_titled(p)} {p.maker} Ornament",
             "gtin": code, "brand": p.maker, "category": ", ".join(labels),
             "description": f"{p.name}. {rng.choice(['Ready to hang.', 'Ships gift boxed.', 'Limited quantities.'])}",
             "url": f"https://merrymerchant.example/products/{_slug(p.name)}",
             "affiliate_url": f"https://merrymerchant.sjv.example/c/2231/{rng.randint(100000, 999999)}/9876"}]


def _shareasale(rng, p, every, price):
    own = f"HH-{rng.randint(1000, 9999)}-{rng.choice(['GLD', 'RED', 'STD'])}"
    part = _written(rng, p) if rng.random() < 0.55 else ""
    parts = [p.name, f"Dated {p.year}" if p.year else "Undated"]
    if rng.random() < 0.4:
        parts.append(f"Item {_written(rng, p)}")
    parts.append(rng.choice(["Ships in 1-2 days", "Gift box included", "Collector owned, never displayed"]))
    text = " | ".join(parts)
    if rng.random() < 0.35:
        text += " | CrossSell: " + ",".join(o.number for o in _others(rng, p, every, 2))
    if rng.random() < 0.15:
        text += f" | ReservedForFutureUse: {rng.randint(0, 99999)}"
    return [{"vendor_product_id": str(rng.randint(10**8, 10**9 - 1)), "sku": identifier(part) or own,
             "name": f"{p.maker} {_titled(p)}", "description": text, "brand": p.maker,
             "gtin": p.barcode if p.barcode and rng.random() < 0.45 else None,
             "category": "Home & Garden|Christmas Ornaments",
             "url": f"https://holidayhearth.example/shop/{own.lower()}"}]


def _rakuten(rng, p, every, price):
    own = _own(rng, every, lambda r: f"{r.choice('46')}0{r.randint(10000, 99999)}")
    mpn = _written(rng, p) if rng.random() < 0.55 else ""
    long = [f"{p.name} by {p.maker}."]
    if rng.random() < 0.35:
        long.append(f"Item #{_written(rng, p)}.")
    if rng.random() < 0.35:
        long.append("Collectors also viewed: " + "; ".join(f"{o.name} #{o.number}" for o in _others(rng, p, every, 2)))
    return [{"vendor_product_id": str(rng.randint(10**9, 10**10 - 1)), "sku": identifier(mpn) or own,
             "name": f"{_titled(p)} - {p.maker}", "description": " ".join(long),
             "gtin": p.barcode if p.barcode and rng.random() < 0.5 else None, "brand": p.maker,
             "url": f"https://northpoleshoppe.example/p/{own}",
             "affiliate_url": f"https://click.linksynergy.example/link?id=abc123&offerid={rng.randint(10**6, 10**7)}"}]


def _excel(rng, p, every, price):
    own = f"{rng.randint(1000, 4999)}.0"
    item = _excel_number(rng, p)
    upc = _excel_code(rng, p.barcode)
    title = f"{p.maker} {_titled(p)}"
    if len(title) > 40 and rng.random() < 0.5:
        title = title[:40]
    details = [f"Item No: {item or 'null'}", f"UPC: {upc or 'null'}", f"Year: {p.year}.0" if p.year else "Year: null"]
    if rng.random() < 0.25:
        details.append(f"Notes: see also {_others(rng, p, every)[0].number}")
    return [{"vendor_product_id": own, "sku": identifier(item) or own, "gtin": upc, "name": title,
             "description": " · ".join(details), "brand": rng.choice([p.maker, p.maker, "null", "0"])}]


# A network's translation of the name (regular expressions; the series' and pieces' own names stay English).
GERMAN = [("Miniature ", "Miniatur "), (" Magic", " mit Licht und Ton"),
          (r"(\d+)\w\w in Series", r"\1. Teil der Serie"),
          (r"Santa\b(?!')", "Weihnachtsmann"), ("Snowman", "Schneemann"), (r"\bBear\b", "Bär"),
          ("Baby's First Christmas", "Babys erstes Weihnachten"), ("Ornament", "Anhänger"),
          ("Christmas Pickle", "Weihnachtsgurke")]
FRENCH = [(" Magic", " Magic lumineuse et sonore"), (r"(\d+)\w\w in Series", r"\1e de la série"),
          (r"Santa\b(?!')", "Père Noël"), ("Snowman", "Bonhomme de neige"),
          ("Baby's First Christmas", "Premier Noël de bébé"), ("Ornament", "Suspension"),
          ("Christmas Pickle", "Cornichon de Noël")]


def _translated(name: str, words: list[tuple[str, str]]) -> str:
    for english, other in words:
        name = re.sub(english, other, name)
    return name


def _german(rng, p, every, price):
    own = _own(rng, every, lambda r: str(r.randint(300000, 399999)))
    euro = (price * Decimal("0.93")).quantize(Decimal("0.01"))
    lines = [f"Artikelnummer: {own}"]
    maker_no = _written(rng, p) if rng.random() < 0.65 else ""
    if maker_no:
        lines.append(f"Herstellernummer: {maker_no}")
    if p.barcode and rng.random() < 0.55:
        lines.append(f"EAN: 0{p.barcode}")
    lines.append(f"Preis: {_eur(euro)} € inkl. MwSt., zzgl. Versand")
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        more = f"Das könnte Ihnen auch gefallen: {_translated(o.name, GERMAN)} (Herstellernummer {o.number})"
        lines = [more] + lines if rng.random() < 0.4 else lines + [more]
    name = f"{p.maker} Christbaumschmuck {_translated(p.name, GERMAN)} {_year(p)}".strip()
    return [{"vendor_product_id": own, "sku": maker_no or own, "name": name, "description": "\n".join(lines),
             "brand": p.maker, "gtin": "0" + p.barcode if p.barcode and rng.random() < 0.3 else None,
             "url": f"https://festtagsnetz.example/de/artikel/{own}", "price": euro}]


def _french(rng, p, every, price):
    own = f"RN-{rng.randint(10000, 99999)}"
    euro = (price * Decimal("0.93")).quantize(Decimal("0.01"))
    lines = [f"Réf. marchand : {own}"]
    maker_ref = _written(rng, p) if rng.random() < 0.6 else ""
    if maker_ref:
        lines.append(f"Réf. fabricant : {maker_ref}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Code EAN : {rng.choice(['0' + p.barcode, p.barcode])}")
    lines.append(f"Prix : {_eur(euro)} € TTC")
    if rng.random() < 0.4:
        lines.append("Vous aimerez aussi : " + ", ".join(f"{_translated(o.name, FRENCH)} (réf. {o.number})"
                                                        for o in _others(rng, p, every, 2)))
    kind = rng.choice(["Boule de Noël", "Suspension", "Décoration de sapin"])
    name = f"{kind} {p.maker} {_translated(p.name, FRENCH)} {_year(p)}".strip()
    return [{"vendor_product_id": own, "sku": maker_ref or own, "name": name, "description": "<br>".join(lines),
             "brand": rng.choice([p.maker, None]), "url": f"https://reseaudenoel.example/fr/{_slug(p.name)}",
             "price": euro}]


def _compare(rng, p, every, price):
    own = f"p{rng.randint(1000000, 9999999)}"
    offers = rng.randint(2, 6)
    low = (price * Decimal("0.85")).quantize(Decimal("0.01"))
    lines = [f"{offers} offers from {_eur(low)} €"]
    for shop in rng.sample(["Festtagsnetz", "The Christmas Cottage", "Réseau de Noël", "Kugelwelt"], 2):
        quoted = f"{p.maker} {_titled(p)}" + (f" {_written(rng, p)}" if rng.random() < 0.4 else "")
        lines.append(f"{shop}: \"{quoted}\" – {_eur(low + rng.randint(0, 900) / Decimal(100))} €")
    if rng.random() < 0.4:
        lines.append(f"Manufacturer no.: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"EAN: {', '.join(rng.sample(['0' + p.barcode, p.barcode], rng.randint(1, 2)))}")
    if rng.random() < 0.55:
        lines.append("Similar products: " + "; ".join(f"{o.name} {o.number}" for o in _others(rng, p, every, 3)))
    return [{"vendor_product_id": own, "name": f"{p.maker} {_titled(p)}", "description": "\n".join(lines),
             "brand": p.maker, "gtin": "0" + p.barcode if p.barcode and rng.random() < 0.25 else None,
             "url": f"https://baublecompare.example/{own}/{_slug(p.name)}", "price": low}]


SHOPS = {  # vendor: (writer, currency, share of the products it carries)
    "awin_4127": (_awin, "GBP", 0.5), "cj_ornamentoutlet": (_cj, "USD", 0.48),
    "impact_merrymerchant": (_impact, "USD", 0.45), "sas_holidayhearth": (_shareasale, "USD", 0.45),
    "rakuten_northpoleshoppe": (_rakuten, "USD", 0.45), "xl_atticornaments": (_excel, "USD", 0.5),
    "de_festtagsnetz": (_german, "EUR", 0.45), "fr_reseaudenoel": (_french, "EUR", 0.42),
    "cmp_baublecompare": (_compare, "EUR", 0.38)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """Lots, empty boxes, copies, a stand and a cord with their own numbers beside those they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))  # noqa: E731
    hallmark = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2019]
    magic = [p for p in every if p.number.startswith("QXR")]
    lot = rng.sample(hallmark, 3)
    rows.append({"vendor": "xl_atticornaments", "vendor_product_id": f"{rng.randint(5000, 5999)}.0", "sku": "#N/A",
                 "truth": "lot-" + "-".join(sorted(p.key for p in lot)), "brand": "Hallmark",
                 "name": "Lot of 3 Hallmark Keepsake Ornaments",
                 "description": f"Item No: {', '.join(_written(rng, p) for p in lot)} · UPC: null · Year: null"})
    pair = rng.sample(magic, 2)
    rows.append({"vendor": "rakuten_northpoleshoppe", "vendor_product_id": str(rng.randint(10**9, 10**10 - 1)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in pair)), "brand": "Hallmark",
                 "sku": f"{pair[0].number} / {pair[1].number}",
                 "name": f"Magic Bundle: {pair[0].name} + {pair[1].name}",
                 "description": "Two Magic ornaments with light and sound, sold together."})
    others = [p for p in every if p.maker not in ("Hallmark",) and p.kind == "ornament"]
    mixed = rng.sample(others, 3)
    rows.append({"vendor": "sas_holidayhearth", "vendor_product_id": str(rng.randint(10**8, 10**9 - 1)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in mixed)), "sku": "HH-LOT-3",
                 "name": "Collector's Grab Bag: 3 Glass Ornaments",
                 "description": " | ".join(f"{p.maker} {p.name} ({p.number})" for p in mixed) + " | Sold as a set"})
    frosty = [p for p in every if p.series and p.kind == "ornament" and not p.number.startswith("QXM")]
    target = max(frosty, key=lambda p: p.year)
    rows.append({"vendor": "awin_4127", "vendor_product_id": f"QK{rng.randint(1000, 9999)}B", "sku": target.number,
                 "truth": "box-" + target.key, "brand": "Hallmark",
                 "name": f"EMPTY BOX ONLY - Hallmark {target.series} {target.year}",
                 "description": f"Original box only, no ornament inside. Fits {target.name} ({target.number})."})
    target = rng.choice([p for p in frosty if p is not target])
    rows.append({"vendor": "de_festtagsnetz", "vendor_product_id": str(rng.randint(400000, 499999)),
                 "truth": "box-" + target.key, "brand": "Hallmark", "sku": target.number,
                 "name": f"Leerer Originalkarton Hallmark {target.series} {target.year} (ohne Anhänger)",
                 "description": f"Herstellernummer: {target.number}\nNur der Karton, kein Christbaumschmuck."})
    copied = rng.choice(hallmark)
    rows.append({"vendor": "fr_reseaudenoel", "vendor_product_id": f"RN-{rng.randint(10000, 99999)}",
                 "truth": "copy-" + copied.key, "brand": "Atelier Sapin",
                 "name": f"Boule inspirée de Hallmark {_bare(copied)}",
                 "description": f"Réplique artisanale inspirée de la réf. Hallmark {copied.number}.<br>"
                                "Ce n'est pas un produit Hallmark."})
    radko = rng.choice([p for p in every if p.maker == "Christopher Radko"])
    rows.append({"vendor": "cj_ornamentoutlet", "vendor_product_id": f"20{rng.randint(10000, 99999)}",
                 "truth": "copy-" + radko.key, "brand": "Holiday Lane", "sku": f"HL{rng.randint(1000, 9999)}",
                 "name": f"Glass Ornament Inspired by Christopher Radko {radko.name}",
                 "description": f"Our take on Radko {radko.number}. Keywords: radko, {radko.number}, glass"})
    stand = find(lambda p: p.kind == "stand")
    fits = rng.sample(hallmark, 2)
    rows.append({"vendor": "sas_holidayhearth", "vendor_product_id": str(rng.randint(10**8, 10**9 - 1)),
                 "truth": stand.key, "brand": "Hallmark", "sku": stand.number, "name": f"Hallmark {stand.name}",
                 "description": f"{stand.name} | CompatibleWith: {fits[0].number},{fits[1].number} | In stock"})
    rows.append({"vendor": "impact_merrymerchant", "vendor_product_id": str(rng.randint(10**7, 10**8 - 1)),
                 "truth": stand.key, "brand": "Hallmark", "name": f"Display Tree for {fits[0].name} and More",
                 "category": f"Ornaments, Hallmark, Display, goes-with-{fits[1].number}",
                 "description": f"Shows off ornaments like {fits[0].name} ({fits[0].number}). Lights included."})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "xl_atticornaments", "vendor_product_id": f"{rng.randint(5000, 5999)}.0",
                 "truth": cord.key, "sku": _written(rng, cord), "brand": "Hallmark",
                 "name": "Hallmark Magic Ornament Power Cord",
                 "description": f"Item No: {cord.number} · UPC: {_excel_code(rng, cord.barcode) or 'null'} · "
                                f"Fits: {magic[0].number}, {magic[1].number}"})
    rows.append({"vendor": "cmp_baublecompare", "vendor_product_id": f"p{rng.randint(1000000, 9999999)}",
                 "truth": cord.key, "brand": "Hallmark", "name": "Hallmark Keepsake Magic Power Cord",
                 "description": f"2 offers from 9,99 €\nFits: {magic[0].name} {magic[0].number}; "
                                f"{magic[-1].name} {magic[-1].number}"})
    return rows


# --- what a person sees -----------------------------------------------------------------------------

def _plain(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
    return re.sub(r"(?<=\d)\.0+(?![\d])", "", text)  # "4051270.0" is 4051270 to a reader


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators inside them ignored; an 11-digit
    UPC that lost its 0 is the barcode, one in scientific notation is not)."""
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 row.get("category"), *row.get("image_urls", []))]
    own = p.number.upper()
    if own.isdigit():
        pattern = r"(?<!\d)(?<!\d[.,])" + r"[,\s\-]?".join(own) + r"(?!\d)(?![.,]\d)"
    else:
        pattern = r"(?<![A-Z0-9])" + r"[\s\-.]?".join(map(re.escape, own)) + r"(?!\d)"
    if any(re.search(pattern, t.upper()) for t in texts):
        return True
    if not p.barcode:
        return False
    code = p.barcode.lstrip("0")
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d \-]*\d", t)]
    return any(re.sub(r"\D", "", piece).lstrip("0") == code for r in runs for piece in [r, *re.findall(r"\d+", r)])


def listings(seed: int = 11) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, share) in SHOPS.items():
        share += rng.uniform(-0.06, 0.06)
        for p in every:
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = (Decimal(rng.randint(1299, 4999)) / 100).quantize(Decimal("0.01"))
            rows += shop_rows(rng, write(rng, p, every, price), p, vendor, price)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
