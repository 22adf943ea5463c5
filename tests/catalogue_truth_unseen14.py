"""A fifteenth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after the English-language Hallmark Keepsake specialists (US, UK,
Canada, Australia) and the feeds an affiliate site for Hallmark ornaments really gets:

- a Hallmark Gold Crown store's web shop (USD): skus "1QX7549", "QX7549-23" or its own "GCS-10234", "Dated
  2023", "Keepsake Ornament Club exclusive", "Event exclusive", "Artist: …", "Complete the set with: …";
- a collectors' specialist (USD): its own ids shaped like Hallmark numbers ("QK1234"), "#44 in the Frosty
  Friends series", "Repaint of the 1980 original …", "Limited Quantity", "Magic: Light and Sound",
  "Miniature", "Storytellers", "Comes with display stand", "Pairs with …";
- a big ornament shop's Google Merchant feed (USD): g:id ("HK-2023-014"), g:mpn (the number, its own id or
  empty), g:gtin as UPC-12, EAN-13 with a leading 0 or GTIN-14, g:brand ("Hallmark", "Keepsake", "Hallmark
  Cards", none), g:product_type "Home > Holiday Decor > Ornaments > Hallmark > 2023", g:item_group_id shared
  by a series' years, g:custom_label_0 in the text;
- a WooCommerce CSV export (USD): variation rows of a series' parent ("Frosty Friends Series - 2023",
  "Attribute 1 name: Year"), the parent's long HTML description (every year's number) on each variation,
  variation skus "FF-SER-2023" or the number; simple rows with short and long descriptions;
- a UK Hallmark stockist (GBP): "Code:" (its own or the maker's), "Keepsake Ornament", "Price includes VAT",
  "VAT Reg. GB 123 4567 89", "Company No. 04567123", postcodes;
- an Australian stockist (AUD, "Item Code:", "ABN 12 345 678 901", postcodes of four digits) and a Canadian one
  (CAD, "Style #" and "Item #", bilingual "Fabriqué en Chine", "GST/HST 123456789 RT0001");
- a collectors' price guide that sells some of what it lists (USD): "Original retail", "Value", "Our price",
  the other years of the series with their numbers; only its offers are listings;
- a secondary-market seller on a marketplace (USD): titles cut at 80 characters (a number cut to "QX75"),
  "NIB", "w/ price tag", typos ("QX 7549", "qx7549", "1QX7549", "QX7549-1", price code "1799QX7549").

Makers: Hallmark (QX; QXR Magic; QXM Miniature; QXC club; QXE event and limited; QXI / QXD licensed; QHX
stand; vintage "QX 137-4"), Department 56 (seven digits, a village building and its ornament), Christopher
Radko ("10xxxxx", "numbered 0412/2500"), Old World Christmas (five digits beside ZIP codes), Kurt Adler
(letter and four digits, an assortment and a set).

Traps: a series' other years (42nd … 45th), Magic and plain pieces of one name, miniature and full size, club,
event-exclusive and limited versions of a series piece, repaints (another year and number, the original's
number in the text), two Storytellers pieces of one story, a number Hallmark used in 1989 and again in 2023,
sets and complete runs naming several numbers, "with stand" bundles and ornaments that come with a stand,
"price tag only" and "box only" listings, cross-sells, shops' own ids shaped like numbers, UPC / EAN / GTIN-14
spellings, wrong or missing brands, cut titles, typos, VAT, company, ABN, GST and phone numbers.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or barcode (after HTML tags; separators inside it ignored). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen14` prints its size."""

from __future__ import annotations

import random
from decimal import Decimal

from tests.catalogue_truth import Product
from tests.catalogue_truth import shop_rows
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others, shown, split_number as _split, summary, with_check as _check, year_text as _year  # noqa: F401 (shown: the tests read it from here)
from tests.catalogue_truth import shows_number_or_barcode as _shows, slug as _slug, titled as _titled


SERIES_START = {"Frosty Friends": 1980, "Here Comes Santa": 1979, "Nostalgic Houses and Shops": 1984,
                "Snow Buddies": 1998, "Mischievous Kittens": 1999, "Toymaker Santa": 2000}
