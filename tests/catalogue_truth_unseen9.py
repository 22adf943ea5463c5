"""A tenth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the earlier catalogues did not have:

- a Shopify store (USD) whose variant titles hold the number ("Frosty Friends - Default Title / QX9201"), its
  own variant skus ("SG-1042"), the variant's barcode, "You may also like" in the body HTML;
- a Facebook shop catalogue feed (USD): id, title, description, brand, gtin, mpn, where the mpn is now and then
  the shop's own id, plain-text descriptions with "Also available:";
- a pin aggregator (USD): a pin's title with hashtags and emoji, the pinner's words ("found mine at …"), the
  source's image file names holding the number now and then, "More ideas like this" before the pin's text;
- a Swiss German shop (CHF): "Artikel-Nr.: 10423" (its own), "Hersteller-Artikelnummer:", "EAN:", "Passend
  dazu:" before or after the own number, "Lieferung in 2–3 Werktagen, PLZ 8001 Zürich", "Tel. 044 555 12 34";
- a Belgian bilingual shop (EUR): French and Dutch on one page ("Réf. fabricant / Fabrikantref.:", "Code-barres
  / Streepjescode:", "Vous aimerez aussi / Misschien ook leuk:"), "TVA/BTW BE0123.456.789";
- an Irish shop (EUR, English): "Product Code: IE-0412", "Manufacturer Code:", "Barcode:", "Eircode D02 X285",
  "+353 1 555 0123", "Customers also bought";
- a Mexican shop (MXN): "Modelo:", "Código de barras:", "SKU: NAV-…", "También te puede interesar:", prices
  "$1,299.00 MXN", "C.P. 06600", "réplica" copies;
- a US estate sale: several ornaments described in prose, as lots.

Makers: Hallmark (QX, QXR Magic, QXM miniature, QXI / QXD licensed, QHX accessories, vintage "QX 531-6"),
Department 56 (seven digits), Kurt Adler ("C7654"), Old World Christmas (five digits), Inge-Glas ("1-234-23").

Traps: series in consecutive years, Magic and plain pieces of one name, miniature and full size, a number used
in 1989 and again in 2019, a stand and a Magic cord naming what they fit, an empty box, lots, copies ("réplica",
"inspired by"), cross-sells in each language before and after the own number, shops' own ids that look like
numbers, postcodes, phone and VAT numbers.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags; separators inside it ignored). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen9` prints its size."""

from __future__ import annotations

import random
from decimal import Decimal

from tests.catalogue_truth import Product, ProductMaker
from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others, shown, split_number as _split, summary, year_text as _year  # noqa: F401 (shown: the tests read it from here)
from tests.catalogue_truth import shows_number_or_barcode as _shows, slug as _slug, titled as _titled



SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Here Comes Santa": 1979}
MODERN = ["Cardinal Pair on Birch", "Hot Chocolate Stand", "Red Truck With Wreath", "Gingerbread Bakery",
          "Baby's First Christmas Bear", "Our First Christmas Together Gnomes", "Grandpa Fishing Boat",
          "Merry Mailbox Mouse", "Skiing Polar Bear", "Pickleball Paddles", "Coffee Cup Snowman",
          "Flamingo in Santa Hat", "Nutcracker Drummer", "Tabby Cat in Stocking", "Best Friends Otters",
          "Woodland Fox Family", "Sweet Little Lamb", "Camper Van Christmas", "Teacher's Apple Stack",
          "Sister Penguins", "Gnome Sweet Gnome", "Mom's Kitchen Mixer", "Golden Retriever in Wagon",
          "Snowy Owl Family", "Christmas Tree Lot Sign", "Bicycle Built for Two"]
LICENSED = [("QXI", "Star Wars", "Star Wars Grogu With Cookies"), ("QXD", "Disney", "Disney Mickey and Minnie Sweethearts"),
            ("QXD", "Disney", "Disney Encanto Mirabel"), ("QXI", "Peanuts", "Peanuts Snoopy and Woodstock Skating"),
            ("QXI", "Harry Potter", "Harry Potter Hogwarts Express"), ("QXI", "The Grinch", "Dr. Seuss The Grinch and Max"),
            ("QXI", "Barbie", "Barbie Malibu Camper"), ("QXI", "Marvel", "Marvel Spider-Man Swinging")]
VINTAGE = [("Frosty Friends Eskimo and Seal", 1988), ("Norman Rockwell Christmas Carolers", 1986),
           ("Here Comes Santa Santa's Express", 1983)]
