"""A thirteenth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop-platform exports, structured data and languages the
earlier catalogues did not have:

- an Amazon seller flat file (USD): item_sku is the seller's own ("QS4821" now and then, shaped like a maker's
  number), external_product_id with its type (UPC, EAN or an ASIN, which is no barcode), part_number (now and
  then the item_sku again), item_name in Amazon's style ("Hallmark Keepsake Christmas Ornament 2023, ...,
  Porcelain"), bullet_point1..5 joined into the description ("Pairs well with ..." naming another's number);
- an eBay File Exchange export (USD): Title cut at 80 characters (now and then through the number), C:MPN
  ("Does Not Apply" sometimes), C:Brand, Product:UPC ("Does not apply" sometimes), *Description HTML with
  "Check out my other listings", a 12-digit eBay item number as the id, "Ships from Columbus, OH 43215";
- a German Shopware / Magento export (EUR): reference "SW10042" (its own, five digits like Old World
  Christmas's), supplier_reference (the maker's number or the wholesaler's), ean13, upc, mpn, the description
  an HTML spec table (<th>Herstellernummer</th>), a "Zubehör" block naming the display stand's number before
  or after the table, "USt-IdNr. DE...", "90402 Nürnberg";
- a British page read through its microdata and OpenGraph (GBP): "product:retailer_item_id" (its own, now and
  then seven digits like Radko's), "og:upc", "itemprop=mpn", "itemprop=gtin13", related products' JSON-LD
  isRelatedTo entries with their own mpn and gtin13 before or after, "Company No.", "VAT GB", "LS1 4AP";
- a Ukrainian shop (UAH): "Артикул" (its own, five digits), "Код виробника", "Штрихкод", "Схожі товари",
  "ЄДРПОУ", "+380 44 ...", copies ("копія", "репліка"), an empty box ("порожня коробка");
- a Slovak shop (EUR): "Kód produktu" (its own, seven digits starting 60, like Department 56's), "Kód výrobcu",
  "EAN kód", "Podobné produkty", "IČO", "IČ DPH SK...", "PSČ 811 01", copies ("replika");
- a Croatian shop (EUR): "Šifra proizvoda" (its own, seven digits starting 40, like Jim Shore's), "Šifra
  proizvođača", "EAN kod", "Slični proizvodi", "OIB", "10000 Zagreb", copies ("replika", "kopija");
- a Baltic shop (EUR), Lithuanian, Latvian or Estonian by seed: "Prekės kodas / Preces kods / Tootekood"
  (its own), "Gamintojo kodas / Ražotāja kods / Tootja kood", "Brūkšninis kodas / Svītrkods / Ribakood",
  "Panašios prekės / Līdzīgas preces / Sarnased tooted", VAT and postcodes, copies ("kopija", "koopia");
- a Filipino marketplace (PHP): Taglish titles ("[READY STOCK] ... Legit! Pang-regalo"), "Item code:" (the
  maker's number or the shop's own), "Barcode:", "Check niyo din po:" cross-sells, "Viber 0917 ...",
  "Quezon City 1100", "inspired" and "class A replica" copies, bundles.

Makers: Hallmark (QX, QXR Magic, QXM miniature, QXI / QXD licensed, QXC club, QHX accessories, the old style
"QX 507-4" before 1991), Department 56 (seven digits), Christopher Radko (seven digits starting 10), Jim Shore
(seven digits starting 40 or 60), Kurt Adler ("C7654", "J1234"), Old World Christmas (five digits),
Inge-Glas ("1-234-56").

Traps: series in consecutive years (Hallmark's and a Radko annual), Magic and plain pieces of one name,
miniature and full size, a number used in 1989 and again in 2019, a pickle by two makers, a display stand, a
Magic cord and a storage box naming what they fit, an empty box, lots and bundles, copies in each language,
cross-sells and related products with their numbers before and after the own number, shops' own ids shaped
like maker numbers or barcodes, postcodes, phone, company and VAT numbers.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags; separators inside it ignored). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen12` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from decimal import Decimal

from tests.catalogue_truth import plain, Product, ProductMaker
from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old
from tests.catalogue_truth import others_of as _others, split_number as _split, summary
from tests.catalogue_truth import shown  # noqa: F401 (the tests read it from here)
from tests.catalogue_truth import titled as _titled



SERIES_START = {"Snow Buddies": 1998, "Mischievous Kittens": 1999, "Toymaker Santa": 2000, "Holiday Barbie": 1993}
MAGIC = [("Holiday Express Train", 2023), ("Christmas Tree Lot Truck", 2024), ("Santa's Cookie Bakery", 2022)]
MODERN = ["Cardinal on Frosted Pinecone", "Hot Cocoa Mug Penguin", "Vintage Red Pickup", "Gingerbread Chapel",
          "Baby's First Christmas Lamb", "Our First Christmas Together Otters", "Grandma's Cookie Jar",
          "Mailbox Mouse Delivery", "Sledding Polar Bears", "Golf Cart Santa", "Pizza Slice Friends",
          "Sloth in Santa Hat", "Nutcracker Ballet Clara", "Calico Cat in Basket", "Sister Sloths",
          "Fox and Bunny Friends", "Camping Bear Tent", "Teacher's Chalkboard", "Dachshund in Sweater",
          "Snowy Owl on Branch"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian and Grogu"), ("QXD", "Disney", "Disney Frozen Olaf"),
            ("QXD", "Disney", "Disney The Lion King Simba and Nala"),
            ("QXI", "Peanuts", "Peanuts Charlie Brown Christmas Tree"),
            ("QXI", "Harry Potter", "Harry Potter Hedwig With Letter"), ("QXI", "Marvel", "Marvel Iron Man Mark 85"),
            ("QXI", "Barbie", "Barbie Dreamhouse"), ("QXI", "Star Trek", "Star Trek USS Enterprise NCC-1701")]
CLUB = ["Keepsake Ornament Club Santa's Sleigh Ride", "Keepsake Ornament Club Polar Bear Post Office"]
VINTAGE = [("Baby's First Christmas Rocking Horse", 1988), ("Twelve Days of Christmas Partridge", 1984),
           ("Santa's Hot Tub", 1986), ("Peanuts Snoopy and Woodstock", 1990)]
OTHERS = {"Department 56": ["Snow Village Cocoa Shop", "Dickens' Village Counting House", "North Pole Elf Bakery",
                            "Snowbabies Catch a Falling Star", "Christmas in the City Toy Shop"],
          "Christopher Radko": ["Shiny Brite Santa Reflector", "Fairy Godmother Finial", "Nutcracker Sweet Drop"],
          "Jim Shore": ["Heartwood Creek Snowman With Cardinal", "Heartwood Creek Santa With Lantern",
                        "Heartwood Creek Nativity Angel", "Heartwood Creek Woodland Santa"],
          "Kurt Adler": ["Glass Pickle", "Nutcracker Soldier", "Hollywood Nuts Elvis", "Polonaise Angel"],
          "Old World Christmas": ["Glass Pickle", "Gnome With Lantern", "Mushroom With Frog", "Santa in Balloon"],
          "Inge-Glas": ["Santa Reflector Ball", "Glass Pretzel", "Gingerbread Heart"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "729834", "Christopher Radko": "614882",
                  "Jim Shore": "719412", "Kurt Adler": "086131", "Old World Christmas": "776542",
                  "Inge-Glas": "4027633"}


def _products(rng: random.Random) -> list[Product]:
    maker = ProductMaker(rng, "u", {"Department 56": lambda: f"{rng.choice('46')}0{rng.randint(10000, 99999)}",
                                   "Christopher Radko": lambda: f"10{rng.randint(10000, 29999)}",
                                   "Jim Shore": lambda: f"{rng.choice('46')}0{rng.randint(10000, 99999)}",
                                   "Kurt Adler": lambda: f"{rng.choice('CJDT')}{rng.randint(1000, 9999)}",
                                   "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                                   "Inge-Glas": lambda: f"1{rng.randint(100, 999)}{rng.randint(10, 99)}"},
                         BARCODE_PREFIX, used={"43215", "10000", "10117", "10010", "90402", "44102"})  # the shops' postcodes are no numbers
    made, add = maker.made, maker.add

    for year in (2022, 2023, 2024):
        for name in SERIES_START:
            add("Hallmark", f"{name} {_nth(year - SERIES_START[name] + 1)} in Series", year, series=name)
    for series, year in (("Snow Buddies", 2023), ("Toymaker Santa", 2024)):
        full = next(p for p in made if p.series == series and p.year == year)
        add("Hallmark", f"Miniature {full.name}", year, "QXM", series=series)
    for name, year in MAGIC:
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic With Light and Sound", year, "QXR")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2020, 2024))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2021, 2024), prefix, licensor=licensor)
    for name in CLUB:
        add("Hallmark", name, rng.randint(2022, 2024), "QXC")
    for name, year in VINTAGE:
        add("Hallmark", name, year)
    old = add("Hallmark", "Christmas Kitty in Stocking", 1989)
    add("Hallmark", "Gingerbread Gnome Workshop", 2019, number=old.number)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, rng.choice([None, 2022, 2023, 2024]), barcode=0.75)
    for year in (2023, 2024):  # Radko's dated annual, two years
        add("Christopher Radko", f"Annual Holiday Santa {year}", year, series="Annual Holiday Santa", barcode=0.8)
    add("Hallmark", "Keepsake Ornament Display Stand, Lighted Tree", 2024, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory")
    add("Christopher Radko", "Ornament Storage Chest, 24 Compartments", None, kind="accessory")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    if p.maker == "Inge-Glas":
        return rng.choice([p.number, f"{p.number[0]}-{p.number[1:4]}-{p.number[4:]}"])
    if p.maker == "Kurt Adler":
        return rng.choice([p.number, p.number, f"{p.number[0]} {p.number[1:]}", p.number.lower()])
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}", p.number.lower()])


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _own(rng: random.Random, every: list[Product], make) -> str:
    """A shop's own id that is no product's number (shaped like one, now and then)."""
    taken = {p.number for p in every}
    while True:
        made = make()
        if made not in taken and re.sub(r"\D", "", made) not in taken:
            return made


def _upc(p: Product) -> str | None:
    """The barcode as a 12-digit UPC, when it is one."""
    return p.barcode if p.barcode and len(p.barcode) == 12 else None


def _ean(p: Product) -> str | None:
    """The barcode as an EAN-13 (a UPC with a 0 in front)."""
    return None if not p.barcode else p.barcode if len(p.barcode) == 13 else "0" + p.barcode


MATERIALS = ["Porcelain", "Metal", "Glass", "Resin", "Shatterproof Plastic"]


def _amazon(rng, p, every, price):
    own = _own(rng, every, lambda: rng.choice([f"QS{rng.randint(1000, 9999)}", f"KS-{rng.randint(10, 24)}-"
                                                f"{rng.randint(1000, 9999)}", f"FBA-{rng.randint(100000, 999999)}"]))
    kind = rng.choice(["UPC", "EAN", "ASIN"]) if p.barcode else "ASIN"
    if kind == "UPC" and not _upc(p):
        kind = "EAN"
    asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXYZ0123456789") for _ in range(8))
    external = {"UPC": _upc(p), "EAN": _ean(p), "ASIN": asin}[kind]
    part = rng.choice([_written(rng, p), p.number, own]) if rng.random() < 0.8 else None
    material = rng.choice(MATERIALS)
    if p.maker == "Hallmark":
        name = f"Hallmark Keepsake Christmas Ornament {p.year}, {p.name}, {material}"
    else:
        name = f"{p.maker} {p.name} Christmas Ornament{', ' + str(p.year) if p.year else ''}, {material}"
    if rng.random() < 0.15:
        name += f", {p.number}"
    bullets = [f"{p.maker.upper()} ORNAMENT: {rng.choice(['A keepsake to treasure', 'Gift-boxed and ready'])}.",
               f"MATERIAL: {material}; measures {rng.randint(2, 4)}.{rng.randint(0, 9)} in x "
               f"{rng.randint(2, 4)}.{rng.randint(0, 9)} in.",
               f"DATED: {p.year}." if p.year else "UNDATED: enjoy year after year.",
               "GIFT IDEA: for collectors, teachers, grandparents."]
    if rng.random() < 0.3:
        bullets.insert(rng.randint(0, 4), f"MODEL NUMBER: {_written(rng, p)}.")
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        bullets.insert(rng.randint(0, len(bullets)), f"PAIRS WELL WITH: {o.name} ({o.number}), sold separately.")
    return [{"vendor_product_id": own, "name": name, "sku": part, "brand": p.maker,
             "gtin": external if kind != "ASIN" else None, "description": "\n".join(bullets[:5]),
             "url": f"https://amazon.example/dp/{asin}"}]


def _ebay(rng, p, every, price):
    item = str(rng.randint(1251_0000_0000, 3999_9999_9999))
    words = ["Hallmark Keepsake" if p.maker == "Hallmark" else p.maker, str(p.year or ""), p.name]
    if rng.random() < 0.6:
        words.insert(rng.choice([2, 3]), _written(rng, p))
    words.append(rng.choice(["Ornament NIB", "Christmas Ornament NEW", "Ornament New in Box", "Ornament - RARE"]))
    title = " ".join(w for w in words if w)[:80].strip()
    mpn = _written(rng, p) if rng.random() < 0.65 else "Does Not Apply"
    upc = _upc(p) if rng.random() < 0.55 else None
    body = [f"<p><b>{html.escape(p.name)}</b></p>", f"<p>{rng.choice(['Smoke-free home.', 'Box has shelf wear.'])} "
            "Ships from Columbus, OH 43215 within 1 business day.</p>"]
    if p.barcode and not upc and rng.random() < 0.3:
        body.append(f"<p>UPC on box: {p.barcode}</p>")
    if rng.random() < 0.4:
        more = "<p>Check out my other listings: " + ", ".join(
            f"{html.escape(o.name)} {o.number}" for o in _others(rng, p, every, 2)) + "</p>"
        body.insert(rng.choice([0, len(body)]), more)
    return [{"vendor_product_id": item, "name": title, "sku": mpn, "brand": rng.choice([p.maker, p.maker, "Unbranded"]),
             "gtin": upc or "Does not apply", "description": "".join(body),
             "url": f"https://ebay.example/itm/{item}"}]


def _shopware(rng, p, every, price):
    own = _own(rng, every, lambda: f"SW{rng.randint(10000, 19999)}")
    rows = [("Artikelnummer", own)]
    mpn = _written(rng, p) if rng.random() < 0.75 else None
    if mpn:
        rows.append(("Herstellernummer", mpn))
    supplier = rng.choice([p.number, f"GH-{rng.randint(100000, 999999)}"])
    rows.append(("Lieferantennummer", supplier))
    ean = _ean(p) if p.barcode and rng.random() < 0.6 else None
    if ean:
        rows.append(("EAN", ean))
    rows.append(("Jahrgang", str(p.year) if p.year else "ohne"))
    rows.append(("Material", rng.choice(["Porzellan", "Glas", "Kunstharz", "Metall"])))
    table = "<table>" + "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>"
    parts = [f"<p>{html.escape(p.maker)} Christbaumschmuck „{html.escape(p.name)}“.</p>", table]
    if rng.random() < 0.45:
        stand = next(x for x in every if x.kind == "stand")
        items = [stand] + (_others(rng, p, every) if rng.random() < 0.5 else [])
        block = "<h3>Zubehör</h3><ul>" + "".join(f"<li>{html.escape(x.name)} – Art.-Nr. {x.number}</li>"
                                                  for x in items) + "</ul>"
        parts.insert(rng.choice([0, 2]), block)
    parts.append("<p>Versand aus 90402 Nürnberg. USt-IdNr. DE289456123. Hotline 0911 555 4321.</p>")
    return [{"vendor_product_id": own, "sku": mpn or own, "name": f"{p.maker} {_titled(p)} Weihnachtsanhänger",
             "brand": p.maker, "gtin": ean if rng.random() < 0.5 else None, "description": "".join(parts),
             "url": f"https://christbaumschmuck-shop.example/{_slug(p.name)}/{own}"}]


def _microdata(rng, p, every, price):
    own = _own(rng, every, lambda: rng.choice([f"BB-{rng.randint(10000, 99999)}", f"10{rng.randint(10000, 29999)}"]))
    lines = ["og:type: product", f"og:title: {p.maker} {_titled(p)} Hanging Decoration",
             f"product:retailer_item_id: {own}", f"product:brand: {p.maker}",
             f"product:price:amount: {price * Decimal('0.79'):.2f}", "product:price:currency: GBP"]
    if _upc(p) and rng.random() < 0.4:
        lines.append(f"og:upc: {_upc(p)}")
    if rng.random() < 0.6:
        lines.append(f"itemprop=mpn: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"itemprop=gtin13: {_ean(p)}")
    lines.append(f"itemprop=sku: {own}")
    if rng.random() < 0.5:
        for o in _others(rng, p, every, rng.choice([1, 2])):
            entry = f'isRelatedTo: {{"@type": "Product", "name": "{o.name}", "mpn": "{o.number}"'
            entry += f', "gtin13": "{_ean(o)}"}}' if o.barcode else "}"
            lines.insert(rng.choice([0, len(lines)]), entry)
    lines.append("Baubles & Co Ltd, Unit 4, Leeds LS1 4AP. Company No. 08123456. VAT GB 123 4567 89. "
                 "Tel 0113 496 0123.")
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_titled(p)} Hanging Decoration",
             "brand": p.maker, "description": "\n".join(lines),
             "url": f"https://baublesandco.example.co.uk/products/{_slug(p.name)}"}]


def _ukrainian(rng, p, every, price):
    own = _own(rng, every, lambda: str(rng.randint(10000, 49999)))
    lines = [f"Ялинкова іграшка {p.maker} «{p.name}».", f"Артикул: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Код виробника: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Штрихкод: {rng.choice([p.barcode, _ean(p)])}")
    lines.append(f"Рік випуску: {p.year}" if p.year else "Рік випуску: без дати")
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        more = f"Схожі товари: {o.name} (код виробника {o.number})"
        lines.insert(rng.choice([1, len(lines)]), more)
    lines.append("Доставка Новою Поштою. Тел. +380 44 555 12 34. ТОВ «Ялинка», ЄДРПОУ 41234567, 01001 Київ.")
    return [{"vendor_product_id": own, "sku": own, "name": f"Ялинкова прикраса {p.maker} {_titled(p)}",
             "brand": rng.choice([p.maker, None]), "description": "\n".join(lines),
             "url": f"https://yalynka.example.ua/ua/p{own}-{_slug(p.name)}",
             "price": (price * 41).quantize(Decimal("1"))}]


def _slovak(rng, p, every, price):
    own = _own(rng, every, lambda: f"60{rng.randint(10000, 99999)}")
    lines = [f"Kód produktu: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Kód výrobcu: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.55:
        lines.append(f"EAN kód: {_ean(p)}")
    if rng.random() < 0.4:
        more = "Podobné produkty: " + ", ".join(f"{o.name} ({o.number})" for o in _others(rng, p, every, 2))
        lines.insert(rng.choice([0, len(lines)]), more)
    lines.append("Vianočný svet s.r.o., Obchodná 12, PSČ 811 01 Bratislava, IČO 50123456, IČ DPH SK2120123456, "
                 "tel. +421 2 5555 1234")
    return [{"vendor_product_id": own, "sku": own, "name": f"Vianočná ozdoba {p.maker} {_titled(p)}",
             "brand": p.maker, "gtin": p.barcode if rng.random() < 0.25 else None, "description": "<br>".join(lines),
             "url": f"https://vianocnysvet.example.sk/{_slug(p.name)}"}]


def _croatian(rng, p, every, price):
    own = _own(rng, every, lambda: f"40{rng.randint(10000, 99999)}")
    lines = [f"Božićni ukras {p.maker} {p.name}.", f"Šifra proizvoda: {own}"]
    if rng.random() < 0.65:
        lines.append(f"Šifra proizvođača: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"EAN kod: {_ean(p)}")
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        lines.insert(rng.choice([1, len(lines)]), f"Slični proizvodi: {o.name}, šifra {o.number}")
    lines.append("Božićna čarolija d.o.o., Ilica 10, 10000 Zagreb, OIB 12345678903, tel. +385 1 555 1234")
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_titled(p)} – božićni ukras",
             "brand": rng.choice([p.maker, None]), "description": "\n".join(lines),
             "url": f"https://bozicna-carolija.example.hr/proizvod/{_slug(p.name)}"}]


BALTIC = {  # language: (vendor, own, maker's code, barcode, similar, ornament, footer, site)
    "lt": ("lt_kaledusvieslos", "Prekės kodas", "Gamintojo kodas", "Brūkšninis kodas", "Panašios prekės",
           "Kalėdinis žaisliukas", "UAB Kalėdų šviesos, Gedimino pr. 9, LT-01103 Vilnius, PVM kodas LT100001234567, "
           "tel. +370 5 212 3456", "kaleduszaisliukai.example.lt"),
    "lv": ("lv_ziemassvetki", "Preces kods", "Ražotāja kods", "Svītrkods", "Līdzīgas preces",
           "Ziemassvētku rotājums", "SIA Ziemassvētku rotas, Brīvības iela 30, Rīga, LV-1010, PVN LV40003123456, "
           "tālr. +371 67 123 456", "ziemassvetku-rotas.example.lv"),
    "ee": ("ee_joulupood", "Tootekood", "Tootja kood", "Ribakood", "Sarnased tooted", "Jõulukaunistus",
           "Jõulupood OÜ, Narva mnt 5, 10117 Tallinn, KMKR EE101234567, tel. +372 612 3456", "joulupood.example.ee")}


def _baltic(language):
    vendor, own_label, maker_label, code_label, similar, ornament, footer, site = BALTIC[language]

    def write(rng, p, every, price):
        own = _own(rng, every, lambda: f"{language.upper()}{rng.randint(1000, 9999)}")
        lines = [f"{ornament}: {p.maker} {p.name}", f"{own_label}: {own}"]
        if rng.random() < 0.7:
            lines.append(f"{maker_label}: {_written(rng, p)}")
        if p.barcode and rng.random() < 0.5:
            lines.append(f"{code_label}: {_ean(p)}")
        if rng.random() < 0.4:
            o = _others(rng, p, every)[0]
            lines.insert(rng.choice([0, len(lines)]), f"{similar}: {o.name} – {o.number}")
        lines.append(footer)
        return [{"vendor_product_id": own, "sku": own, "name": f"{ornament} {p.maker} {_titled(p)}",
                 "brand": p.maker, "gtin": _ean(p) if p.barcode and rng.random() < 0.3 else None,
                 "description": "<p>" + "</p><p>".join(lines) + "</p>", "url": f"https://{site}/{_slug(p.name)}"}]
    return vendor, write


def _filipino(rng, p, every, price):
    own = _own(rng, every, lambda: f"HK-{rng.randint(1000, 9999)}")
    tag = rng.choice(["[READY STOCK]", "[ONHAND]", "✅ AUTHENTIC", "[SALE]"])
    name = f"{tag} {p.maker} {_titled(p)} Christmas Ornament - Legit! Pang-regalo 🎄"
    lines = [rng.choice(["Available na po! Mag-message lang for other designs.", "Brand new, sealed pa po.",
                         "Original po ito from US, hindi fake."])]
    code = rng.random()
    if code < 0.55:
        lines.append(f"Item code: {_written(rng, p)}")
    elif code < 0.8:
        lines.append(f"Item code: {own}")
    if p.barcode and rng.random() < 0.4:
        lines.append(f"Barcode: {rng.choice([p.barcode, _ean(p)])}")
    if rng.random() < 0.4:
        more = "Check niyo din po: " + " | ".join(f"{o.name} {o.number}" for o in _others(rng, p, every, 2))
        lines.insert(rng.choice([0, len(lines)]), more)
    lines.append("COD available. Pickup sa Quezon City 1100. Viber/GCash 0917 555 1234.")
    item = str(rng.randint(10**10, 10**11))
    return [{"vendor_product_id": item, "sku": own, "name": name, "brand": rng.choice([p.maker, "No Brand"]),
             "description": "\n".join(lines),
             "url": f"https://shopee.example.ph/product/{rng.randint(10**8, 10**9)}/{item}",
             "price": (price * 56).quantize(Decimal("1"))}]


def _shops(rng: random.Random) -> dict:
    baltic_vendor, baltic = _baltic(rng.choice(sorted(BALTIC)))
    return {  # vendor: (writer, currency, share of the products it carries)
        "us_amazon_flatfile": (_amazon, "USD", 0.45), "us_ebay_fileexchange": (_ebay, "USD", 0.42),
        "de_christbaumschmuck": (_shopware, "EUR", 0.4), "uk_baublesandco": (_microdata, "GBP", 0.38),
        "ua_yalynka": (_ukrainian, "UAH", 0.36), "sk_vianocnysvet": (_slovak, "EUR", 0.34),
        "hr_bozicnacarolija": (_croatian, "EUR", 0.32), baltic_vendor: (baltic, "EUR", 0.34),
        "ph_shopee_pasko": (_filipino, "PHP", 0.38)}


COPY = {"lt": ("kopija", "kopija (replika), ne originalas"), "lv": ("kopija", "kopija (replika), nav oriģināls"),
        "ee": ("koopia", "koopia (replika), mitte originaal")}
RATE = {"USD": Decimal(1), "EUR": Decimal("0.92"), "GBP": Decimal("0.79"), "UAH": Decimal(41), "PHP": Decimal(56)}


def _special(rng: random.Random, every: list[Product], shops: dict) -> list[dict]:
    """Lots, bundles, an empty box, copies, a stand, a cord and a storage box beside what they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    modern = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2019]
    old = [p for p in every if _old(p)]
    magic = [p for p in every if p.number.startswith("QXR")]
    radko = [p for p in every if p.maker == "Christopher Radko" and p.kind == "ornament"]
    baltic = next(v for v in shops if v[:2] in ("lt", "lv", "ee"))
    ebay_id = lambda: str(rng.randint(1251_0000_0000, 3999_9999_9999))
    for i in range(2):  # eBay lots
        lot = rng.sample(old if i == 0 else modern, 3)
        title = f"Lot of 3 Hallmark Keepsake Ornaments {' '.join(x.number for x in lot)}"[:80]
        rows.append({"vendor": "us_ebay_fileexchange", "vendor_product_id": ebay_id(),
                     "truth": "lot-" + "-".join(sorted(x.key for x in lot)), "name": title, "sku": "Does Not Apply",
                     "price": Decimal("64.50"),
                     "brand": "Hallmark", "description": "<ul>" + "".join(
                         f"<li>{html.escape(x.name)} ({x.year}) {_written(rng, x)}</li>" for x in lot) + "</ul>"})
    bundle = rng.sample(modern, 2)
    rows.append({"vendor": "ph_shopee_pasko", "vendor_product_id": str(rng.randint(10**10, 10**11)),
                 "truth": "bundle-" + "-".join(sorted(x.key for x in bundle)), "brand": "Hallmark",
                 "price": Decimal("49.90"),
                 "name": f"BUNDLE 2 pcs Hallmark {bundle[0].name} + {bundle[1].name} - sulit!",
                 "description": f"Kasama sa bundle: {bundle[0].number} at {bundle[1].number}. Hindi po hiwalay."})
    pair = rng.sample(radko, 2)
    rows.append({"vendor": "us_amazon_flatfile", "vendor_product_id": f"KS-SET-{rng.randint(100, 999)}",
                 "truth": "bundle-" + "-".join(sorted(x.key for x in pair)), "brand": "Christopher Radko",
                 "name": f"Christopher Radko Christmas Ornament Set of 2, {pair[0].name} and {pair[1].name}, Glass",
                 "sku": f"{pair[0].number}+{pair[1].number}",
                 "description": f"SET OF 2: {pair[0].name} ({pair[0].number}) and {pair[1].name} ({pair[1].number})."})
    target = find(lambda p: p.series == "Snow Buddies" and p.year == 2024)
    rows.append({"vendor": "ua_yalynka", "vendor_product_id": f"K{rng.randint(100, 999)}", "truth": "box-" + target.key,
                 "price": Decimal("6.50"), "name": f"Порожня коробка Hallmark {target.name} {target.year}",
                 "brand": "Hallmark",
                 "description": f"Лише оригінальна коробка, БЕЗ іграшки. Код виробника на коробці: {target.number}."})
    rows.append({"vendor": "us_ebay_fileexchange", "vendor_product_id": ebay_id(), "truth": "box-" + target.key,
                 "name": f"EMPTY BOX ONLY Hallmark {target.name} {target.number}"[:80], "price": Decimal("7.99"),
                 "sku": target.number, "gtin": "Does not apply",
                 "description": "<p><b>No ornament included.</b> Original box only, for a collector missing one.</p>"})
    copied = rng.sample(modern, 5)
    copies = [("ua_yalynka", f"Копія у стилі Hallmark {_bare(copied[0])}",
               f"Репліка, натхненна моделлю Hallmark {copied[0].number}. Не оригінал."),
              ("sk_vianocnysvet", f"Replika ozdoby {_bare(copied[1])} (štýl Hallmark)",
               f"Replika inšpirovaná modelom {copied[1].number}. Nie je originál Hallmark."),
              ("ph_shopee_pasko", f"Inspired {_bare(copied[2])} Ornament Class A Replica",
               f"Inspired by Hallmark {copied[2].number}. OEM, hindi original. Walang box."),
              (baltic, f"{_bare(copied[3])} – {COPY[baltic[:2]][0]}",
               f"Hallmark {copied[3].number}: {COPY[baltic[:2]][1]}."),
              ("hr_bozicnacarolija", f"Replika ukrasa {_bare(copied[4])} u stilu Hallmark",
               f"Kopija modela Hallmark {copied[4].number}, nije original.")]
    for i, (vendor, name, text) in enumerate(copies):
        rows.append({"vendor": vendor, "vendor_product_id": f"C{rng.randint(1000, 9999)}",
                     "truth": "copy-" + copied[i].key, "name": name, "brand": "Generic", "description": text})
    stand = find(lambda p: p.kind == "stand")
    fits = rng.sample(modern, 2)
    rows.append({"vendor": "de_christbaumschmuck", "vendor_product_id": f"SW{rng.randint(20000, 29999)}",
                 "truth": stand.key, "brand": "Hallmark", "name": "Hallmark Keepsake Ornamentständer, beleuchtet",
                 "description": f"<p>Passend für {fits[0].name} ({fits[0].number}) und {fits[1].name}.</p><table>"
                                f"<tr><th>Herstellernummer</th><td>{_written(rng, stand)}</td></tr></table>"})
    rows.append({"vendor": "uk_baublesandco", "vendor_product_id": f"BB-{rng.randint(10000, 99999)}",
                 "truth": stand.key, "brand": "Hallmark", "name": "Hallmark Keepsake Lighted Display Tree",
                 "description": f'isRelatedTo: {{"@type": "Product", "mpn": "{fits[1].number}"}}\n'
                                f"itemprop=mpn: {stand.number}"})
    cord = find(lambda p: p.kind == "accessory" and p.maker == "Hallmark")
    rows.append({"vendor": "us_amazon_flatfile", "vendor_product_id": f"QS{rng.randint(1000, 9999)}", "truth": cord.key,
                 "brand": "Hallmark", "name": f"Hallmark Keepsake Magic Ornament Power Cord, compatible with "
                                              f"{magic[0].name} {magic[0].number}",
                 "sku": cord.number, "description": f"COMPATIBLE WITH: {magic[0].number}, {magic[1].number}."})
    chest = find(lambda p: p.kind == "accessory" and p.maker == "Christopher Radko")
    rows.append({"vendor": "hr_bozicnacarolija", "vendor_product_id": f"40{rng.randint(10000, 99999)}",
                 "truth": chest.key,
                 "brand": "Christopher Radko", "name": "Christopher Radko kutija za ukrase, 24 pretinca",
                 "description": f"Šifra proizvođača: {chest.number}\n"
                                f"Prikladno za {radko[0].name} ({radko[0].number})."})
    return rows




def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    texts = [plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    own = p.number.upper()
    if own.isdigit():
        if any(own in re.findall(r"\d+", re.sub(r"(?<=\d)-(?=\d)", "", t)) for t in texts):
            return True
    else:  # "QX9201", "qx 9201", "QX-9201", "QX 507-4"
        spaced = r"[\s./-]?".join(re.escape(c) for c in own)
        if any(re.search(rf"(?<![A-Z0-9]){spaced}(?![0-9])", t.upper()) for t in texts):
            return True
    codes = {p.barcode.lstrip("0")} if p.barcode else set()
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 13) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    shops = _shops(rng)
    currency = {vendor: shop[1] for vendor, shop in shops.items()}
    rows: list[dict] = []
    for vendor, (write, _, share) in shops.items():
        for p in every:
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = Decimal(rng.randint(1299, 4999)) / 100
            rows += shop_rows(rng, write(rng, p, every, price), p, vendor, price)
    for row in _special(rng, every, shops):  # their prices in dollars, as the shop's currency
        dollars = row.get("price", Decimal("24.99"))
        row["price"] = (dollars * RATE[currency[row["vendor"]]]).quantize(Decimal("0.01"))
        rows.append(row)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