SERIES_YEARS = {"Frosty Friends": (2021, 2022, 2023, 2024), "Here Comes Santa": (2022, 2023, 2024),
                "Nostalgic Houses and Shops": (2022, 2023, 2024), "Snow Buddies": (2023, 2024),
                "Mischievous Kittens": (2023, 2024), "Toymaker Santa": (2023,)}
SUBTITLES = {"Frosty Friends": ["Polar Pals on Ice", "Igloo Hideaway", "Sledding Seal", "Arctic Fox Friend"],
             "Here Comes Santa": ["Santa's Snowmobile", "Santa's Pickup", "Santa's Sleigh Bus"],
             "Nostalgic Houses and Shops": ["Corner Bakery", "Holiday Hardware", "Village Bookshop"],
             "Snow Buddies": ["Snowman and Penguin", "Snowman and Puppy"],
             "Mischievous Kittens": ["Kitten in Gift Box", "Kittens in Stocking"], "Toymaker Santa": ["Toymaker Santa"]}
SERIES_CODE = {"Frosty Friends": "FF", "Here Comes Santa": "HCS", "Nostalgic Houses and Shops": "NHS",
               "Snow Buddies": "SB", "Mischievous Kittens": "MK", "Toymaker Santa": "TS"}
MODERN = ["Cardinal on Snowy Birch", "Hot Cocoa Cart", "Vintage Red Truck", "Baby's First Christmas Teddy",
          "Our First Christmas Together Birds", "Grandma's Cookie Jar", "Fishing With Grandpa", "Merry Mailbox",
          "Pickleball Pals", "Coffee Mug Snowman", "Golden Retriever Pup", "Camper Christmas", "Sister Sledders",
          "Gnome Sweet Gnome", "Teacher's Apple Stack", "Woodland Hedgehog"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian and Grogu"), ("QXD", "Disney", "Disney Mickey's Holiday Express"),
            ("QXI", "Peanuts", "Peanuts Snoopy's Doghouse"), ("QXI", "Harry Potter", "Harry Potter Hogwarts Castle"),
            ("QXI", "The Grinch", "Dr. Seuss's How the Grinch Stole Christmas! Grinch and Max"),
            ("QXD", "Disney", "Disney Pixar Toy Story Woody and Buzz")]
ARTISTS = ["Robert Chad", "Tammy Haddix", "Orville Wilson", "Nello Williams", "Sharon Visker", "Kristina Gaughran",
           "Anita Marra Rogers", "Chris Dugan"]
