"""A fourteenth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the earlier catalogues did not have:

- a Walmart Marketplace item feed (USD): the Walmart item id as the listing's id, the seller's sku (now the maker
  number, now "OO-12345", now twelve digits shaped like a UPC), productIdType/productId (a UPC, the same padded
  to a GTIN-14, an EAN, or a barcode the seller bought because the maker's had none), "Manufacturer Part
  Number" in the key features; variant groups: one page offers several years of a series, each year its own
  row on the same page address, and the page text lists every year's number ("2022 (QX1111) · 2023 (…)");
  now and then a second seller's listing of the same item; "Customers also considered";
- a Faire-style wholesale catalogue (USD): "Sold in packs of 6", "Minimum order $100", MSRP vs wholesale, the
  wholesaler's own sku ("NP-QX1234-6" or "NP48213"), the case pack's GTIN-14 (not the unit's barcode) in the
  gtin field or the text, markdown descriptions, "Retailers also ordered", assortments of three designs;
- a closeout / liquidation seller (USD) exporting CSV: "SHELF PULL", "customer return", box wear, CRLF line
  breaks and doubled quotes inside a cell, lot ids of seven digits ("6034521", the shape of a Department 56
  number), load manifests naming several numbers, mixed lots and a pallet of "assorted" ornaments;
- a Mercari / Poshmark style closet (USD): emoji titles, zero-width characters inside words and numbers, bold
  mathematical letters, "NWT", "smoke-free home", "price firm", "bundle to save", "I also have the 2022 one
  (QX…) listed", a bundle, a box without its ornament, a "dupe";
- a TikTok Shop seller (USD): shouting titles, descriptions that are a JSON string (now and then with its
  emoji escaped as \\ud83c…), "Model" among the attributes, a "look-alike";
- a Korean shop (KRW): 상품번호 (its own, ten digits), 모델명 / 제조사 품번 / 바코드, 함께 보면 좋은 상품 before or
  after the own number, 사업자등록번호, 통신판매업신고, 고객센터 1588-…, 우편번호 (06236), "레플리카" copies, a
  Magic power cord naming the pieces it lights;
- a Czech Heureka-style XML feed (CZK): ITEM_ID (six digits, the shape of a Lenox or Annalee number),
  PRODUCTNAME, PRODUCTNO (now and then the ITEM_ID), EAN, IMGURL, "Kód výrobce:", "Podobné zboží:", IČO, DIČ,
  PSČ 110 00, "replika", an empty box ("pouze krabička");
- a Danish shop (DKK): Varenummer (its own, five digits, the shape of an Old World Christmas number),
  "Producentens varenr.", "Stregkode", in-store barcodes beginning with 2 in the gtin field, "Andre købte
  også", CVR, "8000 Aarhus C", "Tlf. 86 12 34 56", "kopi" / "inspireret af", a display stand naming what it fits;
- a Canadian bilingual shop (CAD): English and French on one page ("Mfr. # / No du fabricant", "UPC / CUP",
  "You may also like / Vous aimerez aussi"), "34,99 $" and "$34.99", postal codes "H2Y 1Z8", "1-800-555-0199",
  GST/TPS and QST/TVQ numbers, "reproduction" copies;
- an Arabic shop in the UAE (AED): right to left with its direction marks, years and now and then numbers and
  barcodes in Arabic-Indic digits (٢٠٢٣, QX١٢٣٤), "رقم الموديل", "الباركود", "قد يعجبك أيضاً", a TRN of fifteen
  digits, "ص.ب. 12345" (a P.O. box of five digits), "تقليد" copies;
- an Indian marketplace (INR): FSN-like ids, spec tables with "Model Number" (now the maker number, now a
  model name or the seller's code), "Manufacturer Part Number", "Generic Name", "Country of Origin", "Net
  Quantity", the importer's address with a six-digit PIN, GSTIN, MRP and lakh-grouped prices ("₹1,24,999"),
  combo packs, "inspired design" copies;
- Hallmark's own site (USD): "Item #1QX1234", "Keepsake Ornament Club exclusive", "Pairs well with", the
  display tree, the Magic power cord and the storage box naming the ornaments they fit.

Makers: Hallmark (QX, QXR Magic, QXM miniature, QXI / QXD licensed, QXC club, QHX accessories, the old style
"QX 507-4" before 1991), Department 56 (seven digits, 60xxxxx), Christopher Radko (10xxxxx), Jim Shore
(40xxxxx / 60xxxxx, barcodes from the same company prefix as Department 56), Kurt Adler ("C7654"), Old World
Christmas (five digits), Inge-Glas ("1-234-56"), Lenox (six digits, an annual series) and Annalee (six digits).

Traps: series in consecutive years (Hallmark's and Lenox's), Magic and plain pieces of one name, miniature and
full size, a club repaint beside the series piece, a number Hallmark used in 1989 and again in 2019, bundles,
combo packs, assortments, mixed lots and a pallet, a display tree, a power cord and a storage box naming what
they fit, empty boxes, copies in each language, cross-sells before and after the own number, page text listing
a variant group's every number, shops' own ids shaped like maker numbers or barcodes, case-pack GTIN-14s,
bought barcodes, in-store barcodes, postcodes, phone, company, tax and VAT numbers, Arabic-Indic digits,
zero-width characters.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags; separators inside it, zero-width and direction marks ignored; Arabic-Indic digits
read as digits). This file describes shops, not the matcher. `python -m tests.catalogue_truth_unseen13`
prints its size."""

from __future__ import annotations

import json
import random
import re
import zlib
from decimal import Decimal

from tests.catalogue_truth import plain, Product, ProductMaker
from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others, shown, split_number as _split, summary, with_check as _check, year_text as _year  # noqa: F401 (shown: the tests read it from here)
from tests.catalogue_truth import slug as _slug, titled as _titled


SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Snow Buddies": 1998,
                "Christmas Window": 2003}