OTHERS = {"Department 56": ["Department 56 Village Bakery Ornament", "Department 56 Snowbabies Star Ornament"],
          "Kurt Adler": ["Kurt Adler Glass Pickle", "Kurt Adler Nutcracker Guard"],
          "Old World Christmas": ["Old World Christmas Pickle", "Old World Christmas Gnome Mushroom"],
          "Inge-Glas": ["Inge-Glas Santa Reflector", "Inge-Glas Glass Pretzel"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "045544", "Kurt Adler": "086131",
                  "Old World Christmas": "026409", "Inge-Glas": "4027633"}


def _products(rng: random.Random) -> list[Product]:
    maker = ProductMaker(rng, "n", {"Department 56": lambda: f"60{rng.randint(10000, 99999)}",
                                   "Kurt Adler": lambda: f"{rng.choice('CDJT')}{rng.randint(1000, 9999)}",
                                   "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                                   "Inge-Glas": lambda: f"1{rng.randint(100, 999)}{rng.randint(10, 99)}"},
                         BARCODE_PREFIX)
    made, add = maker.made, maker.add

    for year in (2022, 2023, 2024):
        for name in SERIES_START:
            add("Hallmark", f"{name} {_nth(year - SERIES_START[name] + 1)} in Series", year, series=name)
    frosty = next(p for p in made if p.series == "Frosty Friends" and p.year == 2023)
    add("Hallmark", f"Miniature {frosty.name}", 2023, "QXM", series=frosty.series)
    for name, year in (("Santa's Workshop Train", 2023), ("Cozy Christmas Fireplace", 2024)):
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2021, 2024))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2021, 2024), prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year)
    old = add("Hallmark", "Christmas Memories Photo Holder", 1989)
    add("Hallmark", "Cheery Cheesemakers Mice", 2019, number=old.number)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, rng.choice([None, 2022, 2023, 2024]), barcode=0.75)
    add("Hallmark", "Keepsake Ornament Display Stand, Lighted Tree", 2024, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    if p.maker == "Inge-Glas":
        return rng.choice([p.number, f"{p.number[0]}-{p.number[1:4]}-{p.number[4:]}"])
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"])


def _shopify(rng, p, every, price):
    handle = _slug(f"{p.maker} {p.name} {_year(p)}")
    variant = f"Default Title / {_written(rng, p)}" if rng.random() < 0.7 else "Default Title"
    name = f"{p.maker} {_titled(p)} - {variant}" if rng.random() < 0.8 else f"{p.maker} {_titled(p)}"
    body = f"<p>{rng.choice(['A must for every collector.', 'Hand-painted and dated.', 'Beautiful gift idea!'])}</p>"
    more = "<h3>You may also like</h3><ul>" + "".join(
        f"<li>{o.name} - Default Title / {o.number}</li>" for o in _others(rng, p, every, 2)) + "</ul>"
    body = more + body if rng.random() < 0.3 else body + (more if rng.random() < 0.5 else "")
    return [{"vendor_product_id": str(rng.randint(7000000000000, 7999999999999)), "name": name,
             "sku": f"SG-{rng.randint(1000, 1999)}", "gtin": p.barcode if rng.random() < 0.6 else None,
             "brand": rng.choice([p.maker, p.maker, "Snowglobe Shop"]), "description": body,
             "url": f"https://snowglobe-shop.example/products/{handle}",
             "image_urls": [f"https://cdn.shopify.example/s/files/1/0{rng.randint(100, 999)}/products/{handle[:30]}.jpg"]}]


def _feed(rng, p, every, price):
    own = f"fb_{rng.randint(100000, 999999)}"
    mpn = _written(rng, p) if rng.random() < 0.65 else own
    text = f"{p.name}. {p.maker} ornament{', ' + str(p.year) if p.year else ''}. Ships in 1-2 days."
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        text += f" Also available: {o.name} ({o.number})."
    return [{"vendor_product_id": own, "name": f"{p.maker} {_titled(p)} Ornament", "sku": mpn,
             "gtin": p.barcode if rng.random() < 0.7 else None, "brand": p.maker, "description": text,
             "url": f"https://facebook.example/commerce/products/{own[3:]}"}]


def _pins(rng, p, every, price):
    tags = " ".join(rng.sample(["#hallmark", "#keepsake", "#ornaments", "#christmastree", "#collector"], 3))
    words = [rng.choice(["found mine at the Gold Crown store 😍", "so cute!!", "on my wishlist this year",
                         "the new one is here ❄️"])]
    if rng.random() < 0.4:
        words.append(f"box says {_written(rng, p).lower()}")
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        words.insert(0, f"More ideas like this: {o.name} {o.number}")
    image = f"https://i.pin.example/736x/{rng.randint(10, 99)}/{rng.randint(10, 99)}/" + (
        f"{p.number.lower()}-{_slug(p.name)[:20]}.jpg" if rng.random() < 0.3 else f"{rng.getrandbits(64):016x}.jpg")
    return [{"vendor_product_id": str(rng.randint(10**17, 10**18)), "name": f"{_titled(p)} ornament {tags}",
             "description": "\n".join(words), "brand": rng.choice([p.maker, None]),
             "url": f"https://pin.example/pin/{rng.randint(10**17, 10**18)}/", "image_urls": [image]}]


def _swiss(rng, p, every, price):
    own = str(rng.randint(10000, 19999))
    lines = [f"Artikel-Nr.: {own}"]
    if rng.random() < 0.8:
        lines.append(f"Hersteller-Artikelnummer: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.6:
        lines.append(f"EAN: {p.barcode}")
    lines.append(f"Jahrgang: {p.year}" if p.year else "Jahrgang: ohne")
    if rng.random() < 0.5:
        o = _others(rng, p, every)[0]
        more = f"Passend dazu: {o.name} (Hersteller-Nr. {o.number})"
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines += ["Lieferung in 2–3 Werktagen, Abholung in 8001 Zürich möglich.", "Fragen? Tel. 044 555 12 34"]
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} Weihnachtsschmuck {_titled(p)}",
             "brand": p.maker, "description": "<br>".join(lines),
             "url": f"https://weihnachtsstube.example/de/{_slug(p.name)}-{own}"}]