OTHERS = {"Department 56": ["Department 56 Snow Village Corner Cafe", "Department 56 Snow Village Corner Cafe Ornament",
                            "Department 56 Snowbabies Frosty Frolic Ornament"],
          "Christopher Radko": ["Christopher Radko Frosty Friend", "Christopher Radko Santa's Toy Sack"],
          "Old World Christmas": ["Old World Christmas Christmas Pickle", "Old World Christmas Polar Bear Cub"],
          "Kurt Adler": ["Kurt Adler Glass Pickle", "Kurt Adler Polar Bear Ornaments, Set of 3"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "045544", "Christopher Radko": "010876",
                  "Kurt Adler": "086131", "Old World Christmas": "026409"}


def _products(rng: random.Random) -> tuple[list[Product], dict]:
    """Every real product, and their facts the shops tell: place in a series, artist, stand, original."""
    made: list[Product] = []
    used: set[str] = set()
    facts: dict[str, dict] = {}

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Department 56": lambda: f"60{rng.randint(10000, 99999)}",
                "Christopher Radko": lambda: f"10{rng.randint(10000, 29999)}",
                "Kurt Adler": lambda: f"{rng.choice('CDJT')}{rng.randint(1000, 9999)}",
                "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}"}[maker]()

    def add(maker, name, year, prefix="QX", number=None, kind="ornament", barcode=0.7, reuse=False, **more) -> Product:
        told = {k: more.pop(k) for k in ("place", "original", "stand", "flavour") if k in more}
        while number is None or number in used and not reuse:
            number = number_of(maker, prefix, year)
        used.add(number)
        code = None
        if (year or 2020) >= 1996 and rng.random() < barcode:
            body = BARCODE_PREFIX[maker]
            code = _check(body + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(body))))
        made.append(Product(f"k{len(made)}", maker, number, name, year, code, kind, **more))
        told["artist"] = rng.choice(ARTISTS) if maker == "Hallmark" else None
        told["retail"] = Decimal(rng.choice([1799, 1999, 2199, 2499, 2999, 3499, 3999])) / 100
        facts[made[-1].key] = told
        return made[-1]

    series_of: dict[tuple[str, int], Product] = {}
    for series, years in SERIES_YEARS.items():
        for i, year in enumerate(years):
            n = year - SERIES_START[series] + 1
            sub = SUBTITLES[series][i % len(SUBTITLES[series])]
            name = f"{series} {_nth(n)} in Series" if sub == series else f"{series} {sub} {_nth(n)} in Series"
            series_of[series, year] = add("Hallmark", name, year, series=series, place=n)
    frosty = series_of["Frosty Friends", 2023]
    add("Hallmark", f"Miniature Frosty Friends {SUBTITLES['Frosty Friends'][2]}", 2023, "QXM",
        series="Frosty Friends", flavour="miniature")
    add("Hallmark", "Frosty Friends Keepsake Ornament Club Exclusive", 2023, "QXC", series="Frosty Friends",
        flavour="club")
    add("Hallmark", "Snow Buddies Snowman and Bunny Event Exclusive", 2023, "QXE", series="Snow Buddies",
        flavour="event")
    add("Hallmark", "Here Comes Santa Santa's Snowcat Limited Quantity", 2023, "QXE", series="Here Comes Santa",
        flavour="limited")
    for name, year in (("Santa's Workshop Train", 2023), ("North Pole Tree Lighting", 2024), ("Gingerbread Bakery", 2022)):
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR", flavour="magic")
    add("Hallmark", "Miniature Santa's Workshop Train", 2023, "QXM", flavour="miniature")
    ff1 = add("Hallmark", "Frosty Friends 1st in Series", 1980, place=1, series="Frosty Friends")
    add("Hallmark", "Frosty Friends 1980 Repaint", 2020, original=ff1.key, series="Frosty Friends")
    sb1 = add("Hallmark", "Snow Buddies 1st in Series", 1998, place=1, series="Snow Buddies")
    add("Hallmark", "Snow Buddies 25th Anniversary Repaint Club Exclusive", 2023, "QXC", original=sb1.key,
        series="Snow Buddies", flavour="club")
    old = add("Hallmark", "Christmas Memories Photo Holder", 1989)
    add("Hallmark", "Gnome for the Holidays", 2023, number=old.number, reuse=True)  # Hallmark used it again
    for part in ("Santa", "Reindeer Team"):
        add("Hallmark", f"Storytellers The Night Before Christmas - {part}", 2023, series="Storytellers",
            stand=part == "Santa")
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2021, 2024), prefix, licensor=licensor, stand=rng.random() < 0.3)
    for name in MODERN:
        add("Hallmark", name, rng.randint(2021, 2024))
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, rng.choice([None, 2022, 2023, 2024]), barcode=0.75)
    add("Hallmark", "Miniature Nostalgic Houses and Shops Set of 3", 2022, "QXM", kind="set",
        series="Nostalgic Houses and Shops")
    add("Hallmark", "Keepsake Ornament Display Stand, Lighted Tree", 2023, "QHX", kind="stand")
    return made, facts


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product, careless: bool = False) -> str:
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    if careless:
        return rng.choice([p.number, f"{letters} {digits}", f"{letters}-{digits}", p.number.lower(), f"1{p.number}",
                           f"{p.number}-1", f"{int(rng.choice([1799, 1999, 2499, 2999]))}{p.number}"])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}"])


def _barcode(rng: random.Random, p: Product) -> str | None:
    """The barcode as a feed writes it: UPC-12, EAN-13 with a leading 0, or GTIN-14."""
    if not p.barcode:
        return None
    return rng.choice([p.barcode, p.barcode, "0" + p.barcode, "00" + p.barcode])


