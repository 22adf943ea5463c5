"""A fourth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the three earlier catalogues do not cover:

- a German shop (Shopware-like): "Weihnachtsschmuck", "Jahresornament 2019", the manufacturer's number
  under "Artikelnummer", "Art.-Nr.", "Herstellernummer", "Hersteller-Nr.", "Modellnummer", "HAN", the
  shop's own numeric Artikelnummer beside it, "EAN: 0763795…", prices with decimal commas, EUR;
- a French shop (PrestaShop-like): "Référence\u00a0: QX9201" (French spacing), "Réf. fabricant", "Code EAN",
  "Boule de Noël", "Série Frosty Friends n° 41", the EAN-13 field;
- a Dutch shop: "Artikelnummer", "Fabrikantcode", "Productcode", "EAN-code", "Kersthanger", and shop-internal
  barcodes (prefix 2, restricted circulation) for pieces without one;
- two Etsy-style vintage sellers: keyword-stuffed titles, numbers as "qx 531-6", "QX531.6", "QX-531-6",
  "Series Began 1980", "Perfect 2024 Christmas Gift" (a second year), tags naming other years' numbers,
  empty boxes, Dream Books listing many numbers, a "choose your year" listing;
- a Shopify store with variants: one page, "With Box" / "No Box" variants as separate listings of one
  ornament (item_group_id), variant skus "QX5316-NB", the barcode only on the boxed variant;
- a BigCommerce/Magento-style feed: the reader stores the mpn as sku when there is one, else the shop's
  code; mpn sometimes "Hallmark QX5316", the UPC, or the shop's code (BigCommerce's default); the gtin as
  UPC-A, EAN-13 with a leading 0, or with spaces or dashes (which the spider drops as not a GTIN);
- a US gift shop carrying many makers: Department 56, Christopher Radko, Old World Christmas, Kurt Adler,
  Enesco and Precious Moments with their own item numbers ("Item #: 6007621", "Model 4036533",
  "Item No. C7654", "Style # 36205"), maker spellings ("Dept 56", "KSA", "Kurt S. Adler").

Traps: one name in consecutive years with other numbers (Frosty Friends, Baby's First Christmas, Precious
Moments' dated ornament), Magic (QLX) and plain of one name and year, a club repaint, a miniature, a number
Hallmark used in 1994 and again in 2014, a set Hallmark sells under one number, shop bundles of two
ornaments naming both numbers, "Vous aimerez aussi QX…"/"Passend dazu"/"You may also like" cross-sells,
an empty box for an ornament, a store display sign and a greeting card that name an ornament's number
or its digits.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item
number or barcode. Boxes, displays, cards, Dream Books, bundles and choices have no number of their own.
This file describes shops, not the matcher. `python -m tests.catalogue_truth_unseen3` prints its size."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import as_stored, with_check as _check, nth as _nth, shown, summary  # noqa: F401 (shown: the tests read it from here)


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None  # the maker's item number: QX5316, 6007621, C7654; None for what has none
    name: str
    year: int | None  # None: not year-dated
    upc: str | None = None  # UPC-12
    ean: str | None = None  # a European importer's own EAN-13
    kind: str = "ornament"  # or box, display, card, dreambook


MAKERS = {"Hallmark": ["Hallmark", "Hallmark Keepsake", "HALLMARK", "Hallmark Keepsake Ornaments"],
          "Department 56": ["Department 56", "Dept 56", "D56", "Department56"],
          "Christopher Radko": ["Christopher Radko", "Radko", "CHRISTOPHER RADKO"],
          "Old World Christmas": ["Old World Christmas", "OWC", "Old World Christmas Inc."],
          "Kurt Adler": ["Kurt Adler", "Kurt S. Adler", "KSA"],
          "Enesco": ["Enesco", "Enesco LLC"], "Precious Moments": ["Precious Moments", "Precious Moments Inc."]}
PREFIX = {"Hallmark": "763795", "Department 56": "045544", "Enesco": "045544", "Christopher Radko": "740969",
          "Old World Christmas": "027978", "Kurt Adler": "086131", "Precious Moments": "089945"}
VINTAGE = ["Cheerful Santa", "Mailbox Kitten", "Tin Locomotive", "Rocking Horse Rider", "Popcorn Party",
           "Jolly Wolly Snowman", "Chipmunk Parcel Service", "Cool Juggler", "Happy Haul-idays", "Baby's Sleigh",
           "Kringle's Toy Shop", "Holiday Cardinals"]
OTHERS = {"Department 56": ["Snow Village Diner", "Grinch Sleigh", "Christmas Vacation Station Wagon",
                            "Rudolph on Ice", "Peanuts Snoopy Doghouse"],
          "Christopher Radko": ["Shiny Brite Santa", "Nutcracker Suite", "Frosty Pine Cone", "Hocus Pocus Witch",
                                "Starlight Angel"],
          "Old World Christmas": ["Pickle", "Birdhouse", "Pinecone Owl", "Glass Cupcake", "Hot Air Balloon",
                                  "Cardinal on Clip"],
          "Kurt Adler": ["Polonaise Nutcracker", "Glass Peacock", "Star Wars Yoda Glass", "Snowman Skier",
                         "Hollywood Nutcracker"],
          "Enesco": ["Jim Shore Santa", "Cherished Teddies Bear", "Disney Traditions Mickey"]}
LICENSED = [("QXI", "Star Wars Darth Vader"), ("QXI", "Star Wars The Child"), ("QXI", "Star Wars R2-D2"),
            ("QXD", "Disney Mickey's Gingerbread"), ("QXD", "Disney Frozen Olaf"), ("QXD", "Disney Cinderella")]




def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def add(maker: str, name: str, year: int | None, number: str | None = None, prefix: str = "QX",
            digits: int = 4, barcode: float = 0.75, kind: str = "ornament") -> Product:
        while kind == "ornament" and (number is None or number in used):
            number = f"{prefix}{rng.randint(10 ** (digits - 1), 10 ** digits - 1)}"
        if number:
            used.add(number)
        upc = _check(PREFIX[maker] + f"{rng.randint(0, 99999):05d}") \
            if kind == "ornament" and (year or 2020) >= 1995 and rng.random() < barcode else None
        ean = _check("50" + f"{rng.randint(0, 10 ** 10 - 1):010d}") if upc and rng.random() < 0.1 else None
        made.append(Product(f"p{len(made)}", maker, number, name, year, upc, ean, kind))
        return made[-1]

    for series, start, years in [("Frosty Friends", 1980, range(2017, 2022)), ("Snow Buddies", 1998, range(2019, 2022)),
                                 ("Nostalgic Houses and Shops", 1984, range(2019, 2022)),
                                 ("Frosty Friends", 1980, range(1992, 1997)), ("Here Comes Santa", 1979, range(1991, 1995))]:
        for year in years:
            add("Hallmark", f"{series} {_nth(year - start + 1)} in Series", year)
    ff2020 = next(p for p in made if p.year == 2020)
    add("Hallmark", f"{ff2020.name} Magic", 2020, prefix="QLX")
    add("Hallmark", f"Miniature {ff2020.name}", 2020, prefix="QXM")
    add("Hallmark", f"{made[2].name} Club Repaint", made[2].year, prefix="QXC")
    add("Hallmark", "Santa's Workshop", 1993)
    add("Hallmark", "Santa's Workshop Magic", 1993, prefix="QLX")
    add("Hallmark", "Keepsake Ornament Club Charter Member", 1995, prefix="QXC")
    for prefix, name in LICENSED:
        add("Hallmark", name, rng.randint(2018, 2023), prefix=prefix)
    for year in (2019, 2020, 2021):
        add("Hallmark", "Baby's First Christmas", year, prefix=rng.choice(["QX", "QXG"]))
    for year in (1995, 1996, 1997):
        add("Hallmark", f"Springtime Bonnets {_nth(year - 1992)} in Series", year, prefix="QEO")
    for name in VINTAGE:
        add("Hallmark", name, rng.randint(1985, 1999), prefix=rng.choice(["QX", "QX", "QX", "QXM", "QLX"]))
    old = add("Hallmark", "Cheerful Santa Claus", 1994)
    add("Hallmark", "Woodland Owl Family", 2014, number=old.number)  # Hallmark used the number again
    add("Hallmark", "Mr. and Mrs. Claus Set of 2", 2021)  # a set Hallmark sells under one number
    frosty94 = next(p for p in made if p.year == 1994 and p.name.startswith("Frosty"))
    add("Hallmark", f"Empty Box for {frosty94.name} {frosty94.number}", 1994, kind="box")
    add("Hallmark", f"Store Display Sign for {made[2].name} {made[2].number}", made[2].year, kind="display")
    add("Hallmark", f"Frosty Friends Christmas Card XZH{frosty94.number[-4:]}", 1994, kind="card")
    for year in (1994, 1995):
        add("Hallmark", f"Keepsake Ornaments Dream Book {year}", year, kind="dreambook")
    for maker, names in OTHERS.items():
        for name in names:
            if maker == "Kurt Adler":
                add(maker, name, None, prefix=rng.choice(["C", "J", "T", "HA", "GG"]))
            elif maker == "Old World Christmas":
                add(maker, name, None, prefix="", digits=5)
            else:
                add(maker, name, rng.choice([None, rng.randint(2015, 2023)]), prefix=rng.choice(["40", "60", "10"]),
                    digits=5)
    for year in (2019, 2020, 2021):  # the same name every year; numbers 191001, 201001, 211001
        add("Precious Moments", "Dated Annual Ornament", year, number=f"{year % 100}1001")
    add("Precious Moments", "Wishing You a Merry Christmas Angel", None, prefix="1", digits=6)
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    """The number as a seller types it; Hallmark's pre-2000 spellings for the old pieces."""
    if p.maker != "Hallmark":
        return rng.choice([p.number, p.number, f"#{p.number}"])
    letters, digits = p.number[:-4], p.number[-4:]
    forms = [p.number, f"{letters} {digits}", p.number.lower()]
    if p.year and p.year < 2000:
        forms += [f"{letters} {digits[:3]}-{digits[3]}", f"{letters.lower()} {digits[:3]}-{digits[3]}",
                  f"{letters}{digits[:3]}.{digits[3]}", f"{letters}-{digits[:3]}-{digits[3]}"]
    return rng.choice(forms)