def _belgian(rng, p, every, price):
    own = f"KB{rng.randint(1000, 9999)}"
    lines = [f"Réf. / Ref.: {own}"]
    if rng.random() < 0.75:
        lines.append(f"Réf. fabricant / Fabrikantref.: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Code-barres / Streepjescode: {p.barcode}")
    if rng.random() < 0.5:
        o = _others(rng, p, every, 2)
        more = "Vous aimerez aussi / Misschien ook leuk: " + ", ".join(f"{x.name} ({x.number})" for x in o)
        lines = [more] + lines if rng.random() < 0.5 else lines + [more]
    lines.append("TVA/BTW BE0123.456.789 – Livraison gratuite dès 50 € / Gratis levering vanaf 50 €")
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_titled(p)} – Boule de Noël / Kerstbal",
             "brand": rng.choice([p.maker, None]), "description": "\n".join(lines),
             "url": f"https://kerstboom-sapin.example/fr/{_slug(p.name)}"}]


def _irish(rng, p, every, price):
    own = f"IE-{rng.randint(100, 9999):04d}"
    lines = [f"{p.name}{', dated ' + str(p.year) if p.year else ''}.", f"Product Code: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Manufacturer Code: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Barcode: {p.barcode}")
    lines.append("Free delivery over €50. Click & collect: Eircode D02 X285. Call +353 1 555 0123.")
    if rng.random() < 0.35:
        lines.append("Customers also bought: " + "; ".join(f"{o.name} {o.number}" for o in _others(rng, p, every, 2)))
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_titled(p)} Christmas Decoration",
             "brand": p.maker, "gtin": p.barcode if rng.random() < 0.3 else None, "description": "\n".join(lines),
             "url": f"https://christmasshop.example.ie/{_slug(p.name)}"}]