def _gold_crown(rng, p, every, price, facts):
    f = facts[p.key]
    own = f"GCS-{rng.randint(10000, 19999)}"
    yy = f"{p.year % 100:02d}" if p.year else ""
    if p.maker == "Hallmark" and rng.random() < 0.75:
        sku = rng.choice([f"1{p.number}", f"{p.number}-{yy}", p.number]) if not _old(p) else _written(rng, p)
    else:
        sku = own
    lines = []
    if p.year and p.maker == "Hallmark":
        lines.append(f"Dated {p.year}.")
    if f.get("flavour") == "club":
        lines.append("Keepsake Ornament Club exclusive - available to club members only.")
    if f.get("flavour") == "event":
        lines.append("Event exclusive! Available only during the Keepsake Ornament Premiere event.")
    if f.get("flavour") == "magic":
        lines.append("Magic ornament with light and sound. Batteries included.")
    if f.get("place"):
        lines.append(f"{_nth(f['place'])} in the {p.series} series.")
    if f.get("original") and rng.random() < 0.6:
        o = next(x for x in every if x.key == f["original"])
        lines.append(f"A repaint of the {o.year} classic, {_written(rng, o)}, in new colours.")
    if f.get("stand"):
        lines.append("Display stand included.")
    if f.get("artist"):
        lines.append(f"Artist: {f['artist']}")
    if sku == own and rng.random() < 0.5:
        lines.append(f"Hallmark item #{_written(rng, p)}" if p.maker == "Hallmark" else f"Item #{p.number}")
    if rng.random() < 0.35:
        o = _others(rng, p, every)[0]
        lines.append(f"<strong>Complete the set with:</strong> {o.name} ({o.number})")
    name = rng.choice([f"{_titled(p)} {p.maker} Keepsake Ornament" if p.maker == "Hallmark" else _titled(p),
                       f"{p.name}{' - ' + str(p.year) if p.year else ''}"])
    return [{"vendor_product_id": own, "sku": sku, "name": name, "brand": p.maker,
             "gtin": p.barcode if rng.random() < 0.4 else None, "description": "<p>" + "</p><p>".join(lines or ["New for the season."]) + "</p>",
             "url": f"https://goldcrown-maplewood.example/shop/{_slug(p.name)}-{own.lower()}",
             "image_urls": [f"https://goldcrown-maplewood.example/img/{own}.jpg"]}]


def _collector(rng, p, every, price, facts):
    f = facts[p.key]
    own = f"QK{rng.randint(1000, 9999)}"  # its own ids look like Hallmark's numbers
    lines = []
    if f.get("place"):
        lines.append(f"#{f['place']} in the {p.series} series.")
    if f.get("original"):
        o = next(x for x in every if x.key == f["original"])
        lines.append(f"Repaint of the {o.year} original" + (f" ({_written(rng, o)})." if rng.random() < 0.7 else "."))
    lines += {"limited": ["Limited Quantity."], "magic": ["Magic: Light and Sound."], "miniature": ["Miniature."],
              "club": ["Club exclusive."], "event": ["Event exclusive."]}.get(f.get("flavour"), [])
    if p.series == "Storytellers":
        lines.append("Storytellers: collect every piece of the story; press the button to hear it told.")
    if f.get("stand"):
        lines.append("Comes with display stand.")
    number_shown = p.maker == "Hallmark" and rng.random() < 0.7 or p.maker != "Hallmark" and rng.random() < 0.5
    if rng.random() < 0.4:
        o = _others(rng, p, every)[0]
        lines.append(f"Pairs with {o.name} {o.number}.")
    name = f"{p.year or ''} {p.name}".strip()
    if number_shown:
        name += f" - {_written(rng, p)}"
    return [{"vendor_product_id": own, "sku": own, "name": name, "brand": p.maker if rng.random() < 0.85 else None,
             "description": " ".join(lines) or "New in box.",
             "url": f"https://hookedonkeepsakes.example/{own.lower()}.html"}]