MODERN = ["Pickup Truck With Christmas Tree", "Sweet Sloth Hug", "Cheers to Coffee", "Campfire S'mores",
          "Snowman Baker", "Penguin Pals on Ice", "Cat Nap in Stocking", "Dog Bone Cookie Jar",
          "Hot Air Balloon Santa", "Toy Soldier Drummer", "Farmhouse Red Barn", "Gnome With Lantern",
          "Cardinal Couple on Pine", "Grandma's Cookie Tin", "Skating Bunny", "Baby's First Christmas Rocking Horse",
          "Our First Christmas Mr. and Mrs. Mugs", "Daughter Ballerina", "Hockey Stick and Puck",
          "Fishing Lure Santa"]
MAGIC = [("Holiday Diner", 2023), ("Santa's Sleigh Ride", 2024)]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian Razor Crest"), ("QXD", "Disney", "Disney Frozen Olaf"),
            ("QXI", "Peanuts", "Peanuts A Charlie Brown Christmas Tree"), ("QXI", "Harry Potter", "Harry Potter Hedwig"),
            ("QXD", "Disney", "Disney Mickey's Christmas Carol"), ("QXI", "Marvel", "Marvel Iron Man Mark LXXXV")]
VINTAGE = [("Frosty Friends Eskimo on Igloo", 1987), ("Rocking Horse Dappled Pony", 1985),
           ("Nostalgic Houses Corner Drug Store", 1990)]
OTHERS = {"Department 56": ["Department 56 Snow Village Hot Cocoa Stand Ornament",
                            "Department 56 Dickens Village Scrooge's Counting House Ornament"],
          "Christopher Radko": ["Christopher Radko Shiny Brite Santa Drop", "Christopher Radko Holiday Splendor Reflector"],
          "Jim Shore": ["Jim Shore Heartwood Creek Santa With Lantern Ornament", "Jim Shore Snowman With Cardinal Ornament"],
          "Kurt Adler": ["Kurt Adler Glass Pickle Ornament", "Kurt Adler Polonaise Nutcracker"],
          "Old World Christmas": ["Old World Christmas Gingerbread House", "Old World Christmas Corgi"],
          "Inge-Glas": ["Inge-Glas Tin Soldier", "Inge-Glas Reindeer Reflector"],
          "Lenox": ["Lenox Holiday Gazebo Ornament"],
          "Annalee": ["Annalee Gingerbread Boy Ornament 5in", "Annalee Snowman With Skis Ornament"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "045544", "Jim Shore": "045544", "Christopher Radko": "722213",
                  "Kurt Adler": "086131", "Old World Christmas": "026409", "Inge-Glas": "4027633", "Lenox": "882046",
                  "Annalee": "046143"}
MAKER_KO = {"Hallmark": "홀마크", "Department 56": "디파트먼트56", "Christopher Radko": "크리스토퍼 라드코",
            "Jim Shore": "짐 쇼어", "Kurt Adler": "커트 아들러", "Old World Christmas": "올드월드크리스마스",
            "Inge-Glas": "잉게글라스", "Lenox": "레녹스", "Annalee": "애널리"}
MAKER_AR = {"Hallmark": "هولمارك", "Department 56": "ديبارتمنت 56", "Christopher Radko": "كريستوفر رادكو",
            "Jim Shore": "جيم شور", "Kurt Adler": "كورت أدلر", "Old World Christmas": "أولد وورلد كريسماس",
            "Inge-Glas": "إنغه غلاس", "Lenox": "لينوكس", "Annalee": "أناليه"}
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
RLM = "\u200f"
RATE = {"USD": Decimal(1), "KRW": Decimal(1350), "CZK": Decimal(23), "DKK": Decimal(7), "CAD": Decimal("1.36"),
        "AED": Decimal("3.67"), "INR": Decimal(83)}
ZW = "\u200b"


def _products(rng: random.Random) -> list[Product]:
    maker = ProductMaker(rng, "k", {"Department 56": lambda: f"60{rng.randint(10000, 99999)}",
                                   "Christopher Radko": lambda: f"10{rng.randint(10000, 29999)}",
                                   "Jim Shore": lambda: f"{rng.choice(['40', '60'])}{rng.randint(10000, 99999)}",
                                   "Kurt Adler": lambda: f"{rng.choice('CDJTW')}{rng.randint(1000, 9999)}",
                                   "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                                   "Inge-Glas": lambda: f"1{rng.randint(100, 999)}{rng.randint(10, 99)}",
                                   "Lenox": lambda: f"{rng.randint(860000, 899999)}",
                                   "Annalee": lambda: f"{rng.choice(['45', '50', '71'])}{rng.randint(1000, 9999)}"},
                         BARCODE_PREFIX)
    made, add = maker.made, maker.add

    for year in (2022, 2023, 2024):
        for name in SERIES_START:
            add("Hallmark", f"{name} {_nth(year - SERIES_START[name] + 1)} in Series", year, series=name)
    for series in ("Frosty Friends", "Snow Buddies"):
        full = next(p for p in made if p.series == series and p.year == 2023)
        add("Hallmark", f"Miniature {full.name}", 2023, "QXM", series=series)
    buddies = next(p for p in made if p.series == "Snow Buddies" and p.year == 2024)
    add("Hallmark", f"Keepsake Ornament Club {buddies.name} Repaint", 2024, "QXC", series="Snow Buddies")
    add("Hallmark", "Keepsake Ornament Club Membership Twinkling Tree", 2023, "QXC")
    for name, year in MAGIC:
        add("Hallmark", name, year)
        add("Hallmark", f"{name} With Light and Sound", year, "QXR")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2020, 2024))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2021, 2024), prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year)
    old = add("Hallmark", "Joyous Carolers Music Box", 1989)
    add("Hallmark", "Hedgehog Ice Fishing", 2019, number=old.number)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, rng.choice([None, 2022, 2023, 2024]), barcode=0.75)
    for year in (2023, 2024):  # another maker's annual series
        add("Lenox", f"Lenox {year} Annual Snowflake Ornament", year, barcode=0.8, series="Lenox Annual Snowflake")
    add("Hallmark", "Keepsake Ornament Display Tree, Lighted", 2024, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory")
    add("Hallmark", "Keepsake Ornament Storage Box, Holds 24", 2024, "QHX", kind="accessory")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    if p.maker == "Inge-Glas":
        return rng.choice([p.number, f"{p.number[0]}-{p.number[1:4]}-{p.number[4:]}",
                           f"{p.number[0]}-{p.number[1:4]}-{p.number[4:]}"])
    if p.maker == "Kurt Adler":
        return rng.choice([p.number, p.number, f"{p.number[0]}-{p.number[1:]}"])
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}", p.number.lower()])