def _mexican(rng, p, every, price):
    own = f"NAV-{rng.randint(10000, 99999)}"
    lines = [f"Esfera navideña {p.maker} {p.name}.", f"SKU: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Modelo: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.55:
        lines.append(f"Código de barras: {p.barcode}")
    if rng.random() < 0.45:
        o = _others(rng, p, every)[0]
        more = f"También te puede interesar: {o.name}, modelo {o.number}"
        lines = lines[:1] + [more] + lines[1:] if rng.random() < 0.5 else lines + [more]
    lines.append(f"Precio: ${price * 18:,.2f} MXN. Envío gratis a C.P. 06600. WhatsApp 55 1234 5678.")
    return [{"vendor_product_id": own, "sku": own, "name": f"Adorno {p.maker} {_titled(p)}",
             "brand": rng.choice([p.maker, None]), "description": "\n".join(lines),
             "url": f"https://navidadmx.example/producto/{_slug(p.name)}", "price": (price * 18).quantize(Decimal("0.01"))}]


SHOPS = {  # vendor: (writer, currency, share of the products it carries)
    "us_snowglobeshop": (_shopify, "USD", 0.57), "us_fbfeed_ornamentnook": (_feed, "USD", 0.57),
    "us_pinboard": (_pins, "USD", 0.42), "ch_weihnachtsstube": (_swiss, "CHF", 0.52),
    "be_kerstboomsapin": (_belgian, "EUR", 0.47), "ie_christmasshop": (_irish, "EUR", 0.52),
    "mx_navidad": (_mexican, "MXN", 0.47)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """Lots, an empty box, copies, a stand and a cord with their own numbers beside those they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    modern = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2019]
    old = [p for p in every if _old(p)]
    magic = [p for p in every if p.number.startswith("QXR")]
    for i in range(3):  # an estate sale: several pieces in prose
        lot = rng.sample(old if i == 0 else modern, 3)
        prose = (f"From the estate of a lifelong collector: a {lot[0].name} ({lot[0].year}, {_written(rng, lot[0])}), "
                 f"the {lot[1].name} still in its box marked {_written(rng, lot[1])}, and {lot[2].name} "
                 f"{_written(rng, lot[2])}. Sold together. Pickup only, 1420 Elm St, Dayton OH 45402.")
        rows.append({"vendor": "us_estatesale", "vendor_product_id": f"es-{rng.randint(10000, 99999)}",
                     "truth": "lot-" + "-".join(sorted(p.key for p in lot)), "brand": "Hallmark",
                     "name": f"Estate lot: {len(lot)} Hallmark Keepsake ornaments", "description": prose})
    target = find(lambda p: p.series == "Frosty Friends" and p.year == 2024)
    rows.append({"vendor": "mx_navidad", "vendor_product_id": f"NAV-CAJA{rng.randint(100, 999)}", "truth": "box-" + target.key,
                 "name": f"Solo caja vacía Hallmark Frosty Friends {target.year}", "brand": "Hallmark",
                 "description": f"Caja original vacía, SIN adorno. Para el modelo {target.number}."})
    copied = rng.sample(modern, 2)
    rows.append({"vendor": "mx_navidad", "vendor_product_id": f"NAV-R{rng.randint(1000, 9999)}", "truth": "copy-" + copied[0].key,
                 "name": f"Réplica estilo Hallmark {_bare(copied[0])}", "brand": "Genérico",
                 "description": f"Réplica inspirada en el modelo Hallmark {copied[0].number}. No es original."})
    rows.append({"vendor": "us_fbfeed_ornamentnook", "vendor_product_id": f"fb_{rng.randint(100000, 999999)}",
                 "truth": "copy-" + copied[1].key, "name": f"{_bare(copied[1])} Ornament (inspired by Hallmark {copied[1].number})",
                 "brand": "Ornament Nook", "sku": f"ON-{rng.randint(100, 999)}",
                 "description": "Our own handmade take on a Keepsake favourite. Not a Hallmark product."})
    stand = find(lambda p: p.kind == "stand")
    fits = rng.sample(modern, 2)
    rows.append({"vendor": "ie_christmasshop", "vendor_product_id": f"IE-{rng.randint(100, 9999):04d}", "truth": stand.key,
                 "brand": "Hallmark", "name": "Hallmark Keepsake Lighted Display Tree",
                 "description": f"Displays ornaments such as {fits[0].name} ({fits[0].number}) and {fits[1].name} "
                                f"({fits[1].number}).\nManufacturer Code: {stand.number}"})
    rows.append({"vendor": "ch_weihnachtsstube", "vendor_product_id": str(rng.randint(20000, 29999)), "truth": stand.key,
                 "brand": "Hallmark", "name": "Hallmark Keepsake Ornamentständer, beleuchtet",
                 "description": f"Hersteller-Artikelnummer: {_written(rng, stand)}<br>Passend für {fits[0].number}."})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "be_kerstboomsapin", "vendor_product_id": f"KB{rng.randint(1000, 9999)}", "truth": cord.key,
                 "brand": "Hallmark", "name": "Hallmark Keepsake Magic – Câble / Voedingskabel",
                 "description": f"Réf. fabricant / Fabrikantref.: {cord.number}\nPour / Voor {magic[0].name} ({magic[0].number})"})
    return rows




def listings(seed: int = 10) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    currency["us_estatesale"] = "USD"
    rows: list[dict] = []
    for vendor, (write, _, share) in SHOPS.items():
        for p in every:
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = Decimal(rng.randint(1299, 4999)) / 100
            rows += shop_rows(rng, write(rng, p, every, price), p, vendor, price)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