def _merchant(rng, p, every, price, facts):
    f = facts[p.key]
    own = f"HK-{p.year or 2000}-{rng.randint(1, 299):03d}" if p.maker == "Hallmark" else f"OW-{rng.randint(10000, 99999)}"
    mpn = rng.choice([_written(rng, p), _written(rng, p), own, None])
    brand = rng.choice([p.maker, p.maker, p.maker, "Hallmark Keepsake", "Keepsake", "Hallmark Cards", None]) \
        if p.maker == "Hallmark" else rng.choice([p.maker, p.maker, None])
    label = rng.choice(["New 2023", "Clearance", "Bestseller", "Collectors"])
    text = f"{p.name}. {'Dated ' + str(p.year) + '. ' if p.year else ''}custom_label_0: {label}."
    if f.get("place"):
        text += f" The {_nth(f['place'])} ornament in the {p.series} series."
    if f.get("flavour") == "magic":
        text += " Magic ornament: light and motion."
    name = f"{p.maker} Keepsake Christmas Ornament {p.year or ''}, {_bare(p)}".replace("  ", " ") \
        if p.maker == "Hallmark" else _titled(p)
    group = f"{SERIES_CODE[p.series]}-SERIES" if p.series in SERIES_CODE and rng.random() < 0.8 else None
    return [{"vendor_product_id": own, "sku": mpn, "gtin": _barcode(rng, p) if rng.random() < 0.75 else None,
             "brand": brand, "name": name, "description": text, "item_group_id": group,
             "category": f"Home > Holiday Decor > Ornaments > {p.maker}" + (f" > {p.year}" if p.year else ""),
             "url": f"https://ornamentworld.example/p/{own.lower()}",
             "image_urls": [f"https://cdn.ornamentworld.example/{own.lower()}_1.jpg"]}]


def _woo(rng, p, every, price, facts):
    f = facts[p.key]
    wid = str(rng.randint(1000, 8999))
    if p.series in SERIES_CODE and f.get("place") and p.year and p.year >= 2021:
        siblings = [o for o in every if o.series == p.series and facts[o.key].get("place") and o.year >= 2021]
        long = (f"<h2>{p.series} Series</h2><p>Collect every year of this beloved Hallmark series.</p><ul>"
                + "".join(f"<li>{o.year}: {o.name} ({o.number})</li>" for o in siblings) + "</ul>")
        sku = rng.choice([f"{SERIES_CODE[p.series]}-SER-{p.year}", p.number, _written(rng, p)])
        return [{"vendor_product_id": wid, "sku": sku, "name": f"{p.series} Series Ornament - {p.year}",
                 "description": f"Attribute 1 name: Year | Attribute 1 value(s): {p.year} | Type: variation<br>{long}",
                 "brand": p.maker, "item_group_id": f"parent-{SERIES_CODE[p.series]}-SER", "series": p.series,
                 "url": f"https://thekeepsakecorner.example/product/{_slug(p.series)}-series/?attribute_year={p.year}"}]
    sku = rng.choice([p.number if p.maker != "Hallmark" else _written(rng, p), f"WC-{rng.randint(100, 999)}"])
    short = f"<p>{_titled(p)}. {rng.choice(['Gift boxed.', 'Great gift!', 'A collector favourite.'])}</p>"
    long = f"<p>{p.name} by {p.maker}.</p>"
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        long += f"<p>Pairs with: {o.name} ({o.number})</p>"
    return [{"vendor_product_id": wid, "sku": sku, "name": _titled(p), "brand": p.maker if rng.random() < 0.8 else None,
             "description": f"{short}{long}", "gtin": p.barcode if rng.random() < 0.3 else None,
             "url": f"https://thekeepsakecorner.example/product/{_slug(p.name)}/"}]


def _uk(rng, p, every, price, facts):
    own = f"HKO{rng.randint(1000, 9999)}"
    code = _written(rng, p) if rng.random() < 0.6 else own
    lines = [f"{p.name}{' Keepsake Ornament' if p.maker == 'Hallmark' else ''}.", f"Code: {code}"]
    if code == own and rng.random() < 0.4:
        lines.append(f"Manufacturer's ref: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.4:
        lines.append(f"Barcode: {'0' + p.barcode if rng.random() < 0.6 else p.barcode}")
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        lines.append(f"You might also like: {o.name} - Code: {o.number}")
    lines.append("Price includes VAT at 20%. VAT Reg. GB 123 4567 89. Company No. 04567123.")
    lines.append(rng.choice(["Free UK delivery over £40. Order by 2pm.", "Click & collect at our Brighton shop, BN1 1AA.",
                             "Tel. 01273 555 012"]))
    gbp = (price * Decimal("0.85")).quantize(Decimal("0.01"))
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_bare(p)} {_year(p)}".strip(),
             "brand": rng.choice([p.maker, p.maker, None]), "description": "\n".join(lines), "price": gbp,
             "url": f"https://keepsakesdirect.example.co.uk/{_slug(p.name)}-{own.lower()}"}]


