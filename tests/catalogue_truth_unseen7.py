"""An eighth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the seven earlier catalogues do not cover:

- a Swedish shop (SEK): "Julgransprydnad", the shop's own "Artikelnummer:" (or the maker's as the sku),
  "Tillverkarens art.nr:", "Streckkod (EAN):", "Utgivningsår:", "Passar bra med:", a "välj år" listing;
- a Finnish shop (EUR): "Joulukuusenkoriste", a numeric shop "Tuotenumero:", "Valmistajan koodi:",
  "EAN-koodi:", "Julkaisuvuosi:", "Asiakkaat ostivat myös:" with bullets, a "valitse vuosi" listing;
- a Turkish shop (TRY): "Yılbaşı Ağacı Süsü", "Ürün kodu:", "Üretici kodu:", "Barkod:", "Üretim yılı:",
  "Bunlar da ilginizi çekebilir:", upper case with the dotted İ, the brand only in the URL now and then,
  a replacement box for a named number;
- a Hungarian shop (HUF): "karácsonyfadísz", "Cikkszám:" (the shop's or the maker's), "Gyártói cikkszám:",
  "Vonalkód (EAN):", "Kiadás éve: 2023.", "Ajánlott termékek:" joined by "|", a shop bundle of three;
- an Arabic shop (AED, right to left): "رقم الموديل:", "رمز المنتج:", "الباركود:", "سنة الإصدار:",
  "قد يعجبك أيضاً:", prices and years in Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩), now and then the item number's
  or the barcode's digits too ("QX٩٢٠١"), right-to-left marks around the Latin text;
- an Indian marketplace (INR, Flipkart-like): "Pack of 1" titles, a specifications block ("Model Number",
  "Model Name", "SKU ID" of the shop's own letters, "Sales Package"), "Frequently Bought Together", a
  generic "Compare to Hallmark QX…" copy and a combo of three;
- German classifieds (Kleinanzeigen-like, EUR): private sellers' titles ("Hallmark Weihnachtskugel 2019
  OVP", "Halmark", "Hall Mark"), "Nr. QX…" in the text or nowhere, "VB", "Privatverkauf, keine Rücknahme",
  "habe auch noch …" (another ad's number before or after its own), a "Konvolut", an empty box ("nur OVP
  für QX…"), a copy ("Nachbau");
- an auction house's lot listings (USD): "Lot 123: …", "Estimate: $20 - $40", numbers written as a dealer
  does ("QX 9201/23", "No. QX-9201-A", "QX9201A"), multi-piece lots, Carlton Cards and Danbury Mint pieces;
- a price-comparison aggregator (USD): its own product id, an eBay-like "Product identifiers" block (Brand,
  MPN, UPC, ePID), "Compare prices" with each shop's offer title (hallmark.com's "2499QX9201", "QX9201A"),
  "Similar products" with numbers, a display stand's page naming what it fits.

Makers: Hallmark (QX, QXR Magic, QXI, QXD, QXM miniature, QXC club, QXE event, QHX accessories; vintage "QX
224-4"), Wallace (annual silver-plated sleigh bells, seven-digit numbers), Reed & Barton (annual crosses, six
digits), Inge-Glas ("1-234-23"), Käthe Wohlfahrt (five digits), Carlton Cards Heirloom ("CXOR-047B", no
barcode), Danbury Mint (no number at all).

Traps: series in consecutive years (Hallmark's four, Wallace's bells, Reed & Barton's crosses, Inge-Glas'
annuals), Magic and plain pieces of one name, a miniature of a full-size piece, a club repaint and an event
exclusive, a Hallmark set of three with its own number and shop bundles of three numbers, a number used in
1989 and again in 2019, a stand and a power cord with their own numbers that name what they fit, empty and
replacement boxes naming a number, a copy naming what it copies, lots, choose-your-year listings, cross-sells
in each language before and after the listing's own number (lists, bullets, "|", tables).

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags, direction marks, Arabic-Indic digits read as digits, separators inside it). This
file describes shops, not the matcher. `python -m tests.catalogue_truth_unseen7` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others, shown, split_number as _split, summary, with_check as _check, year_text as _year  # noqa: F401 (shown: the tests read it from here)
from tests.catalogue_truth import slug as _slug


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None  # QX9201, QX2244 (1989's "QX 224-4"), 5226530 (Wallace), 1-234-23 (Inge-Glas), CXOR047B
    name: str
    year: int | None
    barcode: str | None = None
    kind: str = "ornament"  # or set, stand, accessory; box (no number of its own)
    series: str | None = None
    licensor: str | None = None


SERIES_START = {"Sky's the Limit": 1997, "Christmas Window": 2003, "Father Christmas": 2004, "Puppy Love": 1991}
MODERN = ["Cardinal on Birch Branch", "Cozy Cocoa Mug", "Vintage Camper Van", "Snowman Family Sled",
          "Gingerbread Bakery Truck", "Reindeer in Scarf", "Farmhouse Red Barn", "Winter Lantern Owl",
          "Bearded Gnome Skier", "Nutcracker Drummer", "Santa's Mailroom", "Holiday Hedgehog",
          "Baby's First Christmas Lamb", "Our Christmas Together Bears", "Grandma's Kitchen", "Peppermint Pup",
          "Sweater Kitten", "Ski Lodge Fox", "Christmas Tree Lot Truck", "Angel of Hope", "Polar Bear Skater",
          "Bake Sale Bunny", "Mama Bear Papa Bear", "Sleigh Bell Rudolph"]
LICENSED = [("QXI", "Star Wars", "Star Wars Ahsoka Tano"), ("QXI", "Star Wars", "Star Wars Millennium Falcon"),
            ("QXD", "Disney", "Disney Winnie the Pooh Honey Pot"), ("QXD", "Disney", "Disney Moana Pua and Heihei"),
            ("QXD", "Disney", "Disney The Lion King Simba"), ("QXI", "Peanuts", "Peanuts Woodstock on Doghouse"),
            ("QXI", "Harry Potter", "Harry Potter Hogwarts Express"), ("QXI", "Marvel", "Marvel Spider-Man Swinging"),
            ("QXI", "The Grinch", "Dr. Seuss Max the Reindeer"), ("QXI", "Jeep", "Jeep Wrangler 1987"),
            ("QXI", "Sesame Street", "Sesame Street Elmo"), ("QXI", "Mattel", "Hot Wheels Twin Mill")]
VINTAGE = [("Frosty Friends Igloo", 1985), ("Santa's Woody", 1987), ("Reindeer Champs Dasher", 1986),
           ("Mr. and Mrs. Claus", 1988), ("Christmas Kitty", 1989), ("Joyful Carousel", 1988)]
OTHERS = {"Wallace": ["Wallace Silver-Plated Candy Cane", "Wallace Grande Baroque Snowflake"],
          "Reed & Barton": ["Reed & Barton Holly Bell"],
          "Inge-Glas": ["Inge-Glas Pickle", "Inge-Glas Santa Head", "Inge-Glas Owl on Clip"],
          "Käthe Wohlfahrt": ["Käthe Wohlfahrt Wooden Nutcracker Ornament", "Käthe Wohlfahrt Straw Star",
                              "Käthe Wohlfahrt Glass Pickle", "Käthe Wohlfahrt Rothenburg Town Hall"],
          "Carlton Cards": ["Carlton Cards Heirloom Teddy Bear Tree", "Carlton Cards Heirloom Victorian Sleigh",
                            "Carlton Cards Heirloom Snowman Band", "Carlton Cards Heirloom Santa's Toy Shop",
                            "Carlton Cards Heirloom Rocking Reindeer"],
          "Danbury Mint": ["Danbury Mint Coca-Cola Santa Ornament", "Danbury Mint Thomas Kinkade Cottage Ornament"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Wallace": "028277", "Reed & Barton": "037088", "Inge-Glas": "4045962",
                  "Käthe Wohlfahrt": "4050272"}


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":  # before 1991: three digits and a variant digit ("QX 224-4")
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Wallace": lambda: f"52{rng.randint(10000, 99999)}", "Reed & Barton": lambda: f"88{rng.randint(1000, 9999)}",
                "Inge-Glas": lambda: f"{rng.randint(1, 2)}-{rng.randint(100, 999)}-{(year or 2019) % 100:02d}",
                "Käthe Wohlfahrt": lambda: f"{rng.randint(10000, 49999)}",
                "Carlton Cards": lambda: f"CXOR{rng.randint(10, 99):03d}{rng.choice('ABCDEFGHJKLMNPRSTUVWYZ')}"}[maker]()

    def add(maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.6, **more) -> Product:
        while kind in ("ornament", "set", "stand", "accessory") and maker != "Danbury Mint" \
                and (number is None or number in used):
            number = number_of(maker, prefix, year)
        if number:
            used.add(number)
        code = None
        if number and maker in BARCODE_PREFIX and (year or 2020) >= 1996 and rng.random() < barcode:
            body = BARCODE_PREFIX[maker]
            code = _check(body + "".join(str(rng.randint(0, 9)) for _ in range((11 if len(body) == 6 else 12) - len(body))))
        made.append(Product(f"u{len(made)}", maker, number, name, year, code, kind, **more))
        return made[-1]

    def series(name: str, year: int, prefix: str = "QX", **more) -> Product:
        return add("Hallmark", f"{name} {_nth(year - SERIES_START[name] + 1)} in Series", year, prefix, series=name, **more)

    for year in (2022, 2023, 2024):
        for name in SERIES_START:
            series(name, year)
    sky = next(p for p in made if p.series == "Sky's the Limit" and p.year == 2024)
    add("Hallmark", f"Miniature {sky.name}", 2024, "QXM", series=sky.series)
    window = next(p for p in made if p.series == "Christmas Window" and p.year == 2023)
    add("Hallmark", f"{window.name} Club Repaint", 2023, "QXC", series=window.series)
    add("Hallmark", "Miniature Christmas Village, Set of 3", 2023, "QXM", kind="set")
    for name, year in (("North Pole Express Train", 2023), ("Santa's Glowing Workshop", 2024)):
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR")
    add("Hallmark", "Merry Little Elf", 2024)
    add("Hallmark", "Merry Little Elf Ornament Debut Event Exclusive", 2024, "QXE")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2019, 2024))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2019, 2024), prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year)
    old = add("Hallmark", "Christmas Carousel Horse", 1989)
    add("Hallmark", "Sweet Treat Snowman", 2019, number=old.number)  # Hallmark used the number again
    for year in (2023, 2024):  # one name every year, each its own number and barcode
        add("Wallace", f"Wallace {year} Silver-Plated Sleigh Bell", year, barcode=0.9)
        add("Reed & Barton", f"Reed & Barton {year} Christmas Cross", year, barcode=0.9)
        add("Inge-Glas", f"Inge-Glas {year} Annual Glass Ornament", year, barcode=0.7)
    for maker, names in OTHERS.items():
        for name in names:
            year = rng.randint(1994, 2004) if maker == "Carlton Cards" else None
            add(maker, name, year, barcode=0.7)
    add("Hallmark", "Keepsake Ornament Display Tree", 2024, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    """The number as a shop types it."""
    if p.maker == "Carlton Cards":
        return rng.choice([p.number, f"{p.number[:4]}-{p.number[4:]}", f"{p.number[:4]} {p.number[4:]}"])
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"])


def _dealer(rng: random.Random, p: Product) -> str:
    """An auction cataloguer's or an aggregator's spelling: a year after a slash, a letter after it."""
    if p.maker != "Hallmark" or _old(p):
        return _written(rng, p)
    letters, digits = _split(p.number)
    return rng.choice([p.number, f"{letters} {digits}/{(p.year or 0) % 100:02d}", f"{p.number}A",
                       f"{letters}-{digits}-A", f"{letters} {digits}"])


ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


def _ean13(p: Product) -> str | None:
    return ("0" + p.barcode if len(p.barcode) == 12 else p.barcode) if p.barcode else None


def _brand(rng: random.Random, p: Product) -> str:
    """The maker as a hurried typist writes it."""
    if p.maker == "Hallmark" and rng.random() < 0.15:
        return rng.choice(["Halmark", "Hallmrk", "Hall Mark", "HALLMARK"])
    return p.maker


# --- shops: each writes the listings of product p, prices in its currency ---------------------------

def _swedish(rng, p, every, price):
    own = f"JB-{rng.randint(10000, 99999)}"
    number = _written(rng, p)
    maker_is_sku = rng.random() < 0.35
    name = rng.choice([f"{p.maker} julgransprydnad – {_bare(p)} {_year(p)}".strip(),
                       f"{_bare(p)} {_year(p)} – {p.maker} Keepsake julgranskula" if p.maker == "Hallmark"
                       else f"{p.name} julgranskula",
                       f"Julgransprydnad {p.name}{' (' + number + ')' if rng.random() < 0.3 else ''}"])
    lines = [f"<p>Vacker julgransprydnad från {p.maker}. Levereras i presentask.</p>"]
    if rng.random() < 0.15:  # a cross-sell before the listing's own number
        other = _others(rng, p, every)[0]
        lines.append(f"<p>Missa inte heller {other.name} (art.nr {_written(rng, other)}).</p>")
    lines.append(f"<p>Artikelnummer: {number if maker_is_sku else own}</p>")
    if not maker_is_sku and rng.random() < 0.65:
        lines.append(f"<p>{rng.choice(['Tillverkarens art.nr:', 'Tillv. artikelnr:', 'Modellnummer:'])} {number}</p>")
    gtin = None
    if p.barcode and rng.random() < 0.5:
        lines.append(f"<p>Streckkod (EAN): {_ean13(p)}</p>")
        gtin = _ean13(p) if rng.random() < 0.5 else None
    if p.year:
        lines.append(f"<p>Utgivningsår: {p.year}</p>")
    if rng.random() < 0.35:
        others = _others(rng, p, every, 2)
        lines.append("<h4>Passar bra med</h4><ul>" + "".join(
            f"<li>{html.escape(o.name)} – {_written(rng, o)}</li>" for o in others) + "</ul>")
    images = [f"https://julbutiken.example/bilder/{_slug(p.maker)}-{_slug(_bare(p))}.jpg"]
    return [{"vendor_product_id": own, "sku": number if maker_is_sku else own, "name": name, "gtin": gtin,
             "brand": rng.choice([_brand(rng, p), p.maker, None]), "description": "".join(lines),
             "release_year": p.year if rng.random() < 0.5 else None, "image_urls": images,
             "price": (price * 10).quantize(Decimal("1")),
             "url": f"https://julbutiken.example/produkt/{_slug(_bare(p))}"}]


def _finnish(rng, p, every, price):
    own = f"9{rng.randint(10000, 99999)}"  # the shop's numeric Tuotenumero
    number = _written(rng, p)
    name = rng.choice([f"Joulukuusenkoriste {p.maker} {_bare(p)} {_year(p)}".strip(),
                       f"{p.name} -joulukoriste {_year(p)}".strip(),
                       f"{p.maker} Keepsake koriste: {_bare(p)}" if p.maker == "Hallmark" else f"{p.name}, koriste"])
    lines = [f"Tuotenumero: {own}"]
    shown_number = rng.random() < 0.7
    if shown_number:
        lines.append(f"{rng.choice(['Valmistajan koodi:', 'Valmistajan tuotekoodi:', 'Mallinumero:'])} {number}")
    gtin = None
    if p.barcode and rng.random() < 0.5:
        lines.append(f"EAN-koodi: {_ean13(p)}")
        gtin = p.barcode if rng.random() < 0.4 else None
    if p.year:
        lines.append(f"Julkaisuvuosi: {p.year}")
    lines.append(f"Valmistaja: {p.maker}")
    if rng.random() < 0.35:
        others = _others(rng, p, every, 3)
        lines.append("Asiakkaat ostivat myös:\n" + "\n".join(f"• {o.name} ({_written(rng, o)})" for o in others))
    return [{"vendor_product_id": own, "sku": own, "name": name, "gtin": gtin, "brand": p.maker if rng.random() < 0.7 else None,
             "description": "\n".join(lines), "release_year": p.year if rng.random() < 0.6 else None,
             "url": f"https://joulukauppa.example/tuote/{own}/{_slug(p.name)}"}]


def _turkish(rng, p, every, price):
    own = f"YS{rng.randint(1000, 9999)}"
    number = _written(rng, p)
    upper = rng.random() < 0.25
    brandless = p.maker == "Hallmark" and rng.random() < 0.2  # the brand only in the URL
    maker = "" if brandless else _brand(rng, p)
    name = rng.choice([f"{maker} Yılbaşı Ağacı Süsü {_bare(p)} {_year(p)}", f"{_bare(p)} {maker} Yılbaşı Süsü {_year(p)}",
                       f"{maker} {_bare(p)} Ağaç Süsü ({p.year or 'tarihsiz'})"])
    name = " ".join(name.split())
    if upper:
        name = name.replace("i", "İ").replace("ı", "I").upper()
    lines = []
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.append(f"Koleksiyonunuzu tamamlayın: {other.name} ({_written(rng, other)}) da stoklarımızda.")
    maker_is_code = rng.random() < 0.3
    lines.append(f"Ürün kodu: {number if maker_is_code else own}")
    if not maker_is_code and rng.random() < 0.6:
        lines.append(f"Üretici kodu: {number}")
    gtin = None
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Barkod: {_ean13(p)}")
        gtin = _ean13(p) if rng.random() < 0.5 else None
    if p.year:
        lines.append(f"Üretim yılı: {p.year}")
    lines.append("Orijinal kutusunda, ABD'den ithal." if p.maker == "Hallmark" else f"Marka: {p.maker}")
    if rng.random() < 0.3:
        others = _others(rng, p, every, 2)
        lines.append("Bunlar da ilginizi çekebilir: " + ", ".join(f"{o.name} - {_written(rng, o)}" for o in others))
    return [{"vendor_product_id": own, "sku": number if maker_is_code else own, "name": name, "gtin": gtin,
             "brand": None if brandless else rng.choice([maker, None]), "description": "\n".join(lines),
             "price": (price * 35).quantize(Decimal("1")),
             "url": f"https://yilbasisusleri.example/{_slug(p.maker)}/{_slug(_bare(p))}-{own.lower()}"}]


def _hungarian(rng, p, every, price):
    own = f"KD-{rng.randint(1000, 9999)}"
    number = _written(rng, p)
    name = rng.choice([f"{p.maker} karácsonyfadísz – {_bare(p)} ({p.year or 'évszám nélkül'})",
                       f"{_bare(p)} karácsonyfadísz {_year(p)} – {p.maker}",
                       f"{p.name} üvegdísz" if p.maker == "Inge-Glas" else f"{p.maker} dísz: {_bare(p)}"])
    maker_is_sku = rng.random() < 0.4
    lines = [f"<tr><th>Cikkszám:</th><td>{number if maker_is_sku else own}</td></tr>"]
    if not maker_is_sku and rng.random() < 0.6:
        lines.append(f"<tr><th>Gyártói cikkszám:</th><td>{number}</td></tr>")
    gtin = None
    if p.barcode and rng.random() < 0.45:
        lines.append(f"<tr><th>Vonalkód (EAN):</th><td>{_ean13(p)}</td></tr>")
        gtin = _ean13(p) if rng.random() < 0.5 else None
    if p.year:
        lines.append(f"<tr><th>Kiadás éve:</th><td>{p.year}.</td></tr>")
    lines.append(f"<tr><th>Gyártó:</th><td>{p.maker}</td></tr>")
    text = f"<table>{''.join(lines)}</table>"
    if rng.random() < 0.3:
        others = _others(rng, p, every, 3)
        text += "<p>Ajánlott termékek: " + " | ".join(f"{o.name} ({_written(rng, o)})" for o in others) + "</p>"
    return [{"vendor_product_id": own, "sku": number if maker_is_sku else own, "name": name, "gtin": gtin,
             "brand": rng.choice([p.maker, p.maker, None]), "description": text,
             "release_year": p.year if rng.random() < 0.5 else None, "price": (price * 380).quantize(Decimal("10")),
             "url": f"https://karacsonydisz.example/termek/{_slug(p.name)}"}]


AR_MAKER = {"Hallmark": "هولمارك", "Wallace": "والاس", "Reed & Barton": "ريد آند بارتون"}


def _arabic(rng, p, every, price):
    own = f"ZN{rng.randint(10000, 99999)}"
    number = _written(rng, p)
    if rng.random() < 0.3:
        number = _arabic_digits(number)  # the shop types the digits as its customers read them
    year = _arabic_digits(str(p.year)) if p.year and rng.random() < 0.6 else str(p.year or "")
    maker = AR_MAKER.get(p.maker, p.maker)
    name = rng.choice([f"زينة شجرة الكريسماس {maker} \u200e{_bare(p)}\u200f {year}",
                       f"\u200e{p.maker} {_bare(p)}\u200f - زينة عيد الميلاد {year}",
                       f"زينة {maker} للكريسماس - {_bare(p)}"])
    lines = [f"زينة أصلية من {maker} \u200e({p.maker})\u200f، مستوردة من الولايات المتحدة."]
    if rng.random() < 0.15:
        other = _others(rng, p, every)[0]
        lines.append(f"اكتشف أيضاً: \u200e{other.name} {_written(rng, other)}\u200f")
    lines.append(f"رمز المنتج: \u200e{own}\u200f")
    if rng.random() < 0.7:
        lines.append(f"{rng.choice(['رقم الموديل:', 'رقم القطعة:', 'كود الشركة المصنعة:'])} \u200e{number}\u200f")
    gtin = None
    if p.barcode and rng.random() < 0.45:
        code = _ean13(p)
        lines.append(f"الباركود: {_arabic_digits(code) if rng.random() < 0.4 else code}")
        gtin = code if rng.random() < 0.4 else None
    if year:
        lines.append(f"سنة الإصدار: {year}")
    lines.append(f"السعر: {_arabic_digits(str((price * Decimal('3.67')).quantize(Decimal('0.01')))).replace('.', '٫')} د.إ")
    if rng.random() < 0.3:
        others = _others(rng, p, every, 2)
        lines.append("قد يعجبك أيضاً:\n" + "\n".join(f"- \u200e{o.name} ({_written(rng, o)})\u200f" for o in others))
    return [{"vendor_product_id": own, "sku": own, "name": name, "gtin": gtin,
             "brand": rng.choice([p.maker, maker, None]), "description": "\n".join(lines),
             "price": (price * Decimal("3.67")).quantize(Decimal("0.01")),
             "url": f"https://zeenat.example/ar/product/{own}"}]


def _indian(rng, p, every, price):
    letters = "ABCDEFGHJKLMNPRSTUVWYZ"
    sku_id = "ORN" + "".join(rng.choice(letters) for _ in range(5)) + "".join(rng.choice(letters + "23456789") for _ in range(8))
    own = f"itm{rng.randint(10 ** 12, 10 ** 13)}"
    number = _written(rng, p)
    name = rng.choice([f"{_brand(rng, p)} {_bare(p)} Christmas Hanging Ornament (Pack of 1)",
                       f"{_brand(rng, p)} Keepsake {_year(p)} {_bare(p)} Christmas Tree Decoration  (Multicolor)",
                       f"{_bare(p)} Hanging Ornament  (Multicolor, Pack of 1)"])
    specs = [("Brand", _brand(rng, p))]
    if rng.random() < 0.7:
        specs.append(("Model Number", number))
    specs += [("Model Name", _bare(p)), ("SKU ID", sku_id), ("Sales Package", "1 Ornament"), ("Type", "Hanging"),
              ("Occasion", "Christmas")]
    if p.year:
        specs.append(("Year", str(p.year)))
    if p.barcode and rng.random() < 0.3:
        specs.append(("Barcode", p.barcode))
    text = "Specifications\nGeneral\n" + "\n".join(f"{k}\n{v}" for k, v in specs)
    if rng.random() < 0.35:
        others = _others(rng, p, every, 2)
        text += "\nFrequently Bought Together\n" + "\n".join(
            f"{o.maker} {_bare(o)} Hanging Ornament ({_written(rng, o)})\n₹{rng.randint(9, 49)}99" for o in others)
    return [{"vendor_product_id": own, "sku": sku_id, "name": name, "brand": rng.choice([_brand(rng, p), None]),
             "description": text, "price": (price * 85).quantize(Decimal("1")),
             "url": f"https://festivekart.example/{_slug(name)[:60]}/p/{own}"}]


def _classified(rng, p, every, price):
    ad = f"{rng.randint(2600000000, 2999999999)}"
    number = _written(rng, p)
    maker = _brand(rng, p) if rng.random() < 0.8 else ""
    noun = rng.choice(["Weihnachtskugel", "Christbaumschmuck", "Weihnachtsanhänger", "Ornament", "Baumschmuck"])
    name = rng.choice([f"{maker} {noun} {p.year or ''} OVP", f"{maker} Keepsake {_bare(p)} {noun}",
                       f"{_bare(p)} {maker} {p.year or ''} neu ovp", f"{maker} {noun} {_bare(p)}"])
    name = " ".join(name.split())
    if rng.random() < 0.15:
        name = name.lower()
    lines = [rng.choice(["Verkaufe", "Biete", "Zu verkaufen:"]) + f" {_bare(p)} von {p.maker}"
             + (f", Jahrgang {p.year}" if p.year and rng.random() < 0.7 else "") + "."]
    if rng.random() < 0.12:  # another ad's number before its own
        other = _others(rng, p, every)[0]
        lines.append(f"Habe auch noch {other.name} ({_written(rng, other)}), siehe meine anderen Anzeigen.")
    if rng.random() < 0.55:
        lines.append(rng.choice([f"Nr. {number}", f"Artikelnummer {number}", f"(Nummer auf der Packung: {number})",
                                 f"Best.-Nr. {number}"]))
    lines.append(rng.choice(["Originalverpackt, unbespielt.", "OVP leicht angestoßen.", "Ohne OVP, top Zustand.",
                             "Nur ausgepackt und fotografiert."]))
    lines.append("Nichtraucherhaushalt. Privatverkauf, keine Garantie oder Rücknahme.")
    lines.append(rng.choice(["Versand gegen Aufpreis möglich.", "Nur Abholung.", "Versand als Päckchen 5,49 €."]))
    if rng.random() < 0.15:
        other = _others(rng, p, every)[0]
        lines.append(f"Die {other.year or ''} Ausgabe ({_written(rng, other)}) habe ich auch, bei Interesse melden.")
    lines.append(rng.choice(["VB", "Preis VB", "Festpreis", "VHB"]))
    images = [f"https://img.kleinanzeigen.example/api/v1/prod-ads/images/{rng.randint(10, 99)}/{ad}_{i}.jpg" for i in (1, 2)]
    return [{"vendor_product_id": ad, "name": name, "description": "\n".join(lines), "image_urls": images,
             "brand": None, "price": Decimal(rng.choice([5, 8, 10, 12, 15, 20, 25, 30])),
             "url": f"https://kleinanzeigen.example/s-anzeige/{_slug(name)}/{ad}-234-{rng.randint(1000, 9999)}"}]


def _auction(rng, p, every, price):
    lot = rng.randint(100, 899)
    number = _dealer(rng, p) if p.number else None
    low = rng.choice([10, 20, 30, 40, 60])
    name = rng.choice([f"Lot {lot}: {p.maker} {_bare(p)}, {p.year or 'undated'}",
                       f"Lot {lot}: {p.maker} Keepsake ornament, {_bare(p)}" if p.maker == "Hallmark" else f"Lot {lot}: {p.name}",
                       f"Lot {lot} - {p.name} {_year(p)} in original box"])
    lines = [f"Lot {lot}."]
    shows = number and rng.random() < 0.6
    lines.append(f"{p.maker} {'Keepsake ornament' if p.maker == 'Hallmark' else 'ornament'}, \"{_bare(p)}\""
                 + (f", {p.year}" if p.year else "")
                 + (rng.choice([f", No. {number}", f", item {number}", f" ({number})", f", model {number}"]) if shows else "")
                 + ".")
    lines.append(rng.choice(["In original box.", "Box with minor wear.", "Without box.", "Original box and price tag."]))
    lines.append(f"Condition: {rng.choice(['Very good', 'Excellent', 'Good, light wear', 'As new'])}.")
    if p.barcode and rng.random() < 0.1:
        lines.append(f"UPC {p.barcode} on box.")
    lines.append(f"Estimate: ${low} - ${low * 2}")
    lines.append("Buyer's premium 25%. Shipping in-house.")
    return [{"vendor_product_id": f"2024-11-{lot}", "name": name, "description": "\n".join(lines),
             "brand": None, "price": Decimal(low), "release_year": p.year if rng.random() < 0.3 else None,
             "url": f"https://auctions.example/sale/2024-11/lot/{lot}"}]


SHOP_NAMES = ["hallmark.com", "Ornament Depot", "Kringle Mart", "eBay", "Walmart", "Hooked on Hallmark", "Christmas Barn"]


def _aggregator(rng, p, every, price):
    own = f"{rng.randint(1000000, 9999999)}"
    name = rng.choice([f"{p.name} {_year(p)} {p.maker} Keepsake Ornament".replace("Hallmark Hallmark", "Hallmark")
                       if p.maker == "Hallmark" else f"{p.name} {_year(p)}",
                       f"{p.maker} {_bare(p)} {_year(p)}"])
    name = " ".join(name.split())
    idents = [("Brand", p.maker)]
    if rng.random() < 0.7:
        idents.append(("MPN", p.number))
    if p.barcode and rng.random() < 0.6:
        idents.append(("UPC" if len(p.barcode) == 12 else "EAN", p.barcode))
    idents.append(("ePID", str(rng.randint(10 ** 10, 10 ** 11))))
    text = "Product identifiers\n" + "\n".join(f"{k}\n{v}" for k, v in idents)
    offers = []
    for shop in rng.sample(SHOP_NAMES, rng.randint(2, 4)):
        if shop == "hallmark.com" and p.maker == "Hallmark" and not _old(p):
            title = f"{_bare(p)} {_year(p)} Keepsake Ornament - {rng.choice([1499, 1799, 1999, 2499])}{p.number}"
        else:
            title = f"{p.maker} {_bare(p)}" + (f" {_dealer(rng, p)}" if rng.random() < 0.35 else "")
        offers.append(f"{shop}: {title} — ${rng.randint(9, 59)}.{rng.choice(['99', '95', '00'])}")
    text += f"\nCompare prices ({len(offers)} offers)\n" + "\n".join(offers)
    if rng.random() < 0.3:
        others = _others(rng, p, every, 3)
        text += "\nSimilar products\n" + "\n".join(f"{o.name} ({o.number}) from ${rng.randint(9, 39)}.99" for o in others)
    return [{"vendor_product_id": own, "name": name, "description": text, "brand": p.maker,
             "gtin": p.barcode if p.barcode and rng.random() < 0.3 else None,
             "url": f"https://pricehunt.example/p/{own}/{_slug(name)}"}]


def _category(p: Product) -> str:
    if p.maker != "Hallmark":
        return p.maker
    if p.year and p.year < 1991:
        return "vintage"
    return "licensed" if p.licensor and not p.series else "modern"


# vendor: (writer, currency, the share of each category's pieces it carries, the first year it sells)
SHOPS = {"se_julbutiken": (_swedish, "SEK", {"modern": 0.65, "licensed": 0.52, "Inge-Glas": 0.78, "Käthe Wohlfahrt": 0.65,
                                              "Wallace": 0.39}, 2020),
         "fi_joulukauppa": (_finnish, "EUR", {"modern": 0.65, "licensed": 0.52, "Inge-Glas": 0.65, "Käthe Wohlfahrt": 0.78}, 2020),
         "tr_yilbasisusleri": (_turkish, "TRY", {"modern": 0.59, "licensed": 0.72}, 2021),
         "hu_karacsonydisz": (_hungarian, "HUF", {"modern": 0.59, "licensed": 0.45, "vintage": 0.26, "Inge-Glas": 0.78,
                                                  "Käthe Wohlfahrt": 0.65}, None),
         "ae_zeenat": (_arabic, "AED", {"modern": 0.59, "licensed": 0.78, "Wallace": 0.52, "Reed & Barton": 0.52}, 2021),
         "in_festivekart": (_indian, "INR", {"modern": 0.59, "licensed": 0.72, "Wallace": 0.39}, 2021),
         "de_kleinanzeigen": (_classified, "EUR", {"modern": 0.45, "licensed": 0.39, "vintage": 0.52, "Inge-Glas": 0.52,
                                                   "Käthe Wohlfahrt": 0.78, "Carlton Cards": 0.26}, None),
         "us_auctions": (_auction, "USD", {"vintage": 0.9, "modern": 0.33, "Carlton Cards": 0.9, "Danbury Mint": 0.9,
                                           "Wallace": 0.65, "Reed & Barton": 0.78}, None),
         "pc_pricehunt": (_aggregator, "USD", {"modern": 0.9, "licensed": 0.9, "Wallace": 0.78, "Reed & Barton": 0.78,
                                               "Inge-Glas": 0.52}, 2019)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some (lots, bundles, boxes, choices, copies), and the stand
    and the power cord, whose own numbers stand beside the ornaments' they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    sky = sorted((p for p in every if p.series == "Sky's the Limit" and p.name.startswith("Sky") and p.kind == "ornament"),
                 key=lambda p: p.year)
    window = sorted((p for p in every if p.series == "Christmas Window" and p.name.startswith("Christmas Window")
                     and "Repaint" not in p.name), key=lambda p: p.year)
    old = [p for p in every if _old(p)]
    modern = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2019]
    magic = find(lambda p: p.name == "Santa's Glowing Workshop Magic")
    train = find(lambda p: p.name == "North Pole Express Train Magic")
    plain_train = find(lambda p: p.name == "North Pole Express Train")
    carlton = [p for p in every if p.maker == "Carlton Cards"]
    lot = rng.sample(old, 4)
    rows.append({"vendor": "de_kleinanzeigen", "vendor_product_id": str(rng.randint(2600000000, 2999999999)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in lot)),
                 "name": "Konvolut 4 Hallmark Weihnachtsanhänger 80er Jahre",
                 "description": "Verkaufe als Konvolut:\n" + "\n".join(f"- {p.name} {p.year} ({_written(rng, p)})" for p in lot)
                                + "\nNur zusammen abzugeben. Privatverkauf. VB"})
    lot = rng.sample(old, 3)
    rows.append({"vendor": "us_auctions", "vendor_product_id": "2024-11-901", "truth": "lot-" + "-".join(sorted(p.key for p in lot)),
                 "name": "Lot 901: Three Hallmark Keepsake ornaments, 1980s",
                 "description": "Lot 901. Three Hallmark Keepsake ornaments: " + "; ".join(
                     f"\"{p.name}\", {p.year}, No. {_dealer(rng, p)}" for p in lot) + ". All in original boxes.\nEstimate: $30 - $60"})
    lot = rng.sample(carlton, 4)
    rows.append({"vendor": "us_auctions", "vendor_product_id": "2024-11-902", "truth": "lot-" + "-".join(sorted(p.key for p in lot)),
                 "name": "Lot 902: Group of four Carlton Cards Heirloom ornaments",
                 "description": "Lot 902. Including " + ", ".join(f"{_bare(p)} ({_written(rng, p)})" for p in lot)
                                + ".\nEstimate: $20 - $40"})
    for vendor, vid, name, text in (
            ("se_julbutiken", "JB-SKY-AR", "Hallmark Sky's the Limit – välj år",
             "Välj år: " + " / ".join(f"{p.year} ({p.number})" for p in sky)),
            ("fi_joulukauppa", "955555", "Hallmark Christmas Window -sarja – valitse vuosi",
             "Valitse vuosi:\n" + "\n".join(f"• {p.year}: {p.number}" for p in window))):
        rows.append({"vendor": vendor, "vendor_product_id": vid, "truth": "choice-" + vid, "name": name, "brand": "Hallmark",
                     "description": text})
    bundle = rng.sample(modern, 3)
    rows.append({"vendor": "in_festivekart", "vendor_product_id": "itm-combo3", "truth": "combo-" + "-".join(p.key for p in bundle),
                 "name": "Hallmark Christmas Ornaments Combo (Pack of 3)",
                 "description": "Specifications\nSales Package\n3 Ornaments\nModel Number\n" + ", ".join(p.number for p in bundle)
                                + "\nModel Name\n" + " + ".join(_bare(p) for p in bundle)})
    bundle = rng.sample(modern, 3)
    rows.append({"vendor": "hu_karacsonydisz", "vendor_product_id": "KD-CSOMAG", "truth": "bundle-" + "-".join(p.key for p in bundle),
                 "name": "Hallmark karácsonyfadísz csomag (3 db)", "sku": "KD-CSOMAG",
                 "description": "<p>A csomag tartalma:</p><ul>" + "".join(f"<li>{p.name} – {p.number}</li>" for p in bundle)
                                + "</ul><p>Csak együtt vásárolható.</p>"})
    rows.append({"vendor": "tr_yilbasisusleri", "vendor_product_id": "YS-KUTU", "truth": "box-" + sky[-1].key,
                 "name": f"Yedek Kutu - Hallmark {sky[-1].number} için (süs dahil değildir)",
                 "description": f"Sadece kutu. {sky[-1].name} ({sky[-1].year}) için orijinal yedek kutu. Süs dahil değildir."})
    rows.append({"vendor": "de_kleinanzeigen", "vendor_product_id": str(rng.randint(2600000000, 2999999999)),
                 "truth": "box-" + window[-1].key, "name": "Hallmark Leerkarton nur OVP ohne Anhänger",
                 "description": f"Nur die OVP für {window[-1].name} {_written(rng, window[-1])}, ohne Anhänger. Privatverkauf."})
    rows.append({"vendor": "in_festivekart", "vendor_product_id": "itm-generic-train", "truth": "copy-" + train.key,
                 "name": f"Generic LED Train Christmas Ornament - Compare to Hallmark {train.number}",
                 "brand": "Generic",
                 "description": "Specifications\nBrand\nGeneric\nModel Number\nXMS-TRN-01\nNot a Hallmark product."})
    rows.append({"vendor": "de_kleinanzeigen", "vendor_product_id": str(rng.randint(2600000000, 2999999999)),
                 "truth": "copy-" + magic.key,
                 "name": f"Nachbau {magic.name} (kein Original)",
                 "description": f"Selbst gebauter Nachbau nach Hallmark {magic.number}, ohne Licht. Kein Hallmark-Produkt. VB"})
    stand = find(lambda p: p.kind == "stand")
    rows.append({"vendor": "pc_pricehunt", "vendor_product_id": "8800001", "truth": stand.key,
                 "name": "Hallmark Keepsake Ornament Display Tree",
                 "description": f"Product identifiers\nBrand\nHallmark\nMPN\n{stand.number}\nCompatible with\n"
                                f"{magic.name} {magic.number}, {train.name} {train.number}\n"
                                f"Compare prices (2 offers)\nhallmark.com: Ornament Display Tree - 2499{stand.number} — $24.99"})
    rows.append({"vendor": "ae_zeenat", "vendor_product_id": "ZN-STAND", "truth": stand.key,
                 "name": "حامل عرض زينة هولمارك \u200eKeepsake Display Tree\u200f",
                 "description": f"رقم الموديل: \u200e{stand.number}\u200f\nمتوافق مع: \u200e{plain_train.number}\u200f"})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "hu_karacsonydisz", "vendor_product_id": "KD-KABEL", "truth": cord.key, "sku": cord.number,
                 "name": "Hallmark Keepsake Magic tápkábel",
                 "description": f"<table><tr><th>Cikkszám:</th><td>{cord.number}</td></tr></table>"
                                f"<p>Használható például: {train.number}, {magic.number}.</p>"})
    rows.append({"vendor": "in_festivekart", "vendor_product_id": "itm-cord", "truth": "cord-generic",
                 "name": f"USB Power Cord for Hallmark Magic Ornaments like {magic.number}", "brand": "Generic",
                 "description": "Specifications\nBrand\nGeneric\nModel Number\nUSB-ORN-5V"})
    set3 = find(lambda p: p.kind == "set")
    parts = rng.sample(modern, 3)
    rows.append({"vendor": "pc_pricehunt", "vendor_product_id": "8800002", "truth": "bundle-pc-" + "-".join(p.key for p in parts),
                 "name": "Hallmark Keepsake 3-Ornament Gift Bundle",
                 "description": "Bundle of three: " + ", ".join(f"{p.name} ({p.number})" for p in parts)
                                + f"\nSimilar products\n{set3.name} ({set3.number})"})
    return rows


def _plain(text: str | None) -> str:
    """What a person reads: HTML tags gone, entities decoded, compatibility forms folded, direction marks
    gone, Arabic-Indic digits read as digits."""
    text = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text)


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    if not p.number:
        return False
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    own = re.sub(r"[^A-Z0-9]", "", p.number.upper())
    if own.isdigit():
        runs = [re.sub(r"\D", "", r) for t in texts for r in re.findall(r"\d+(?:[-./]\d+)*", t)]
        if own in runs or any(own in re.findall(r"\d+", t) for t in texts):
            return True
    elif any(own in re.sub(r"[^A-Z0-9]", "", t.upper()) for t in texts):
        return True
    codes = {p.barcode.lstrip("0")} if p.barcode else set()
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 8888) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, shares, since) in SHOPS.items():
        for p in every:
            share = shares.get(_category(p), 0.0)
            if p.kind not in ("ornament", "set") or rng.random() > share or since and (p.year or since) < since:
                continue
            price = Decimal(rng.randint(999, 5999)) / 100
            for row in write(rng, p, every, price):
                row.setdefault("price", price)
                row.update(vendor=vendor, truth=p.key)
                rows.append(row)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