def _plain_name(p: Product) -> Product:
    """The product with its maker's name taken off the front of its name (for titles that put the maker first)."""
    return Product(p.key, p.maker, p.number, _bare(p), p.year, p.barcode, p.kind, p.series, p.licensor)


def _case(code: str, indicator: str = "1") -> str:
    """The GTIN-14 of a case of the unit whose barcode is `code` (a different number from the unit's)."""
    return _check(indicator + code.zfill(13)[:12])


def _random_code(rng: random.Random, head: str, length: int = 12) -> str:
    return _check(head + "".join(str(rng.randint(0, 9)) for _ in range(length - 1 - len(head))))


def _lakh(amount: Decimal) -> str:
    """Indian digit grouping: 124999 -> 1,24,999."""
    whole = str(int(amount))
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join(([head] if head else []) + groups + [tail])


def _bold(text: str) -> str:
    """Mathematical bold capitals and digits, as resale titles use them."""
    out = []
    for c in text:
        if "A" <= c <= "Z":
            out.append(chr(0x1D400 + ord(c) - ord("A")))
        elif c.isdigit() and c.isascii():
            out.append(chr(0x1D7CE + int(c)))
        else:
            out.append(c)
    return "".join(out)


def _hide(text: str, rng: random.Random) -> str:
    """A zero-width space somewhere inside a word (copy-pasted resale text)."""
    if len(text) < 4:
        return text
    at = rng.randint(2, len(text) - 2)
    return text[:at] + ZW + text[at:]


def _free_id(rng: random.Random, every: list[Product], low: int, high: int) -> str:
    numbers = {p.number for p in every}
    while True:
        own = str(rng.randint(low, high))
        if own not in numbers:
            return own


def _siblings(p: Product, every: list[Product]) -> list[Product]:
    """The other years of a series a page offers as variants (plain pieces only)."""
    if not p.series:
        return []
    return sorted((o for o in every if o.series == p.series and o.kind == "ornament" and o.maker == p.maker
                   and _split(o.number)[0] == _split(p.number)[0]), key=lambda o: o.year or 0)


# --- the shops -------------------------------------------------------------------------------------

def _walmart(rng, p, every, price):
    item = str(rng.randint(100000000, 999999999))
    sku = rng.choice([_written(rng, p), f"OO-{rng.randint(10000, 99999)}", f"HMK{rng.randint(1000, 9999)}",
                      str(rng.randint(800000000000, 899999999999))])
    if p.barcode:
        gtin = rng.choice([p.barcode, p.barcode, p.barcode.zfill(14)])
    else:  # the maker's has none: Walmart wants one, so the seller bought one
        gtin = _random_code(rng, "6" + str(rng.randint(10000, 99999)))
    group = _siblings(p, every)
    features = [f"Brand: {p.maker}"]
    if rng.random() < 0.7:
        features.append(f"Manufacturer Part Number: {_written(rng, p)}")
    if p.year:
        features.append(f"Year: {p.year}")
    features.append(rng.choice(["Material: Plastic", "Material: Glass", "Material: Resin", "Ages 14+"]))
    if len(group) > 1 and rng.random() < 0.8:
        head = f"{p.maker} Keepsake Christmas Ornament, {p.series} Series" if p.maker == "Hallmark" \
            else f"{p.series} Ornament"
        name = f"{head}, Year: {p.year}"
        page = zlib.crc32(p.series.encode()) % 900000000 + 100000000
        url = f"https://www.walmart.example/ip/{_slug(head)}/{page}?selected={item}"
        short = f"Collect every year of the {p.series} series. Choose your year below."
        if rng.random() < 0.5:
            short += " Available years: " + " · ".join(f"{o.year} ({o.number})" for o in group) + "."
    else:
        name = rng.choice([f"{p.maker} {_titled(_plain_name(p))} Christmas Ornament", f"{_titled(p)} Ornament by {p.maker}",
                           f"{p.maker} Keepsake {_titled(p)}".replace("Keepsake Keepsake", "Keepsake")
                           if p.maker == "Hallmark" else f"{_titled(p)} Holiday Decoration"])
        url = f"https://www.walmart.example/ip/{_slug(name)}/{item}"
        short = rng.choice(["Makes a great gift for the collector.", "Brand new in original box.",
                            "Ships same or next business day."])
    body = f"<p>{short}</p><ul>" + "".join(f"<li>{f}</li>" for f in features) + "</ul>"
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        more = f"<p>Customers also considered: {o.name} {o.number}</p>"
        body = more + body if rng.random() < 0.4 else body + more
    rows = [{"vendor_product_id": item, "name": name, "sku": sku, "gtin": gtin, "brand": p.maker,
             "description": body, "url": url, "release_year": p.year,
             "image_urls": [f"https://i5.walmartimages.example/asr/{rng.getrandbits(128):032x}.jpeg"]}]
    if rng.random() < 0.12:  # a second seller lists the same item on its own page
        other = str(rng.randint(100000000, 999999999))
        rows.append({"vendor_product_id": other, "name": f"{_bare(p)} {p.year or ''} Xmas Tree Ornament".strip(),
                     "sku": f"XD-{rng.randint(100000, 999999)}", "brand": rng.choice([p.maker, "Unbranded"]),
                     "gtin": p.barcode if p.barcode and rng.random() < 0.5 else None,
                     "description": "<p>Sold and shipped by XmasDirect LLC, 4410 Commerce Dr, Rogers AR 72756.</p>",
                     "url": f"https://www.walmart.example/ip/{other}",
                     "price": (price * Decimal("1.15")).quantize(Decimal("0.01"))})
    return rows