def _au(rng, p, every, price, facts):
    own = f"XM{rng.randint(10000, 99999)}"
    code = _written(rng, p) if rng.random() < 0.55 else own
    lines = [f"Item Code: {code}", f"{p.name}.", f"Brand: {p.maker}"]
    if p.barcode and rng.random() < 0.4:
        lines.append(f"EAN: 0{p.barcode}")
    lines.append(rng.choice(["Shipping Australia-wide. Collect from Fitzroy VIC 3065.",
                             "Ph (02) 9555 0123. ABN 12 345 678 901.", "Afterpay available."]))
    aud = (price * Decimal("1.5")).quantize(Decimal("0.01"))
    return [{"vendor_product_id": own, "sku": code, "name": f"{_titled(p)} Christmas Decoration", "price": aud,
             "brand": p.maker, "description": "<br/>".join(lines),
             "url": f"https://christmasdownunder.example.com.au/products/{_slug(p.name)}"}]


def _ca(rng, p, every, price, facts):
    own = str(rng.randint(200000, 299999))
    lines = [f"Item # {own}"]
    if rng.random() < 0.7:
        lines.append(f"Style # {_written(rng, p)}")
    if p.barcode and rng.random() < 0.35:
        lines.append(f"UPC {p.barcode}")
    if rng.random() < 0.3:
        o = _others(rng, p, every)[0]
        lines.append(f"Also in store: {o.name}, Style # {o.number}")
    lines.append("Made in China / Fabriqué en Chine. GST/HST 123456789 RT0001.")
    cad = (price * Decimal("1.35")).quantize(Decimal("0.01"))
    return [{"vendor_product_id": own, "name": f"{p.maker} {_bare(p)} {_year(p)} Ornament".replace("  ", " "),
             "price": cad, "brand": p.maker, "description": " | ".join(lines), "sku": own,
             "url": f"https://northernkeepsakes.example.ca/en/item/{own}"}]


def _guide(rng, p, every, price, facts):
    """A price guide: only the pieces it sells itself are listings."""
    if p.maker != "Hallmark":
        return []
    f = facts[p.key]
    own = f"PG{rng.randint(10000, 99999)}"
    value = (f["retail"] * Decimal(rng.choice(["1.2", "1.5", "2", "0.9"]))).quantize(Decimal("0.01"))
    lines = [f"Original retail: ${f['retail']}", f"Value: ${value}", f"Our price: ${value} - Add to cart"]
    if f.get("original"):
        lines.append(f"Repaint of {next(o.number for o in every if o.key == f['original'])}.")
    if rng.random() < 0.75:
        lines.insert(0, f"Hallmark number: {_written(rng, p)}")
    if p.series:
        more = [o for o in every if o.series == p.series and o.key != p.key and o.kind == "ornament"][:3]
        if more:
            lines.append("Other pieces in this series: " + "; ".join(f"{o.year} {o.name} {o.number}" for o in more))
    return [{"vendor_product_id": own, "name": f"{p.year or ''} {p.name}".strip(), "brand": "Hallmark",
             "description": "<br>".join(lines), "series": p.series, "price": value,
             "url": f"https://keepsakevalues.example/guide/{p.year}/{_slug(p.name)}"}]