def _barcode(rng: random.Random, p: Product, european: bool = False) -> str | None:
    if european and p.ean and rng.random() < 0.7:
        return p.ean
    return rng.choice(["0" + p.upc, p.upc]) if p.upc else None


def _others(rng: random.Random, p: Product, every: list[Product]) -> Product:
    near = [o for o in every if o.number and o.number != p.number and o.kind == "ornament"
            and o.maker == p.maker and (o.name.split()[0] == p.name.split()[0] or o.year == p.year)]
    return rng.choice(near or [o for o in every if o.number and o.number != p.number])


def _euro(price: Decimal) -> str:
    return f"{price:.2f}".replace(".", ",") + "\u00a0€"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _hallmark(p: Product) -> str:
    return "Hallmark Keepsake" if p.maker == "Hallmark" else p.maker


# --- shops: each writes the listings (usually one) of product p ------------------------------------

def _german(rng, p, every, price):
    own = str(rng.randint(10000, 99999))
    label = rng.choice(["Artikelnummer:", "Art.-Nr.:", "Art.-Nr.", "Herstellernummer:", "Hersteller-Nr.:",
                        "Modellnummer:", "HAN:", "Herstellerartikelnummer:"])
    lines = [f"Original {_hallmark(p)} Weihnachtsschmuck, ideal als Sammlerstück."]
    if p.year:
        lines.append(f"Jahresornament {p.year}.")
    if rng.random() < 0.8:
        if label.startswith(("Artikel", "Art.")) and rng.random() < 0.4:  # the shop's own Artikelnummer first
            lines.append(f"Artikelnummer: {own}")
            label = "Herstellernummer:"
        lines.append(f"{label} {_written(rng, p)}")
    code = _barcode(rng, p, True)
    if code and rng.random() < 0.5:
        lines.append(f"EAN: {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"Passend dazu: {other.name} ({other.number})")
    lines += [f"Preis: {_euro(price)} inkl. MwSt.", "Lieferzeit: 2-4 Werktage"]
    name = rng.choice([f"{_hallmark(p)} Weihnachtsschmuck \u201e{p.name}\u201c {p.year or ''}",
                       f"{p.name} \u2013 {p.maker} Christbaumschmuck", f"Jahresornament {p.year}: {p.name}"
                       if p.year else f"{p.maker} {p.name} Glasornament"])
    return [{"vendor_product_id": own, "sku": rng.choice([f"WH-{own}", own, p.number, f"HAL-{p.number}"]),
             "gtin": code if rng.random() < 0.5 else None, "brand": rng.choice(MAKERS[p.maker]), "name": name,
             "description": "\n".join(lines), "release_year": p.year if rng.random() < 0.5 else None,
             "category": "Weihnachtsschmuck > " + p.maker, "url": f"https://weihnachtshaus.example/{_slug(p.name)}-{own}.html"}]


def _french(rng, p, every, price):
    own = str(rng.randint(100, 9999))
    label = rng.choice(["Référence\u00a0:", "Réf.\u00a0:", "Réf. fabricant\u00a0:", "Référence fabricant :",
                        "Réf.", "Code article\u00a0:"])
    lines = [f"Boule de Noël {_hallmark(p)} \u2013 {p.name}."]
    if p.year:
        lines.append(f"Année\u00a0: {p.year}. Ornement daté.")
    series = re.match(r"(.+?) (\d+)\w\w in Series", p.name)
    if series:
        lines.append(f"Série {series[1]} n° {series[2]}.")
    if rng.random() < 0.75:
        lines.append(f"{label} {_written(rng, p)}")
    code = _barcode(rng, p, True)
    if code and rng.random() < 0.4:
        lines.append(f"Code EAN\u00a0: {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"Vous aimerez aussi\u00a0: {other.name} réf. {other.number}")
    lines.append(f"Prix\u00a0: {_euro(price)} TTC")
    return [{"vendor_product_id": own, "sku": rng.choice([f"BN{own}", p.number, f"HK-{p.number}", None]),
             "gtin": code if rng.random() < 0.6 else None, "brand": rng.choice(MAKERS[p.maker] + [None]),
             "name": rng.choice([f"Décoration de Noël {p.maker} {p.name} ({p.year or 'non daté'})",
                                 f"Suspension {p.name} \u2013 {_hallmark(p)}", f"{p.name} {p.year or ''}"]),
             "description": "\n".join(lines), "release_year": None,
             "url": f"https://boutique-noel.example/{own}-{_slug(p.name)}.html"}]


def _dutch(rng, p, every, price):
    own = str(rng.randint(100000, 999999))
    lines = [f"Kersthanger van {p.maker}: {p.name}.", f"Jaar: {p.year}" if p.year else "Niet gedateerd."]
    if rng.random() < 0.75:
        lines.append(f"{rng.choice(['Artikelnummer:', 'Fabrikantcode:', 'Productcode:', 'Art.nr.'])} {_written(rng, p)}")
    code = _barcode(rng, p, True) or ("2" + _check(f"{rng.randint(0, 10 ** 11 - 1):011d}"))  # in-store code
    if rng.random() < 0.5:
        lines.append(f"EAN-code: {code}")
    lines.append(f"Prijs: {_euro(price)}")
    return [{"vendor_product_id": own, "sku": rng.choice([own, p.number, None]), "gtin": code if rng.random() < 0.5 else None,
             "brand": rng.choice(MAKERS[p.maker]), "name": rng.choice([f"{p.maker} kerstornament {p.name}", f"{p.name} kersthanger {p.year or ''}"]),
             "description": "\n".join(lines), "url": f"https://kerstwinkel.example/p/{own}"}]


def _etsy(rng, p, every, price):
    own = str(rng.randint(10 ** 9, 10 ** 10 - 1))
    number = _written(rng, p)
    shows = rng.random() < 0.75
    words = [rng.choice(["Vintage", "VTG", "Retro", ""]), str(p.year or ""), p.maker, "Keepsake Ornament"
             if p.maker == "Hallmark" else "Christmas Ornament", p.name, number if shows else ""]
    words += rng.sample(["Eskimo", "Polar Bear", "Handcrafted", f"Dated {p.year}" if p.year else "Glass",
                         "Collectible", "Christmas Tree Decor", "Stocking Stuffer", "Mid Century", "Gift for Her",
                         "Series Began 1980" if "Frosty" in p.name else "Holiday Decor",
                         f"Perfect {rng.choice([2023, 2024, 2025])} Christmas Gift", "MIB", "in Original Box"], 4)
    text = [f"{p.maker} {p.name}." + (f" Dated {p.year}." if p.year else ""),
            rng.choice(["Handcrafted.", "Ornament is in excellent condition.", "Box has some wear."])]
    if shows and rng.random() < 0.3:
        text.append(f"{rng.choice(['Hallmark #', 'Item #', 'Number on box:'])} {number}")
    tags = ["christmas ornament", p.maker.lower(), p.name.lower(), f"{p.year} ornament" if p.year else "vintage"]
    if rng.random() < 0.25:  # another year's number, for the search engine
        tags.append(_others(rng, p, every).number.lower())
    text.append("Tags: " + ", ".join(tags))
    return [{"vendor_product_id": own, "name": " ".join(w for w in words if w)[:140], "brand": None,
             "description": "\n".join(text), "url": f"https://www.etsy.example/listing/{own}/{_slug(p.name)}"}]


def _shopify_variants(rng, p, every, price):
    group = str(rng.randint(10 ** 12, 10 ** 13 - 1))
    options = rng.choice([["With Box", "No Box"], ["With Box", "No Box"], ["Default Title"]])
    body = f"{p.maker} {p.name}. " + (f"Dated {p.year}. " if p.year else "") + rng.choice(
        ["", f"Item number: {_written(rng, p)}.", "Choose with or without its original box."])
    made = []
    for option in options:
        sku = rng.choice([p.number, f"{p.number}-NB" if option == "No Box" else f"{p.number}-B", None])
        made.append({"vendor_product_id": str(rng.randint(10 ** 13, 10 ** 14 - 1)), "sku": sku,
                     "gtin": p.upc if option != "No Box" and rng.random() < 0.5 else None,
                     "name": p.name if option == "Default Title" else f"{p.name} {p.year or ''} - {option}",
                     "brand": rng.choice(MAKERS[p.maker]), "description": body, "item_group_id": group,
                     "release_year": p.year if rng.random() < 0.6 else None,
                     "url": f"https://ornament-cottage.example/products/{_slug(p.name)}?variant={group}"})
    return made


def _feed(rng, p, every, price):
    code = f"BC{rng.randint(10000, 99999)}"
    mpn = rng.choice([p.number, p.number, f"{p.maker.split()[0]} {p.number}", p.number.lower(), code, "", p.upc or ""])
    gtin = rng.choice([p.upc, "0" + p.upc, f"{p.upc[0]} {p.upc[1:6]} {p.upc[6:11]} {p.upc[11]}",
                       f"{p.upc[:6]}-{p.upc[6:]}", ""]) if p.upc else ""
    desc = f"{p.name}. {p.maker} Christmas ornament." + (f" Dated {p.year}." if p.year else "")
    if rng.random() < 0.3:
        desc += f" Specifications: Manufacturer Part Number: {p.number}; UPC: {gtin or 'N/A'}"
    return [{"vendor_product_id": code, "sku": mpn or code, "gtin": gtin, "brand": rng.choice(MAKERS[p.maker]),
             "name": f"{p.maker} {p.name}" + (f" {p.year}" if p.year and rng.random() < 0.6 else ""),
             "description": desc, "category": f"Christmas > Ornaments > {p.maker}",
             "release_year": p.year if rng.random() < 0.5 else None,
             "url": f"https://holiday-feed.example/{_slug(p.name)}/"}]


def _giftshop(rng, p, every, price):
    own = f"GG-{rng.randint(1000, 9999)}"
    label = rng.choice(["Item #:", "Model", "Item No.", "Style #", "Mfr. #", "Item Number:"])
    desc = [f"{p.name} by {p.maker}.", f"{label} {_written(rng, p)}" if rng.random() < 0.8 else "Gift boxed."]
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        desc.append(f"You may also like {other.name} {other.number}.")
    return [{"vendor_product_id": own, "sku": rng.choice([own, p.number]), "brand": rng.choice(MAKERS[p.maker]),
             "name": rng.choice([f"{p.maker} {p.name} Ornament", f"{p.name} {p.year or ''} Ornament"]),
             "gtin": p.upc if rng.random() < 0.3 else None, "description": " ".join(desc),
             "release_year": p.year if rng.random() < 0.3 else None,
             "url": f"https://giftgallery.example/item/{_slug(p.name)}"}]


# vendor: (writer, the share of the modern pieces it carries, of the vintage ones)
SHOPS = {"de_weihnachtshaus": (_german, 0.7, 0.15), "fr_boutiquenoel": (_french, 0.65, 0.1),
         "nl_kerstwinkel": (_dutch, 0.6, 0.05), "etsy_northwoodsvintage": (_etsy, 0.2, 0.75),
         "etsy_grandmasattic": (_etsy, 0.2, 0.7), "shopify_ornamentcottage": (_shopify_variants, 0.45, 0.45),
         "bc_holidayfeed": (_feed, 0.7, 0.0), "us_giftgallery": (_giftshop, 0.65, 0.1)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some: boxes, a display, a card, Dream Books, bundles."""
    rows = []
    for p in (q for q in every if q.kind != "ornament"):
        for vendor in rng.sample(["etsy_northwoodsvintage", "etsy_grandmasattic", "us_giftgallery"], 2):
            desc = {"dreambook": "Featuring " + ", ".join(f"{q.name} {_written(rng, q)}" for q in every
                                                         if q.year == p.year and q.kind == "ornament")}.get(p.kind, "")
            rows.append({"vendor": vendor, "vendor_product_id": f"S{rng.randint(10 ** 6, 10 ** 7)}",
                         "name": f"Hallmark {p.name}" + (" - NO ORNAMENT" if p.kind == "box" else ""),
                         "description": desc, "brand": "Hallmark", "truth": p.key})
    frosty = [p for p in every if p.name.startswith("Frosty Friends") and p.kind == "ornament"]
    for i in range(0, len(frosty) - 1, 2):
        a, b = frosty[i], frosty[i + 1]
        rows.append({"vendor": rng.choice(["bc_holidayfeed", "us_giftgallery"]), "vendor_product_id": f"SET2-{i}",
                     "name": f"Set of 2: Frosty Friends {a.year} & {b.year} {a.number} {b.number}",
                     "sku": f"{a.number}/{b.number}", "brand": "Hallmark", "truth": f"set-{a.key}-{b.key}"})
    old = [p for p in frosty if p.year < 2000]
    rows.append({"vendor": "etsy_grandmasattic", "vendor_product_id": "CHOOSE-1", "brand": None, "truth": "choose-ff",
                 "name": "Hallmark Frosty Friends Ornament - Choose Your Year " + " ".join(str(p.year) for p in old),
                 "description": "Options: " + "; ".join(f"{p.year} {_written(rng, p)}" for p in old)})
    return rows


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    if p.kind != "ornament":
        return False
    texts = [row.get("sku"), row.get("name"), row.get("description"), row.get("url")]
    if p.number.isdigit():
        if any(p.number in re.findall(r"\d+", t or "") for t in texts):
            return True
    elif any(p.number in re.sub(r"[^A-Z0-9]", "", (t or "").upper()) for t in texts):
        return True
    codes = {c.lstrip("0") for c in (p.upc, p.ean) if c}
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t or "")]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 4444) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    rows: list[dict] = []
    for vendor, (write, modern, vintage) in SHOPS.items():
        for p in every:
            if p.kind != "ornament" or rng.random() > (vintage if p.year and p.year < 2000 else modern):
                continue
            price = Decimal(rng.randint(999, 6999)) / 100
            for row in write(rng, p, every, price):
                row.update(vendor=vendor, truth=p.key, price=price)
                rows.append(row)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, lambda vendor: "EUR" if vendor[:3] in ("de_", "fr_", "nl_") else "USD", Decimal("39.99"))


if __name__ == "__main__":
    print(summary(listings()))