def _faire(rng, p, every, price):
    if p.year and p.year < 2020:  # a wholesaler sells the current lines
        return []
    own = "p_" + "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    pack = rng.choice([2, 4, 6, 6, 6, 12])
    unit = (price * Decimal("0.5")).quantize(Decimal("0.01"))
    compact = re.sub(r"[^A-Za-z0-9]", "", _written(rng, p)).upper()
    sku = f"NP-{compact}-{pack}" if rng.random() < 0.55 else f"NP{rng.randint(10000, 99999)}"
    case = _case(p.barcode) if p.barcode else None
    gtin = rng.choice([p.barcode, case, case, None]) if p.barcode else None
    lines = [f"**Sold in packs of {pack}** · Minimum order $100 (first order $50)", "",
             f"- MSRP: ${price}", f"- Wholesale: ${unit} / unit (${unit * pack} / pack)"]
    if rng.random() < 0.6:
        lines.append(f"- Maker item #: {_written(rng, p)}")
    if case and rng.random() < 0.5:
        lines.append(f"- Case pack GTIN: {case}")
    if p.barcode and rng.random() < 0.25:
        lines.append(f"- Unit UPC: {p.barcode}")
    lines.append(f"- Ships in 3–5 days from Lancaster, PA 17601{' · ' + str(p.year) + ' collection' if p.year else ''}")
    if rng.random() < 0.4:
        lines += ["", "### Retailers also ordered"] + [f"- {o.name} ({o.number})" for o in _others(rng, p, every, 2)]
        if rng.random() < 0.3:
            lines = lines[-4:] + [""] + lines[:-4]
    return [{"vendor_product_id": own, "sku": sku, "gtin": gtin, "brand": p.maker,
             "name": f"{_titled(p)} Ornament – Case of {pack}" if rng.random() < 0.6 else f"{p.maker} {_titled(_plain_name(p))}",
             "description": "\n".join(lines), "price": unit * pack,
             "url": f"https://www.faire.example/product/{own}"}]