def _market(rng, p, every, price, facts):
    f = facts[p.key]
    own = str(rng.randint(10**11, 10**12 - 1))
    bits = [p.maker if p.maker != "Hallmark" else rng.choice(["Hallmark", "Hallmark", "Hallmark Keepsake", "Keepsake"])]
    if p.year:
        bits.append(str(p.year))
    bits.append(_bare(p) if f.get("place") is None else f"{p.series} #{f['place']}")
    extra = rng.choice(["NIB", "NIB w/ price tag", "New in Box", "MIB", "Ornament NEW"])
    number = _written(rng, p, careless=True) if rng.random() < 0.75 else ""
    title = " ".join(bits + ([extra, number] if rng.random() < 0.5 else [number, extra]))
    title = " ".join(title.split())[:80]  # the marketplace cuts titles at 80 characters
    text = rng.choice(["Smoke-free home. Box has shelf wear.", "Never displayed. Combined shipping.",
                       "From my collection. See photos."])
    if f.get("original"):
        text += " This is the repaint, not the original."
    return [{"vendor_product_id": own, "name": title, "description": text,
             "brand": rng.choice([p.maker, None, "Unbranded"]), "regular_price": f["retail"] if p.maker == "Hallmark" else None,
             "url": f"https://marketplace.example/itm/{own}"}]


SHOPS = {  # vendor: (writer, currency, share of the products it carries)
    "us_goldcrown_maplewood": (_gold_crown, "USD", 0.5), "us_hookedonkeepsakes": (_collector, "USD", 0.55),
    "us_ornamentworld_feed": (_merchant, "USD", 0.55), "us_keepsakecorner_woo": (_woo, "USD", 0.45),
    "uk_keepsakesdirect": (_uk, "GBP", 0.45), "au_christmasdownunder": (_au, "AUD", 0.4),
    "ca_northernkeepsakes": (_ca, "CAD", 0.4), "us_keepsakevalues_guide": (_guide, "USD", 0.45),
    "us_marketplace_seller": (_market, "USD", 0.5)}