def _closeout(rng, p, every, price):
    if p.year and p.year < 2020:  # liquidated stock is recent retail stock
        return []
    own = _free_id(rng, every, 6000000, 6099999)  # the liquidator's lot ids: seven digits, 60xxxxx
    condition = rng.choice(["SHELF PULL", "SHELF PULL - BOX WEAR", "CUSTOMER RETURN - COMPLETE", "OVERSTOCK NIB"])
    cells = [f"Condition: {condition.title()}"]
    if rng.random() < 0.6:
        cells.append(f"Mfr #: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        cells.append(f"UPC: {p.barcode}")
    cells.append(rng.choice(['Notes: ""price sticker on box""', 'Notes: ""tag cut - no retail""',
                             "Notes: none", 'Notes: ""box 8/10""']))
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        cells.insert(rng.randint(0, len(cells)), f"Same load: {o.number} {o.name}")
    cells.append(f"Qty avail: {rng.randint(1, 60)} · Load #{_free_id(rng, every, 6000000, 6099999)}")
    name = f"{condition} {p.maker} {_titled(_plain_name(p))}"
    if rng.random() < 0.3:
        name += f" {_written(rng, p)}"
    return [{"vendor_product_id": own, "sku": f"LQ{own}", "name": name, "brand": p.maker,
             "description": "\r\n".join(cells), "price": (price * Decimal("0.45")).quantize(Decimal("0.01")),
             "url": f"https://closeoutdepot.example/lot/{own}"}]


def _mercari(rng, p, every, price):
    own = "m" + str(rng.randint(10**10, 10**11 - 1))
    maker = _hide(p.maker, rng) if rng.random() < 0.4 else p.maker
    title = rng.choice([f"✨NWT {maker} {_titled(_plain_name(p))} 🎄", f"🎄 {maker} {_bare(p)} ornament ✨ {p.year or ''} ❄️",
                        f"{_bold('NEW')} {maker} {_titled(_plain_name(p))} 🎅🏻"])
    lines = [rng.choice(["NWT 🏷️ never displayed", "new in box 📦", "opened to photograph only 📸"])]
    if rng.random() < 0.45:
        number = _written(rng, p)
        form = rng.random()
        number = _bold(number.upper()) if form < 0.2 else _hide(number, rng) if form < 0.5 else number
        if rng.random() < 0.5:
            title += f" {number}"
        else:
            lines.append(f"box says {number} 🔍")
    lines.append(rng.choice(["smoke-free home 🚭", "smoke & pet free home 🐾🚭"]))
    lines.append(rng.choice(["price firm 💯", "bundle to save 💰 (2+ items 15% off)", "no lowballs pls 🙏"]))
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        more = f"I also have the {o.year or ''} one ({o.number}) listed! 💕"
        lines.insert(rng.choice([0, len(lines)]), more)
    return [{"vendor_product_id": own, "name": title, "description": "\n".join(lines),
             "brand": rng.choice([p.maker, None]), "price": Decimal(int(price * Decimal(rng.choice(["0.9", "1.2", "1.5"])))),
             "url": f"https://www.mercari.example/us/item/{own}/",
             "image_urls": [f"https://static.mercdn.example/item/detail/orig/photos/{own}_1.jpg"]}]


def _tiktok(rng, p, every, price):
    own = str(rng.randint(1729000000000000000, 1729999999999999999))
    title = (f"🔥HOT🔥 {p.maker} {_titled(_plain_name(p))} Christmas Ornament 🎅 Gift for Collectors | Tree Decor"
             if rng.random() < 0.6 else f"{p.maker.upper()} {_titled(_plain_name(p)).upper()} ORNAMENT 🎄 LIMITED")
    attrs = {"Brand": p.maker, "Material": rng.choice(["Resin", "Glass", "Porcelain"]), "Quantity": "1"}
    if rng.random() < 0.55:
        attrs["Model"] = _written(rng, p)
    if p.year:
        attrs["Year"] = str(p.year)
    points = ["✅ 100% authentic", "🚚 ships in 24h", "🎁 gift ready"]
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        points.insert(rng.choice([0, 3]), f"👀 also in our shop: {o.name} {o.number}")
    text = json.dumps({"desc": f"{_titled(p)} by {p.maker}.", "attributes": attrs, "sellingPoints": points},
                      ensure_ascii=rng.random() < 0.4)
    return [{"vendor_product_id": own, "name": title, "description": text,
             "sku": rng.choice(["Default", f"TT{rng.randint(10000, 99999)}"]),
             "brand": p.maker, "url": f"https://shop.tiktok.example/view/product/{own}"}]


def _korean(rng, p, every, price):
    own = str(rng.randint(5000000000, 5999999999))
    lines = [f"상품번호: {own}"]
    if rng.random() < 0.7:
        lines.append(f"모델명: {_written(rng, p)}")
    if rng.random() < 0.3:
        lines.append(f"제조사 품번: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"바코드: {p.barcode}")
    lines.append(f"제조사: {p.maker} / 원산지: {rng.choice(['중국', '필리핀', '독일', '폴란드'])}")
    if rng.random() < 0.45:
        o = _others(rng, p, every, 2)
        more = "함께 보면 좋은 상품: " + ", ".join(f"{x.name} ({x.number})" for x in o)
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append("상호: 크리스마스몰 | 사업자등록번호: 214-86-12345 | 통신판매업신고: 제2021-서울강남-01234호")
    lines.append("고객센터 1588-1234 | 서울특별시 강남구 테헤란로 123 (06236)")
    krw = Decimal(int(price * 1350 / 100) * 100)
    return [{"vendor_product_id": own, "name": f"[{MAKER_KO[p.maker]}] {_bare(p)} {p.year or ''} 크리스마스 오너먼트".replace("  ", " "),
             "brand": rng.choice([p.maker, MAKER_KO[p.maker]]), "description": "<br>".join(lines), "price": krw,
             "url": f"https://smartstore.example.kr/xmasmall/products/{own}"}]


def _czech(rng, p, every, price):
    own = _free_id(rng, every, 300000, 399999)  # ITEM_ID: six digits
    sku = _written(rng, p) if rng.random() < 0.7 else own
    lines = [f"<p>Vánoční ozdoba {p.maker} – {_bare(p)}.</p>"]
    if rng.random() < 0.5:
        lines.append(f"<p>Kód výrobce: {_written(rng, p)}</p>")
    if p.year:
        lines.append(f"<p>Rok vydání: {p.year}</p>")
    if rng.random() < 0.4:
        o = _others(rng, p, every, 2)
        more = "<p>Podobné zboží: " + "; ".join(f"{x.name} (kód {x.number})" for x in o) + "</p>"
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append("<p>Provozovatel: Vánoční dekorace s.r.o., IČO: 27123456, DIČ: CZ27123456, Na Poříčí 12, "
                 "PSČ 110 00 Praha 1, tel. +420 222 123 456</p>")
    return [{"vendor_product_id": own, "sku": sku, "gtin": p.barcode if p.barcode and rng.random() < 0.6 else None,
             "name": f"Vánoční ozdoba {p.maker} {_bare(p)} {_year(p)}".strip(), "brand": p.maker,
             "description": "".join(lines), "price": Decimal(int(price * 23)),
             "url": f"https://www.vanocni-dekorace.example.cz/{_slug(p.name)}-{own}",
             "image_urls": [f"https://www.vanocni-dekorace.example.cz/img/{own}.jpg"]}]


def _danish(rng, p, every, price):
    own = _free_id(rng, every, 10000, 46999)  # Varenummer: five digits
    lines = [f"Varenummer: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Producentens varenr.: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"Stregkode: {p.barcode}")
    if p.year:
        lines.append(f"Årgang: {p.year}")
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        more = f"Andre købte også: {o.name} (varenr. {o.number})"
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append("Julebutikken ApS · CVR 31245678 · Vestergade 12, 8000 Aarhus C · Tlf. 86 12 34 56")
    gtin = rng.choice([p.barcode, _random_code(rng, "2", 13)]) if p.barcode else \
        (_random_code(rng, "2", 13) if rng.random() < 0.4 else None)  # in-store codes begin with 2
    dkk = Decimal(int(price * 7)) + Decimal("0.95")
    return [{"vendor_product_id": own, "sku": own, "gtin": gtin, "brand": p.maker,
             "name": rng.choice([f"{p.maker} juleophæng {_bare(p)} {_year(p)}", f"{_titled(p)} – julepynt fra {p.maker}"]).strip(),
             "description": "\n".join(lines), "price": dkk,
             "url": f"https://julebutikken.example.dk/produkt/{_slug(p.name)}"}]


def _canadian(rng, p, every, price):
    own = f"{rng.randint(10000, 99999)}-CA"
    cad = (price * Decimal("1.36")).quantize(Decimal("0.01"))
    lines = [f"Item # / No d'article : {own}"]
    if rng.random() < 0.7:
        lines.append(f"Mfr. # / No du fabricant : {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"UPC / CUP : {p.barcode}")
    lines.append(f"${cad} / {str(cad).replace('.', ',')} $")
    if rng.random() < 0.4:
        o = _others(rng, p, every, 2)
        more = "You may also like / Vous aimerez aussi : " + " | ".join(f"{x.name} – {x.number}" for x in o)
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append("Free shipping over $75 / Livraison gratuite dès 75 $ · 214 rue Saint-Paul O, Montréal QC H2Y 1Z8 · "
                 "1-800-555-0199 · GST/TPS 812345678 RT0001 · QST/TVQ 1234567890 TQ0001")
    return [{"vendor_product_id": own, "sku": own, "brand": p.maker, "gtin": p.barcode if rng.random() < 0.25 else None,
             "name": f"{p.maker} {_titled(_plain_name(p))} Ornament / Décoration", "description": "<br/>".join(lines),
             "price": cad, "url": f"https://boutiquenoel.example.ca/en/{_slug(p.name)}"}]


def _arabic(rng, p, every, price):
    own = _free_id(rng, every, 40000, 99999)
    year = str(p.year).translate(ARABIC) if p.year else ""
    lines = [f"{RLM}رمز المنتج: {own.translate(ARABIC) if rng.random() < 0.5 else own}"]
    if rng.random() < 0.7:
        number = _written(rng, p)
        lines.append(f"{RLM}رقم الموديل: {number.translate(ARABIC) if rng.random() < 0.3 else number}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"{RLM}الباركود: {p.barcode.translate(ARABIC) if rng.random() < 0.4 else p.barcode}")
    if year:
        lines.append(f"{RLM}سنة الإصدار: {year}")
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        more = f"{RLM}قد يعجبك أيضاً: {o.name} ({o.number})"
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append(f"{RLM}الرقم الضريبي (TRN): 100234567800003 — ص.ب. 12345 دبي — هاتف ٠٤ ٥٥٥ ١٢٣٤")
    aed = (price * Decimal("3.67")).quantize(Decimal("1"))
    lines.append(f"{RLM}السعر: {str(aed).translate(ARABIC)} د.إ")
    return [{"vendor_product_id": own, "name": f"{RLM}زينة شجرة الميلاد {MAKER_AR[p.maker]} {_bare(p)} {year}".strip(),
             "brand": p.maker, "description": "\n".join(lines), "price": aed,
             "url": f"https://zeenat.example.ae/ar/p/{own}"}]


def _indian(rng, p, every, price):
    own = "ORN" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(13))
    inr = Decimal(int(price * 83))
    model = rng.choice([_written(rng, p), _written(rng, p), f"{_bare(p)[:18]}", f"XMAS-ORN-{rng.randint(10, 99)}"])
    spec = [("Model Number", model), ("Model Name", _bare(p)), ("Generic Name", "Christmas Hanging Ornament")]
    if rng.random() < 0.35:
        spec.append(("Manufacturer Part Number", _written(rng, p)))
    spec += [("Country of Origin", rng.choice(["China", "Philippines", "Germany", "Poland", "India"])),
             ("Net Quantity", "1 N"), ("Brand", p.maker),
             ("Importer", "Festive Imports Pvt Ltd, Marol, Andheri East, Mumbai 400059"),
             ("Customer Care", "1800 208 9898"), ("Seller GSTIN", "27AABCF1234K1Z5")]
    lines = [f"{k} | {v}" for k, v in spec]
    lines.insert(0, f"MRP ₹{_lakh(inr * Decimal('1.3'))} · Deal price ₹{_lakh(inr)} (incl. of all taxes)")
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        lines.insert(rng.choice([1, len(lines)]), f"Frequently bought together: {o.name} {o.number}")
    return [{"vendor_product_id": own, "name": f"{p.maker} {_titled(_plain_name(p))} Christmas Tree Hanging Ornament (Multicolor, Pack of 1)",
             "brand": p.maker, "sku": rng.choice([f"FI-{rng.randint(1000, 9999)}", model]),
             "gtin": p.barcode if p.barcode and rng.random() < 0.2 else None,
             "description": "\n".join(lines), "price": inr,
             "url": f"https://www.festivekart.example.in/{_slug(p.name)}/p/itm{own[3:].lower()}?pid={own}"}]


def _hallmark(rng, p, every, price):
    if p.maker != "Hallmark" or not p.year or p.year < 2019:
        return []
    item = f"1{p.number}"
    name = f"{_titled(p)} Ornament"
    parts = [f"<p>{rng.choice(['Dated.', 'Dated. Artist signed.', 'Makes a meaningful gift.'])}</p>"]
    if p.number.startswith("QXC"):
        parts.insert(0, "<p><strong>Keepsake Ornament Club exclusive.</strong> Members only.</p>")
    if p.number.startswith("QXR"):
        parts.append("<p>Magic: light and sound. Requires Keepsake Power Cord (sold separately).</p>")
    parts.append(f"<p>Item #{item}</p>")
    if rng.random() < 0.5:
        o = _others(rng, p, every, 2)
        more = "<h4>Pairs well with</h4>" + "".join(f"<p>{x.name} Ornament · Item #1{x.number}</p>" for x in o)
        parts = [more] + parts if rng.random() < 0.3 else parts + [more]
    return [{"vendor_product_id": item, "sku": item, "name": name, "brand": "Hallmark",
             "gtin": p.barcode if p.barcode and rng.random() < 0.3 else None, "description": "".join(parts),
             "url": f"https://www.hallmark.example/ornaments/keepsake-ornaments/{_slug(name)}-{item}.html",
             "image_urls": [f"https://www.hallmark.example/dw/image/{item}_1.jpg"]}]


SHOPS = {  # vendor: (writer, currency, share of the products it carries)
    "us_walmart_marketplace": (_walmart, "USD", 0.45), "us_faire_wholesale": (_faire, "USD", 0.35),
    "us_closeoutdepot": (_closeout, "USD", 0.3), "us_mercari_closet": (_mercari, "USD", 0.35),
    "us_tiktokshop": (_tiktok, "USD", 0.25), "kr_xmasmall": (_korean, "KRW", 0.4),
    "cz_vanocnidekorace": (_czech, "CZK", 0.4), "dk_julebutikken": (_danish, "DKK", 0.4),
    "ca_boutiquenoel": (_canadian, "CAD", 0.4), "ae_zeenat": (_arabic, "AED", 0.35),
    "in_festivekart": (_indian, "INR", 0.35), "us_hallmark": (_hallmark, "USD", 0.75)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """Lots, pallets, bundles, empty boxes, copies, a stand, a cord and a storage box beside what they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    lot_key = lambda lot: "lot-" + "-".join(sorted(p.key for p in lot))
    ornaments = [p for p in every if p.kind == "ornament"]
    modern = [p for p in ornaments if p.maker == "Hallmark" and p.year and p.year >= 2019]
    magic = [p for p in every if p.number.startswith("QXR")]
    others = [p for p in ornaments if p.maker != "Hallmark"]

    for i in range(2):  # the liquidator's mixed lots, a CSV export with its manifest
        lot = rng.sample(ornaments, 4)
        own = _free_id(rng, every, 6000000, 6099999)
        manifest = "\r\n".join(f"{_written(rng, p)},{p.name},{rng.randint(1, 12)}" for p in lot)
        rows.append({"vendor": "us_closeoutdepot", "vendor_product_id": own, "truth": lot_key(lot),
                     "name": f"MIXED LOT {rng.randint(20, 60)} pcs assorted Christmas ornaments - shelf pulls",
                     "description": f'Manifest (partial):\r\nItem,Description,Qty\r\n{manifest}\r\n""Sold as is""'})
    rows.append({"vendor": "us_closeoutdepot", "vendor_product_id": _free_id(rng, every, 6000000, 6099999),
                 "truth": "pallet-closeout", "price": Decimal("1850.00"),
                 "name": "PALLET 480 units assorted Hallmark Keepsake ornaments, 2022-2024 line, customer returns",
                 "description": f"Unmanifested pallet. Assorted. Seen on top: {modern[0].number}, {modern[1].number}."
                                "\r\nPickup: 2200 Industrial Pkwy, Elkhart IN 46516"})
    bundle = rng.sample(modern, 3)  # a resale closet's bundle
    rows.append({"vendor": "us_mercari_closet", "vendor_product_id": "m" + str(rng.randint(10**10, 10**11 - 1)),
                 "truth": lot_key(bundle), "name": f"🎄BUNDLE of 3 Hallmark ornaments 🎁 {ZW}NWT",
                 "description": "\n".join(f"• {p.name} {p.year} ({p.number})" for p in bundle)
                                + "\nbundle only, won't separate 🙅‍♀️ smoke-free home"})
    box = find(lambda p: p.series == "Frosty Friends" and p.year == 2024)
    rows.append({"vendor": "us_mercari_closet", "vendor_product_id": "m" + str(rng.randint(10**10, 10**11 - 1)),
                 "truth": "box-" + box.key, "name": f"BOX ONLY 📦 Hallmark Frosty Friends {box.year} - NO ORNAMENT",
                 "description": f"empty box for {box.number}, great for storage 📦 price firm"})
    box = find(lambda p: p.series == "Nostalgic Houses and Shops" and p.year == 2023)
    rows.append({"vendor": "cz_vanocnidekorace", "vendor_product_id": _free_id(rng, every, 300000, 399999),
                 "truth": "box-" + box.key, "name": f"Pouze krabička – Hallmark {_bare(box)} {box.year}",
                 "description": f"<p>Originální prázdná krabička bez ozdoby. Kód výrobce ozdoby: {box.number}.</p>"})
    case = rng.sample(others, 3)  # a wholesaler's assortment
    rows.append({"vendor": "us_faire_wholesale", "vendor_product_id": "p_asst" + str(rng.randint(100000, 999999)),
                 "truth": lot_key(case), "name": "Assorted Glass Ornaments – Case of 6 (3 designs, 2 each)",
                 "description": "**Sold in packs of 6** · assorted, designs not chosen\n\n"
                                + "\n".join(f"- {p.name} (#{p.number})" for p in case)})
    combo = rng.sample(modern, 2)
    rows.append({"vendor": "in_festivekart", "vendor_product_id": "ORNCOMBO" + str(rng.randint(10**7, 10**8 - 1)),
                 "truth": lot_key(combo), "price": Decimal("124999"),
                 "name": f"Hallmark Combo of 2 Ornaments: {combo[0].name} + {combo[1].name} (Pack of 2)",
                 "description": f"MRP ₹{_lakh(Decimal('149999'))} · Deal price ₹{_lakh(Decimal('124999'))}\n"
                                f"Model Number | {combo[0].number} + {combo[1].number}\nNet Quantity | 2 N"})
    three = rng.sample(modern, 3)
    rows.append({"vendor": "us_walmart_marketplace", "vendor_product_id": str(rng.randint(100000000, 999999999)),
                 "truth": lot_key(three), "name": "Hallmark Keepsake Christmas Ornaments, Set of 3",
                 "description": "<ul>" + "".join(f"<li>{p.name} ({p.number})</li>" for p in three) + "</ul>",
                 "sku": f"OO-SET{rng.randint(100, 999)}"})

    copied = rng.sample(modern + others, 8)  # copies, one for each language
    c = iter(copied)
    p = next(c)
    rows.append({"vendor": "kr_xmasmall", "vendor_product_id": str(rng.randint(5000000000, 5999999999)),
                 "truth": "copy-" + p.key, "name": f"{_bare(p)} 스타일 레플리카 오너먼트 (정품 아님)",
                 "description": f"모델명 {p.number} 디자인을 참고한 레플리카 제품입니다. 정품이 아닙니다."})
    p = next(c)
    rows.append({"vendor": "cz_vanocnidekorace", "vendor_product_id": _free_id(rng, every, 300000, 399999),
                 "truth": "copy-" + p.key, "name": f"Replika ozdoby ve stylu {p.maker} {_bare(p)}",
                 "description": f"<p>Napodobenina, nejde o originál. Předloha: kód výrobce {p.number}.</p>"})
    p = next(c)
    rows.append({"vendor": "dk_julebutikken", "vendor_product_id": _free_id(rng, every, 10000, 46999),
                 "truth": "copy-" + p.key, "name": f"Julekugle inspireret af {p.maker} {_bare(p)} (kopi)",
                 "description": f"Kopi – ikke original. Inspireret af producentens varenr. {p.number}."})
    p = next(c)
    rows.append({"vendor": "ca_boutiquenoel", "vendor_product_id": f"{rng.randint(10000, 99999)}-CA",
                 "truth": "copy-" + p.key, "name": f"Reproduction: {_bare(p)} style ornament / Décoration style {p.maker}",
                 "description": f"Reproduction inspired by {p.maker} {p.number} / Reproduction inspirée du no {p.number}. "
                                "Not a licensed product / Produit non officiel."})
    p = next(c)
    rows.append({"vendor": "ae_zeenat", "vendor_product_id": _free_id(rng, every, 40000, 99999),
                 "truth": "copy-" + p.key, "name": f"{RLM}زينة تقليد {_bare(p)} — ليست أصلية",
                 "description": f"{RLM}نسخة مقلدة مستوحاة من الموديل {p.number}. المنتج ليس من {MAKER_AR[p.maker]}."})
    p = next(c)
    rows.append({"vendor": "in_festivekart", "vendor_product_id": "ORN" + str(rng.randint(10**12, 10**13 - 1)),
                 "truth": "copy-" + p.key, "name": f"Inspired Design {_bare(p)} Christmas Ornament (Not Original)",
                 "description": f"Model Number | INSP-{p.number}\nGeneric Name | Christmas Ornament\n"
                                f"Inspired by {p.maker} design, not an original {p.maker} product."})
    p = next(c)
    rows.append({"vendor": "us_mercari_closet", "vendor_product_id": "m" + str(rng.randint(10**10, 10**11 - 1)),
                 "truth": "copy-" + p.key, "name": f"{_bare(p)} ornament DUPE 👀 (not {p.maker})",
                 "description": f"looks just like {p.number} for way less 🤫 handmade, not {p.maker}"})
    p = next(c)
    rows.append({"vendor": "us_tiktokshop", "vendor_product_id": str(rng.randint(1729000000000000000, 1729999999999999999)),
                 "truth": "copy-" + p.key, "name": f"{_bare(p)} Look-Alike Ornament 🎄 Viral Dupe",
                 "description": json.dumps({"desc": f"Look-alike of {p.maker} {p.number}. Not affiliated.",
                                            "attributes": {"Brand": "Generic"}})})

    stand = find(lambda p: p.kind == "stand")
    cord = find(lambda p: p.kind == "accessory" and "Cord" in p.name)
    storage = find(lambda p: p.kind == "accessory" and "Storage" in p.name)
    fits = rng.sample(modern, 2)
    rows.append({"vendor": "us_hallmark", "vendor_product_id": f"1{stand.number}", "truth": stand.key,
                 "sku": f"1{stand.number}", "name": f"{stand.name}", "brand": "Hallmark",
                 "description": f"<p>Shown with {fits[0].name} (Item #1{fits[0].number}) and {fits[1].name} "
                                f"(Item #1{fits[1].number}), sold separately.</p><p>Item #1{stand.number}</p>"})
    rows.append({"vendor": "us_hallmark", "vendor_product_id": f"1{cord.number}", "truth": cord.key,
                 "sku": f"1{cord.number}", "name": cord.name, "brand": "Hallmark",
                 "description": "<p>Powers Magic ornaments such as " + " and ".join(
                     f"{m.name} (Item #1{m.number})" for m in magic) + f".</p><p>Item #1{cord.number}</p>"})
    rows.append({"vendor": "us_hallmark", "vendor_product_id": f"1{storage.number}", "truth": storage.key,
                 "sku": f"1{storage.number}", "name": storage.name, "brand": "Hallmark",
                 "description": f"<p>Holds 24 ornaments, sized for pieces like {fits[1].name} ({fits[1].number}).</p>"
                                f"<p>Item #1{storage.number}</p>"})
    rows.append({"vendor": "kr_xmasmall", "vendor_product_id": str(rng.randint(5000000000, 5999999999)),
                 "truth": cord.key, "name": "[홀마크] 매직 오너먼트 전원 코드", "brand": "Hallmark",
                 "description": f"모델명: {magic[0].number} / {magic[1].number} 전용 전원 코드<br>제조사 품번: {_written(rng, cord)}"})
    rows.append({"vendor": "dk_julebutikken", "vendor_product_id": _free_id(rng, every, 10000, 46999), "truth": stand.key,
                 "name": "Hallmark ophængsstativ med lys", "brand": "Hallmark",
                 "description": f"Passer til {fits[0].name} ({fits[0].number}).\nProducentens varenr.: {stand.number}"})
    rows.append({"vendor": "ca_boutiquenoel", "vendor_product_id": f"{rng.randint(10000, 99999)}-CA", "truth": storage.key,
                 "name": "Hallmark Ornament Storage Box / Boîte de rangement", "brand": "Hallmark",
                 "description": f"Fits / Convient à {fits[0].number}, {fits[1].number} and more / et plus."})
    return rows


_HIDDEN = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u00ad"}
_HIDDEN.update({ord(a): str(i) for i, a in enumerate("٠١٢٣٤٥٦٧٨٩")})
_HIDDEN.update({ord(a): str(i) for i, a in enumerate("۰۱۲۳۴۵۶۷۸۹")})


def _read(text: str | None) -> str:
    """What a person reads: tags gone, invisible marks gone, Arabic-Indic digits as digits."""
    return plain(text).translate(_HIDDEN).upper()


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators inside it ignored)."""
    texts = [_read(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    own = p.number.upper()
    if own[0].isdigit():  # digits only: hyphens or dots inside ("1-234-56"), not a run of other digits
        pattern = re.compile(r"(?<![0-9])(?<![0-9][\-.])" + r"[\-.]?".join(own) + r"(?![0-9])")
    else:  # "QX 507-4", "qx-1234"; "1QX1234" (Hallmark's item #) reads QX1234 too
        pattern = re.compile(r"(?<![A-Z])" + r"[\s\-./]{0,2}".join(own) + r"(?![0-9])")
    if any(pattern.search(t) for t in texts):
        return True
    if not p.barcode:
        return False
    code = p.barcode.lstrip("0")
    if (row.get("gtin") or "").lstrip("0") == code:
        return True
    barcode = re.compile(r"(?<![0-9])(?:0[\s\-]?)*" + r"[\s\-]?".join(code) + r"(?![0-9])")
    return any(barcode.search(t) for t in texts)


def listings(seed: int = 14) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, share) in SHOPS.items():
        for p in every:
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = Decimal(rng.randint(1299, 4999)) / 100
            rows += shop_rows(rng, write(rng, p, every, price), p, vendor, price)
    for row in _special(rng, every):
        row.setdefault("price", (Decimal("24.99") * RATE[currency[row["vendor"]]]).quantize(Decimal("0.01")))
        rows.append(row)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