def _special(rng: random.Random, every: list[Product], facts: dict) -> list[dict]:
    """Sets and runs, price tags and boxes, stands and 'with stand' bundles, and the other makers' traps."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    frosty = [p for p in every if p.series == "Frosty Friends" and facts[p.key].get("place") and p.year >= 2021]
    santa = [p for p in every if p.series == "Here Comes Santa" and facts[p.key].get("place")]
    f23 = find(lambda p: p.series == "Frosty Friends" and p.year == 2023 and facts[p.key].get("place"))
    mini = find(lambda p: p.number.startswith("QXM") and p.series == "Frosty Friends")
    club = find(lambda p: p.number.startswith("QXC") and p.series == "Frosty Friends")
    stand = find(lambda p: p.kind == "stand")
    mk = lambda vendor, pid, truth, **row: rows.append({"vendor": vendor, "vendor_product_id": pid, "truth": truth, **row})
    run = frosty[:3]
    mk("us_marketplace_seller", str(rng.randint(10**11, 10**12 - 1)), "run-" + "-".join(p.key for p in run),
       name=f"Hallmark Frosty Friends complete {run[0].year}-{run[-1].year} run lot of 3 NIB",
       description="Includes " + ", ".join(f"{p.year} {p.number}" for p in run) + ". All with boxes.", brand="Hallmark")
    mk("us_marketplace_seller", str(rng.randint(10**11, 10**12 - 1)), "run-" + "-".join(p.key for p in santa),
       name=f"Lot 3 Hallmark Here Comes Santa {santa[0].year} {santa[1].year} {santa[2].year} series",
       description=" / ".join(_written(rng, p, True) for p in santa))
    for p in (f23, rng.choice([x for x in every if x.maker == "Hallmark" and x.year and x.year >= 2021 and x.kind == "ornament"])):
        mk("us_marketplace_seller", str(rng.randint(10**11, 10**12 - 1)), "tag-" + p.key,
           name=f"Hallmark {p.year} {_bare(p)} PRICE TAG ONLY {p.number}"[:80],
           description=f"Original price tag only, no ornament. ${facts[p.key]['retail']} {p.number}.")
        mk("us_marketplace_seller", str(rng.randint(10**11, 10**12 - 1)), "box-" + p.key,
           name=f"Hallmark Keepsake {p.year} {_bare(p)} EMPTY BOX ONLY"[:80],
           description=f"Box only for {_written(rng, p, True)}. No ornament included. Great for storage.")
    mk("us_goldcrown_maplewood", f"GCS-SET{rng.randint(100, 999)}", "set-" + "-".join(p.key for p in (f23, mini, club)),
       sku=f"1{f23.number}SET", name="Frosty Friends 2023 Collector's Set",
       description=f"<p>Collector's set: the 44th in series ({f23.number}), the Miniature ({mini.number}) and the "
                   f"Keepsake Ornament Club exclusive ({club.number}).</p>", brand="Hallmark")
    with_stand = [p for p in every if facts[p.key].get("place") and p.year == 2023][:2]
    for p in with_stand:
        mk("us_hookedonkeepsakes", f"QK{rng.randint(1000, 9999)}", f"with-stand-{p.key}", brand="Hallmark",
           name=f"{p.year} {p.name} - {p.number} with display stand",
           description=f"Bundle: the ornament plus the {stand.name} ({stand.number}). Save $5!")
    fits = rng.sample([p for p in every if p.maker == "Hallmark" and p.kind == "ornament" and p.year and p.year >= 2021], 2)
    mk("us_hookedonkeepsakes", f"QK{rng.randint(1000, 9999)}", stand.key, brand="Hallmark", name=f"{stand.name} - {stand.number}",
       description=f"Shows off pieces such as {fits[0].name} {fits[0].number} and {fits[1].name} {fits[1].number}.")
    mk("us_ornamentworld_feed", f"HK-{stand.year}-{rng.randint(300, 399)}", stand.key, sku=stand.number,
       gtin=_barcode(rng, stand), brand="Hallmark", name="Hallmark Keepsake Ornament Display Tree with Lights",
       category="Home > Holiday Decor > Ornament Stands & Hooks")
    mk("uk_keepsakesdirect", f"HKO{rng.randint(1000, 9999)}", stand.key, brand="Hallmark", name="Hallmark Lighted Display Tree",
       description=f"Code: HKO-STAND\nDisplays up to 12 ornaments, e.g. {fits[0].name} (Code: {fits[0].number}).")
    # the other makers' traps
    cafe, cafe_orn = (find(lambda p, n=n: p.name.endswith(n)) for n in ("Corner Cafe", "Corner Cafe Ornament"))
    mk("us_ornamentworld_feed", f"OW-{rng.randint(10000, 99999)}", "set-" + cafe.key + "-" + cafe_orn.key,
       sku=f"{cafe.number}/{cafe_orn.number}", brand="Department 56",
       name="Department 56 Snow Village Corner Cafe + matching ornament", category="Home > Holiday Decor > Villages")
    radko = find(lambda p: p.name == "Christopher Radko Frosty Friend")
    mk("us_goldcrown_maplewood", f"GCS-{rng.randint(20000, 29999)}", radko.key, brand="Christopher Radko",
       name="Christopher Radko Frosty Friend Glass Ornament",
       description=f"<p>Limited edition, numbered 0412/2500. Item {radko.number}. Not a Hallmark Frosty Friends piece.</p>")
    owc = find(lambda p: p.name.endswith("Christmas Pickle"))
    mk("us_keepsakecorner_woo", str(rng.randint(9000, 9999)), owc.key, sku=f"WC-{rng.randint(100, 999)}",
       name="Christmas Pickle Ornament (Old World Christmas)",
       description="<p>Blown glass. Ships from Indianapolis, IN 46220.</p><p>Made by Old World Christmas.</p>")
    ka = find(lambda p: p.name.endswith("Set of 3"))
    mk("au_christmasdownunder", f"XM{rng.randint(10000, 99999)}", "one-of-" + ka.key, sku=f"{ka.number}A",
       name="Kurt Adler Polar Bear Ornament, assorted (one piece)",
       description=f"Item Code: {ka.number}A<br/>Sold singly from the set {ka.number}; design chosen at random.<br/>Collect from Fitzroy VIC 3065.")
    return rows


def listings(seed: int = 15) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every, facts = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, share) in SHOPS.items():
        for p in every:
            if p.kind == "stand" or rng.random() > share:
                continue
            price = facts[p.key]["retail"] if vendor != "us_marketplace_seller" else \
                (facts[p.key]["retail"] * Decimal(rng.choice(["0.8", "1.1", "1.4", "2"]))).quantize(Decimal("0.01"))
            rows += shop_rows(rng, write(rng, p, every, price, facts), p, vendor, price)
    rows += _special(rng, every, facts)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
