"""A twelfth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after the collectors' second-hand market and shops in languages
the earlier catalogues did not have:

- a collectors' resale site (USD): sellers type the number from the box, Hallmark's price-coded form
  ("1295QX6379", "795 QX 1234", "675QX440-9"), the dated old style ("QX 531-6", "QX5316"), "Keepsake Ornament
  Club" pieces, "NIB", "MIB", "no box", condition notes, "see photos", the site's own item number (seven
  digits, as Department 56's), the seller's ZIP code (five digits, as Old World Christmas's), a typo now and
  then, and "Text in photos (auto-read)": what OCR read from the box photos;
- a Norwegian shop (NOK): "Varenr." (its own, six digits, as Lenox's), "Produsentens varenr.", "Strekkode"
  (the UPC as EAN-13, a leading 0), "Se også", "Org.nr. 912 345 678 MVA", "0155 Oslo", "Tlf.";
- a Portuguese shop (EUR): "Ref.ª" holding the maker's reference or the shop's own, "Código EAN", "Também pode
  gostar", "4000-447 Porto", "NIF 509 123 456";
- a Greek shop (EUR, Greek script): "Κωδικός" (its own, five digits), "Κωδικός κατασκευαστή", "Barcode",
  "Σχετικά προϊόντα", "546 23 Θεσσαλονίκη", "ΑΦΜ";
- a Romanian shop (RON): "Cod produs" (its own, seven digits starting 10, as Christopher Radko's), "Cod
  producător", "Produse similare", "CUI RO31234567", "030031 București";
- a Vietnamese marketplace (VND) and a Thai one (THB): keyword-stuffed titles with the number inside (glued
  now and then, "giống …" look-alikes' numbers beside it), "350.000₫", "฿1,290";
- an Indonesian marketplace (IDR): "Rp 350.000", "Kode: C1234" (its own, as Kurt Adler's), "Lihat juga";
- a Poshmark-like resale app (USD): short titles, hashtags, "Size: One size", "Bundle 3 items & save 15%";
- a collectors' club newsletter swap list: a member's HAVE list (one or several ornaments, with numbers) and
  WANT list (other ornaments' numbers).

Makers: Hallmark (QX, QXR Magic, QLX Magic of the 1990s, QXM miniature, QXI / QXD licensed, QXC club, QHX
accessories; old style before 1991), Department 56 (seven digits), Christopher Radko (seven digits, 10…), Kurt
Adler ("C7654"), Old World Christmas (five digits), Lenox (six digits), Enesco (six or seven digits).

OCR, decided so: a person reading "QX63O9" or "lO12345" reads through the glyph twins (O for 0, l or I for 1)
and sees the number; "QX63S9" (S for 5, B for 8, G for 6) or a digit the OCR dropped is a number the person
does not recognise, so it is not shown. A barcode with a misread digit is not shown either.

Traps: series in consecutive years (and the same series in the 1980s, 1990s and now), Magic and plain pieces
of one name, miniature and full size of one series and year, "Baby's First Christmas" in several years, a
number Hallmark used in 1988 and again in 2018, Lenox annuals in consecutive years, a display stand, a Magic
cord and a storage box naming what they fit, empty boxes, lots and bundles, swap lists, copies ("inspired
by", "replika KW", "งานก๊อป", handmade), cross-sells in each language, shops' own ids shaped as other makers'
numbers, postcodes, ZIP codes, phone and VAT numbers, the seller's typos.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item number
or a valid barcode of it (after HTML tags; separators inside it ignored). This file describes shops, not the
matcher. `python -m tests.catalogue_truth_unseen11` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from tests.catalogue_truth import plain
from tests.catalogue_truth import as_stored, bare_name as _bare, nth as _nth, old_style as _old, others_of as _others
from tests.catalogue_truth import shown, split_number as _split, summary, with_check as _check, year_text as _year

__all__ = ["listings", "shown", "summary"]


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str
    name: str
    year: int | None
    barcode: str | None = None
    kind: str = "ornament"
    series: str | None = None
    licensor: str | None = None
    cents: str | None = None  # Hallmark's price code on the box ("1295"), 1980s and 1990s


# Hallmark series: (first year, last year).
SERIES = {"Frosty Friends": (1980, 2030), "Rocking Horse": (1981, 1996), "Here Comes Santa": (1979, 2030),
          "Clothespin Soldier": (1982, 1987), "Twelve Days of Christmas": (1984, 1991),
          "Mr. and Mrs. Claus": (1986, 1995), "Reindeer Champs": (1986, 1993), "Porcelain Bear": (1983, 1990),
          "Nostalgic Houses and Shops": (1984, 2030), "Puppy Love": (1991, 2030), "Merry Olde Santa": (1990, 1999),
          "Cat Naps": (1994, 1998), "Heart of Christmas": (1990, 1994), "Snow Buddies": (1998, 2030),
          "Mischievous Kittens": (1999, 2030), "Toymaker Santa": (2000, 2030), "Christmas Window": (2003, 2030)}
ERAS = {"vintage": (1985, 1990), "nineties": (1991, 2000), "modern": (2019, 2024)}
CLUB = ["Keepsake Ornament Club Christmas Is Sharing", "Keepsake Ornament Club Toymaker's Apprentice",
        "Keepsake Ornament Club Santa's Club Soloist", "Keepsake Ornament Club Holiday Visitor",
        "Keepsake Ornament Club Jolly Old Elf", "Keepsake Ornament Club Welcome Winter"]
MODERN = ["Cardinal on a Snowy Fence", "Santa's Hot Cocoa Cart", "Vintage Pickup With Tree", "Llama in a Scarf",
          "Grandma's Cookie Jar", "Ice Skating Hedgehog", "Fishing Trip Bear", "Penguin Pals on Ice",
          "Christmas Tree Farm Tractor", "Beagle in a Stocking", "Woodland Owl Trio", "Book Lover's Stack",
          "Golf Cart Santa", "Sled Ride Raccoons", "Nurse Snowman", "Firehouse Dalmatian"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian and Grogu"), ("QXD", "Disney", "Disney Lady and the Tramp"),
            ("QXD", "Disney", "Disney Frozen Olaf's Summer Dream"), ("QXI", "Peanuts", "Peanuts Snoopy Flying Ace"),
            ("QXI", "Harry Potter", "Harry Potter Hedwig Delivers"), ("QXI", "Dr. Seuss", "Dr. Seuss Cindy-Lou Who"),
            ("QXI", "Barbie", "Barbie Dreamhouse"), ("QXI", "Marvel", "Marvel Iron Man Mark III"),
            ("QXI", "Jurassic Park", "Jurassic Park Tyrannosaurus Rex")]
YEARLY = ["Baby's First Christmas", "Our First Christmas Together", "Grandmother", "Special Dog"]
OLDIES = ["Santa's Hot Air Balloon", "Angelic Harpist", "Teddy Bear Drummer", "Nativity Tree Topper Mini",
          "Joyful Carolers", "Little Frosty Friends Igloo"]
OTHERS = {"Department 56": ["Department 56 Snowbabies Catching Snowflakes", "Department 56 Village Church Ornament",
                            "Department 56 Dickens' Village Scrooge's Counting House",
                            "Department 56 North Pole Elf Bakery",
                            "Department 56 Snowbabies Star Bright"],
          "Christopher Radko": ["Christopher Radko Starlight Santa", "Christopher Radko Nutcracker Suite",
                                "Christopher Radko Frosty Sleigh Ride", "Christopher Radko Merry Mushroom",
                                "Christopher Radko Partridge Pear"],
          "Kurt Adler": ["Kurt Adler Polonaise Nutcracker", "Kurt Adler Noble Gems Cardinal",
                         "Kurt Adler Hollywood Nuts Snowman", "Kurt Adler Glittered Reindeer"],
          "Old World Christmas": ["Old World Christmas Santa Moon", "Old World Christmas Cardinal on Clip",
                                  "Old World Christmas Gingerbread House", "Old World Christmas Corn on the Cob",
                                  "Old World Christmas Hot Air Balloon"],
          "Lenox": ["Lenox Holiday Ball Ornament", "Lenox First Blessing Nativity Angel"],
          "Enesco": ["Enesco Jim Shore Santa With Sack", "Enesco Precious Moments Baby's First Christmas",
                     "Enesco Jim Shore Snowman With Lantern"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Department 56": "078546", "Christopher Radko": "074608",
                  "Kurt Adler": "087221", "Old World Christmas": "081438", "Lenox": "082262", "Enesco": "088271"}
RATE = {"USD": Decimal("1"), "NOK": Decimal("10.8"), "EUR": Decimal("0.92"), "RON": Decimal("4.6"),
        "VND": Decimal("25400"), "THB": Decimal("35.5"), "IDR": Decimal("15900")}

ZIPS = ["43215", "60614", "97205", "30309", "75201", "14612"]
NO_FOOT = "Fri frakt over 799 kr. Julestua AS, Storgata 12, 0155 Oslo · Org.nr. 912 345 678 MVA · Tlf. 22 41 17 90"
PT_FOOT = "Casa do Natal, Rua de Santa Catarina 112, 4000-447 Porto · NIF 509 123 456 · Tel. +351 222 081 144"
GR_FOOT = "Αποστολή σε 1–3 εργάσιμες. Τσιμισκή 45, 546 23 Θεσσαλονίκη · Τηλ. 2310 234 567 · ΑΦΜ 099123456"
RO_FOOT = ("SC Globuri Festive SRL · CUI RO31234567 · J40/1234/2015 · Str. Lipscani 10, 030031 București · "
           "tel. 0721 234 567")
VN_FOOT = "Hotline/Zalo: 0903 123 456 · Giao hàng toàn quốc · Kho: Quận 3, TP.HCM 700000"
TH_FOOT = "โทร 081-234-5678 · Line @khongkhwan · ส่งจากกรุงเทพฯ 10110"
ID_FOOT = "Dikirim dari Jakarta Barat 11470 · WA 0812-3456-7890 · Bisa COD"
SWAP_FOOT = "Chapter 112 · dues $15 · call Barb (614) 555-0187 after 6pm"
RESERVED = re.sub(r"\D", "", " ".join(ZIPS + [NO_FOOT, PT_FOOT, GR_FOOT, RO_FOOT, VN_FOOT, TH_FOOT, ID_FOOT,
                                             SWAP_FOOT]))


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":
            if year and year < 1991:
                return f"{prefix}{rng.randint(400, 599)}{rng.randint(1, 9)}"
            return f"{prefix}{rng.randint(1000, 9999)}"
        return {"Department 56": lambda: f"{rng.choice(['40', '60', '68'])}{rng.randint(10000, 99999)}",
                "Christopher Radko": lambda: f"10{rng.randint(10000, 99999)}",
                "Kurt Adler": lambda: f"{rng.choice('CJTD')}{rng.randint(1000, 9999)}",
                "Old World Christmas": lambda: f"{rng.randint(10000, 46999)}",
                "Lenox": lambda: f"{rng.choice(['86', '87', '88'])}{rng.randint(1000, 9999)}",
                "Enesco": lambda: rng.choice([f"{rng.randint(100000, 999999)}", f"60{rng.randint(10000, 99999)}"])
                }[maker]()

    def add(maker, name, year, prefix="QX", number=None, kind="ornament", barcode=0.7, cents=None, again=False,
            **more):
        while number is None or number in used and not again or (number.isdigit() and (number in RESERVED
                                                                          or number.endswith("000"))):
            number = number_of(maker, prefix, year)
        used.add(number)
        code = None
        if (year or 2020) >= 1996 and rng.random() < barcode:
            body = BARCODE_PREFIX[maker]
            code = _check(body + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(body))))
        if maker == "Hallmark" and year and year <= 2000 and cents is None and kind == "ornament":
            cents = rng.choice(["475", "575", "675", "775", "875", "975"] if year < 1991 else
                               ["795", "875", "995", "1095", "1295", "1495", "1895"])
        made.append(Product(f"p{len(made)}", maker, number, name, year, code, kind, cents=cents or None, **more))
        return made[-1]

    def run(series: str, era: str, length: int) -> list[Product]:
        first, last = SERIES[series]
        low, high = max(first, ERAS[era][0]), min(last, ERAS[era][1]) - length + 1
        start = rng.randint(low, high)
        return [add("Hallmark", f"{series} {_nth(y - first + 1)} in Series", y, series=series)
                for y in range(start, start + length)]

    def fits(era: str) -> list[str]:
        low, high = ERAS[era]
        return [s for s, (a, b) in SERIES.items() if a <= high - 2 and b >= low + 2]

    for era in ERAS:  # the same series in consecutive years
        for series in rng.sample(fits(era), 3):
            made_run = run(series, era, rng.choice([2, 2, 3]))
        if era != "vintage":  # a miniature of the last run's first year
            full = made_run[0]
            add("Hallmark", f"Miniature {full.series}", full.year, "QXM", series=full.series,
                cents=rng.choice(["450", "575", "695"]) if full.year <= 2000 else None)
    for i, year in enumerate((1985 + rng.randint(3, 5), rng.randint(1994, 1999), rng.randint(2020, 2024))):
        add("Hallmark", CLUB[2 * i + rng.randint(0, 1)], year, "QXC", series="Keepsake Ornament Club",
            cents=rng.choice(["", "1500", "2000"]) if year < 2000 else None)
    titles = rng.sample(MODERN, 11)
    for title in titles[:2]:  # Magic and plain of one name
        year = rng.randint(2019, 2024)
        add("Hallmark", title, year)
        add("Hallmark", f"{title} Magic", year, "QXR")
    year = rng.randint(1992, 1999)
    add("Hallmark", "Santa's Toy Workshop", year)
    add("Hallmark", "Santa's Toy Workshop Magic", year, "QLX", cents=rng.choice(["2400", "2800", "3200"]))
    for title in titles[2:]:
        add("Hallmark", title, rng.randint(2019, 2024))
    for prefix, licensor, name in rng.sample(LICENSED, 5):
        add("Hallmark", name, rng.randint(2019, 2024), prefix, licensor=licensor)
    for name in rng.sample(YEARLY, 2):  # dated yearly pieces, consecutive years and a modern one
        year = rng.randint(1991, 1998)
        for y in (year, year + 1, rng.randint(2020, 2024)):
            add("Hallmark", name, y, series=name)
    for name in rng.sample(OLDIES, 2):
        add("Hallmark", name, rng.randint(1985, 1990))
    old = add("Hallmark", "Holiday Snowflake Wreath", 1988)
    add("Hallmark", "Gnome for the Holidays", 2018, number=old.number, again=True)  # Hallmark used the number again
    for maker, names in OTHERS.items():
        for name in rng.sample(names, min(len(names), 3 if maker != "Lenox" else 2)):
            add(maker, name, rng.choice([None, None, 2021, 2022, 2023, 2024]), barcode=0.75)
    year = rng.randint(2020, 2023)
    for y in (year, year + 1):  # Lenox annuals
        add("Lenox", f"Lenox {y} Annual Snowflake Ornament", y, series="Lenox Annual Snowflake", barcode=0.8)
    add("Hallmark", "Keepsake Ornament Display Stand, Three Tiers", 2022, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Ornament Power Cord", 2023, "QHX", kind="accessory")
    add("Hallmark", "Keepsake Ornament Storage Box for 24 Ornaments", 2021, "QHX", kind="storage")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    """A shop's spelling of the maker's number."""
    letters, digits = _split(p.number)
    if p.maker != "Hallmark":
        return p.number if not p.number.startswith("10") or rng.random() < 0.8 else f"{digits[:2]}-{digits[2:]}"
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"])


def _typed(rng: random.Random, p: Product, typo: float = 0.0) -> str:
    """What a collector types from the box: price code, old style, spaces, lower case, now and then a typo."""
    letters, digits = _split(p.number)
    if typo and rng.random() < typo:
        i = rng.randrange(len(digits) - 1)
        digits = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
    if p.maker != "Hallmark":
        return rng.choice([f"{letters}{digits}", f"#{letters}{digits}"])
    cents = p.cents or ""
    if _old(p):
        dashed = f"{digits[:3]}-{digits[3]}"
        forms = [f"{letters} {dashed}", f"{letters}{dashed}", f"{letters}{digits}"]
        if cents:
            forms += [f"{cents}{letters}{dashed}", f"{cents} {letters} {dashed}"]
    elif p.year and p.year <= 2003:
        forms = [f"{letters}{digits}", f"{letters} {digits}", f"{letters} {digits[:3]}-{digits[3]}"]
        if cents:
            forms += [f"{cents}{letters}{digits}", f"{cents} {letters} {digits}", f"{cents}{letters}{digits}"]
    else:
        forms = [f"{letters}{digits}", f"{letters}{digits}", f"{letters} {digits}", f"{letters}{digits}".lower()]
    return rng.choice(forms)


def _ocr(rng: random.Random, p: Product) -> str:
    """The text OCR read from a box photo: clean, glyph twins (O for 0, l or I for 1), or mangled."""
    letters, digits = _split(p.number)
    d = list(digits)
    roll = rng.random()
    if 0.35 <= roll < 0.7:
        spots = [i for i, c in enumerate(d) if c in "01"]
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            d[i] = "O" if d[i] == "0" else rng.choice("lI")
    elif roll >= 0.7:
        spots = [i for i, c in enumerate(d) if c in "586"]
        if spots:
            i = rng.choice(spots)
            d[i] = {"5": "S", "8": "B", "6": "G"}[d[i]]
        else:
            del d[rng.randrange(len(d))]
    digits = "".join(d)
    if _old(p):
        digits = f"{digits[:-1]}-{digits[-1]}"
    if p.maker == "Hallmark":
        code = (p.cents if p.cents and rng.random() < 0.7 else "") + letters + digits
        text = f"HALLMARK Keepsake 0rnament {code} {'©' + str(p.year) if p.year else ''} HANDCRAFTED IN CHlNA"
    else:
        text = f"{p.maker.upper()} Item No. {letters}{digits} Made in {rng.choice(['Poland', 'China', 'Germany'])}"
    if p.barcode and rng.random() < 0.4:
        code = p.barcode
        if rng.random() < 0.4:  # one digit misread
            i = rng.randrange(len(code))
            code = code[:i] + str((int(code[i]) + rng.randint(1, 9)) % 10) + code[i + 1:]
        text += f" {code[0]} {code[1:6]} {code[6:11]} {code[11:]}"
    return " ".join(text.split())


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _titled(p: Product) -> str:
    """The name after the maker's, with the year when the name lacks it."""
    return f"{_bare(p)} {_year(p)}".strip()


def _short(rng: random.Random, p: Product) -> str:
    """A seller's name for it: a series piece as "Frosty Friends #9" now and then."""
    m = re.fullmatch(r"(.+) (\d+)(?:st|nd|rd|th) in Series", p.name)
    if m and rng.random() < 0.5:
        return rng.choice([f"{m[1]} #{m[2]}", f"{m[1]} {_nth(int(m[2]))} Series", m[1]])
    return _bare(p)


def _own(rng: random.Random, every: list[Product], make) -> str:
    """A shop's own id that is no maker's number (though shaped as one)."""
    numbers = {p.number for p in every}
    while True:
        own = make()
        bare = re.sub(r"[^A-Z0-9]", "", own.upper())
        if not any(n in bare for n in numbers):
            return own


def _local(price: Decimal, currency: str) -> Decimal:
    value = price * RATE[currency]
    if currency in ("VND", "IDR"):
        return (value / 1000).quantize(Decimal("1")) * 1000
    if currency == "THB":
        return (value / 10).quantize(Decimal("1")) * 10
    return value.quantize(Decimal("1")) - Decimal("0.10") if currency != "USD" else value.quantize(Decimal("0.01"))


def _dotted(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def _cross(rng: random.Random, p: Product, every: list[Product], k: int = 1) -> list[Product]:
    return _others(rng, p, every, k)


# --- the shops ---------------------------------------------------------------------------------------

def _resale(rng, p, every, price):
    own = _own(rng, every, lambda: str(rng.randint(4000000, 4999999)))
    cond = rng.choice(["NIB", "MIB", "NIB with price tag", "NRFB", "no box", "MIB, box has shelf wear",
                       "MIB, tag attached", "ornament mint, box worn", "out of box, displayed once"])
    boxed = "box" not in cond or "box has" in cond or "box worn" in cond
    club = p.number.startswith("QXC")
    parts = [str(p.year) if p.year else "", p.maker if rng.random() < 0.9 else "",
             "Keepsake" if p.maker == "Hallmark" and not club and rng.random() < 0.5 else "", _short(rng, p)]
    if club and rng.random() < 0.6:
        parts.append(rng.choice(["KOC", "Club Exclusive", "members only"]))
    if rng.random() < (0.55 if boxed else 0.25):
        parts.append(_typed(rng, p, typo=0.06))
    parts.append(cond.split(",")[0])
    lines = [rng.choice(["Comes from a smoke-free home.", "Pet-free, smoke-free home.", "From my personal collection.",
                         "Downsizing my collection!"])]
    lines.append(f"Condition: {cond}. " + rng.choice(["See photos.", "Please see photos for condition.",
                                                     "What you see is what you get, see photos!"]))
    if boxed and rng.random() < 0.3:
        lines.append(f"Number on box: {_typed(rng, p, typo=0.06)}")
    if boxed and rng.random() < 0.4:
        lines.append(f"Text in photos (auto-read): {_ocr(rng, p)}")
    if club:
        lines.append("Keepsake Ornament Club exclusive, available to members only that year.")
    if rng.random() < 0.3:
        o = _cross(rng, p, every)[0]
        lines.append(f"Check out my other listings: {o.year or ''} {o.name} {_typed(rng, o)}".replace("  ", " "))
    lines.append(f"Ships from {rng.choice(ZIPS)} within 1 business day. Item #{own}")
    return [{"vendor_product_id": own, "name": " ".join(x for x in parts if x), "description": "\n".join(lines),
             "brand": rng.choice([p.maker, p.maker, None]),
             "url": f"https://keepsakeresale.example/item/{own}",
             "image_urls": [f"https://img.keepsakeresale.example/{own}/{i}.jpg" for i in range(1, rng.randint(2, 6))]}]


def _norwegian(rng, p, every, price):
    own = _own(rng, every, lambda: str(rng.randint(300000, 399999)))
    lines = [f"Varenr.: {own}"]
    if rng.random() < 0.75:
        lines.append(f"Produsentens varenr.: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.55:
        lines.append(f"Strekkode: {p.barcode.zfill(13) if rng.random() < 0.7 else p.barcode}")
    lines.append(f"Årgang: {p.year}" if p.year else "Årgang: –")
    if rng.random() < 0.45:
        more = "Se også: " + ", ".join(f"{o.name} ({o.number})" for o in _cross(rng, p, every, 2))
        lines = [more] + lines if rng.random() < 0.4 else lines + [more]
    lines.append(NO_FOOT)
    kind = rng.choice(["julekule", "juletrepynt", "julepynt"])
    return [{"vendor_product_id": own, "sku": own, "name": f"{p.maker} {_titled(p)} – {kind}",
             "brand": p.maker, "gtin": p.barcode if rng.random() < 0.3 else None,
             "description": "<p>" + "</p><p>".join(html.escape(x) for x in lines) + "</p>",
             "url": f"https://julestua.example/produkt/{_slug(p.name)}-{own}", "price": _local(price, "NOK")}]


def _portuguese(rng, p, every, price):
    own = _own(rng, every, lambda: f"NT{rng.randint(1000, 9999)}")
    maker_ref = rng.random() < 0.6
    ref = _written(rng, p) if maker_ref else own
    lines = [f"Enfeite de Natal {p.maker}, {_bare(p)}" + (f", edição de {p.year}." if p.year else "."),
             f"Ref.ª: {ref}"]
    if not maker_ref and rng.random() < 0.4:
        lines.append(f"Ref.ª do fabricante: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Código EAN: {p.barcode.zfill(13)}")
    if rng.random() < 0.45:
        more = "Também pode gostar: " + " | ".join(f"{o.name} – Ref.ª {o.number}" for o in _cross(rng, p, every, 2))
        lines = lines[:1] + [more] + lines[1:] if rng.random() < 0.4 else lines + [more]
    lines.append(PT_FOOT)
    return [{"vendor_product_id": f"pt{rng.randint(10000, 99999)}", "sku": ref,
             "name": f"Enfeite de Natal {p.maker} {_bare(p)}" + (f" ({p.year})" if p.year else ""),
             "brand": rng.choice([p.maker, None]), "gtin": p.barcode if rng.random() < 0.25 else None,
             "description": "<br>".join(html.escape(x) for x in lines),
             "url": f"https://casadonatal.example/pt/produto/{_slug(p.name)}", "price": _local(price, "EUR")}]


def _greek(rng, p, every, price):
    own = _own(rng, every, lambda: str(rng.randint(10000, 49999)))
    lines = [f"Κωδικός: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Κωδικός κατασκευαστή: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.5:
        lines.append(f"Barcode: {p.barcode}")
    lines.append(f"Χρονιά: {p.year}" if p.year else "Χρονιά: –")
    if rng.random() < 0.4:
        o = _cross(rng, p, every)[0]
        more = f"Σχετικά προϊόντα: {o.name} (κωδ. {o.number})"
        lines = [more] + lines if rng.random() < 0.4 else lines + [more]
    lines.append(GR_FOOT)
    word = rng.choice(["Χριστουγεννιάτικο στολίδι", "Στολίδι", "Στολίδι δέντρου"])
    return [{"vendor_product_id": own, "sku": own, "name": f"{word} {p.maker} «{_titled(p)}»",
             "brand": p.maker, "description": "\n".join(lines),
             "url": f"https://stolidia.example/el/{own}", "price": _local(price, "EUR")}]


def _romanian(rng, p, every, price):
    own = _own(rng, every, lambda: f"10{rng.randint(10000, 99999)}")
    lines = [f"Cod produs: {own}"]
    if rng.random() < 0.7:
        lines.append(f"Cod producător: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"EAN: {p.barcode.zfill(13)}")
    if rng.random() < 0.4:
        more = "Produse similare: " + "; ".join(f"{o.name} ({o.number})" for o in _cross(rng, p, every, 2))
        lines = [more] + lines if rng.random() < 0.4 else lines + [more]
    lines.append(RO_FOOT)
    word = rng.choice(["Ornament brad", "Glob de Crăciun", "Decorațiune de Crăciun"])
    return [{"vendor_product_id": own, "sku": own, "name": f"{word} {p.maker} {_titled(p)}",
             "brand": rng.choice([p.maker, None]), "description": "<br/>".join(lines),
             "url": f"https://globuri-festive.example/{_slug(p.name)}-{own}.html", "price": _local(price, "RON")}]


def _glued(rng: random.Random, p: Product) -> str:
    written = _written(rng, p)
    if not written[0].isdigit() and not written.startswith("Q"):
        return written  # "KurtC7654" is not glued: the letter would run into the word
    return rng.choice([written, written, f"{p.maker.split()[0]}{written}", f"{written}{_slug(p.name)[:4]}"])


def _vietnamese(rng, p, every, price):
    own = _own(rng, every, lambda: f"J{rng.randint(1000, 9999)}")
    local = _local(price, "VND")
    words = ["[CHÍNH HÃNG]" if rng.random() < 0.6 else "[SẴN HÀNG]", "Đồ trang trí Noel", p.maker,
             "Keepsake" if p.maker == "Hallmark" else "", _titled(p)]
    if rng.random() < 0.65:
        words.insert(rng.choice([3, 5]), _glued(rng, p))
    if rng.random() < 0.3:
        words.append(f"giống {_cross(rng, p, every)[0].number}")
    words += rng.sample(["hàng Mỹ", "quà tặng Giáng Sinh", "trang trí cây thông", "cao cấp", "giá rẻ", "HCM",
                         "quà Noel"], 4)
    lines = [f"Mã SP: {own}", f"Giá: {_dotted(local)}₫"]
    if rng.random() < 0.2:
        lines.append(f"Mã nhà sản xuất: {_written(rng, p)}")
    lines += ["Xuất xứ: Mỹ, hàng xách tay, có hộp.", VN_FOOT]
    return [{"vendor_product_id": f"vn{rng.randint(10**9, 10**10)}", "sku": own,
             "name": " ".join(w for w in words if w), "description": "\n".join(lines),
             "url": f"https://sanhang.example/{_slug(p.name)}-i.{rng.randint(10**8, 10**9)}", "price": local}]


def _thai(rng, p, every, price):
    own = _own(rng, every, lambda: f"TH-{rng.randint(1000, 9999)}")
    local = _local(price, "THB")
    words = ["ของประดับต้นคริสต์มาส", p.maker, "Keepsake" if p.maker == "Hallmark" else "", _titled(p)]
    if rng.random() < 0.6:
        words.append(_glued(rng, p))
    words += ["ของแท้ 100%", "พร้อมส่ง", rng.choice(["🎄", "ส่งฟรี", "ของขวัญปีใหม่"])]
    lines = [f"รหัสสินค้า: {own}", f"ราคา ฿{int(local):,}"]
    if rng.random() < 0.3:
        lines.append(f"รหัสผู้ผลิต: {_written(rng, p)}")
    if p.barcode and rng.random() < 0.3:
        lines.append(f"บาร์โค้ด: {p.barcode}")
    if rng.random() < 0.35:
        o = _cross(rng, p, every)[0]
        lines.append(f"สินค้าที่คล้ายกัน: {o.name} {o.number}")
    lines.append(TH_FOOT)
    return [{"vendor_product_id": own, "sku": own, "name": " ".join(w for w in words if w),
             "description": "\n".join(lines), "url": f"https://khongkhwan.example/p/{own.lower()}", "price": local}]


def _indonesian(rng, p, every, price):
    own = _own(rng, every, lambda: f"{rng.choice('CJ')}{rng.randint(1000, 9999)}")
    local = _local(price, "IDR")
    words = ["Hiasan Natal", p.maker, "Keepsake" if p.maker == "Hallmark" else "", _titled(p)]
    if rng.random() < 0.55:
        words.append(_glued(rng, p))
    words += rng.sample(["ORIGINAL USA", "Ready Stock", "Murah", "Kado Natal", "Jakarta"], 2)
    lines = [f"Harga Rp {_dotted(local)}", f"Kode: {own}", "Kondisi: Baru, box lengkap" if rng.random() < 0.7
             else "Kondisi: Bekas, mulus, tanpa box", "Berat: 200 gram"]
    if rng.random() < 0.25:
        lines.append(f"No. produk di box: {_written(rng, p)}")
    if rng.random() < 0.35:
        lines.append("Lihat juga: " + ", ".join(f"{o.name} {o.number}" for o in _cross(rng, p, every, 2)))
    lines.append(ID_FOOT)
    return [{"vendor_product_id": f"id{rng.randint(10**8, 10**9)}", "sku": own, "name": " ".join(w for w in words if w),
             "description": "\n".join(lines), "url": f"https://pernakpernik.example/toko/{_slug(p.name)}",
             "price": local}]


def _closet(rng, p, every, price):
    short = _short(rng, p)
    name = rng.choice([f"{p.maker} {short} ornament", f"{p.maker} {short} {p.year or ''}".strip(),
                       f"Vintage {p.maker} {short}" if p.year and p.year < 2001 else f"{p.maker} {short} 🎄"])
    tags = " ".join(rng.sample(["#hallmark", "#keepsake", "#ornament", "#christmas", "#holidaydecor",
                                "#" + re.sub(r"\W", "", (p.series or p.maker).lower())], 4))
    lines = [f"Brand: {p.maker}", "Size: One size", f"Condition: {rng.choice(['New with tags', 'Like new', 'Good'])}"]
    if rng.random() < 0.2:
        lines.append(f"{_typed(rng, p, typo=0.05)} on the box")
    lines += [tags, rng.choice(["Bundle 3 items & save 15%!", "Bundle for 3 items and save", "Offers welcome 💕"])]
    own = _own(rng, every, lambda: f"{rng.getrandbits(96):024x}")
    return [{"vendor_product_id": own, "name": name, "description": "\n".join(lines),
             "brand": p.maker, "url": f"https://closetswap.example/listing/{_slug(name)}-{own}"}]


SHOPS = {  # vendor: (writer, currency, share of the products it carries)
    "us_keepsakeresale": (_resale, "USD", 0.55), "no_julestua": (_norwegian, "NOK", 0.42),
    "pt_casadonatal": (_portuguese, "EUR", 0.42), "gr_stolidia": (_greek, "EUR", 0.38),
    "ro_globurifestive": (_romanian, "RON", 0.38), "vn_sanhang": (_vietnamese, "VND", 0.36),
    "th_khongkhwan": (_thai, "THB", 0.26), "id_pernakpernik": (_indonesian, "IDR", 0.36),
    "us_closetswap": (_closet, "USD", 0.28)}
CURRENCY = {vendor: shop[1] for vendor, shop in SHOPS.items()} | {"us_clubswaplist": "USD"}


def _swaplist(rng: random.Random, every: list[Product]) -> list[dict]:
    """A club newsletter's swap list: one member's HAVE (one or several pieces) and WANT lines."""
    rows = []
    pool = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament"]
    issue = rng.choice(["Nov 2024", "Oct 2024", "Winter 2024"])
    for _ in range(rng.randint(12, 16)):
        member = rng.randint(1000, 9999)
        picked = rng.sample(pool, rng.choice([1, 1, 1, 2, 2, 3]))
        have = "; ".join(f"{p.year} {_short(rng, p)} {_typed(rng, p, typo=0.04) if rng.random() < 0.85 else ''} "
                         f"{rng.choice(['MIB', 'NB', 'no box', 'NIB', 'box fair'])} ${rng.randint(8, 60)}"
                         for p in picked)
        wanted = rng.sample([p for p in pool if p.number not in {q.number for q in picked}], rng.randint(0, 3))
        lines = [f"Member #{member} HAVE: {have}"]
        if wanted:
            lines.append("WANT: " + ", ".join(f"{w.year} {_short(rng, w)} {_typed(rng, w)}" for w in wanted))
        lines.append(SWAP_FOOT)
        truth = picked[0].key if len(picked) == 1 else "lot-" + "-".join(sorted(p.key for p in picked))
        title = (f"Swap list {issue}: member #{member}, {len(picked)} pieces" if len(picked) > 1
                 else f"Swap list {issue}: {picked[0].year} {picked[0].name}")
        rows.append({"vendor": "us_clubswaplist", "vendor_product_id": f"swap-{member}", "truth": truth,
                     "name": title, "description": "\n".join(" ".join(x.split()) for x in lines),
                     "price": Decimal(rng.randint(8, 60))})
    return rows


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """Empty boxes, lots and bundles, copies, and the accessories naming the pieces they fit."""
    rows = []
    hallmark = [p for p in every if p.maker == "Hallmark" and p.kind == "ornament"]
    runs = [p for p in hallmark if p.series in SERIES]
    for target in rng.sample(runs, 2):  # an empty box
        rows.append({"vendor": "us_keepsakeresale", "vendor_product_id": str(rng.randint(5000000, 5999999)),
                     "truth": "box-" + target.key, "brand": "Hallmark",
                     "name": f"EMPTY BOX ONLY {target.year} Hallmark {_short(rng, target)} {_typed(rng, target)}",
                     "description": "Box only, NO ornament! For collectors who need a replacement box. See photos."})
    series = rng.choice(sorted({p.series for p in runs if sum(q.series == p.series for q in runs) >= 2}))
    lot = [p for p in runs if p.series == series][:3]
    rows.append({"vendor": "us_keepsakeresale", "vendor_product_id": str(rng.randint(5000000, 5999999)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in lot)), "brand": "Hallmark",
                 "name": f"Lot of {len(lot)} Hallmark {series} " + " ".join(str(p.year) for p in lot),
                 "description": "\n".join(f"{p.year} {p.name} {_typed(rng, p)}" for p in lot) + "\nAll MIB."})
    bundle = rng.sample(hallmark, 3)
    rows.append({"vendor": "us_closetswap", "vendor_product_id": f"{rng.getrandbits(96):024x}",
                 "truth": "lot-" + "-".join(sorted(p.key for p in bundle)),
                 "name": f"Bundle for @{rng.choice(['kat_r', 'ornamentmom', 'xmas4ever'])}: 3 Hallmark ornaments",
                 "description": "\n".join(f"{p.name} {p.year}" for p in bundle) + "\nSize: One size #bundle"})
    modern = [p for p in hallmark if p.year and p.year >= 2019]
    copied = rng.sample(modern, 2)
    rows.append({"vendor": "us_closetswap", "vendor_product_id": f"{rng.getrandbits(96):024x}",
                 "truth": "copy-" + copied[0].key, "name": f"Handmade felt {copied[0].name} ornament",
                 "description": f"Handmade by me, inspired by Hallmark's {copied[0].name} ({copied[0].number}). "
                                "Not a Hallmark product.\nSize: One size #handmade #feltornament"})
    rows.append({"vendor": "id_pernakpernik", "vendor_product_id": f"id{rng.randint(10**8, 10**9)}",
                 "truth": "copy-" + copied[1].key,
                 "name": f"Hiasan Natal Replika KW Super mirip Hallmark {copied[1].name} {copied[1].number}",
                 "description": f"Replika, BUKAN original. Model seperti Hallmark {copied[1].number}.\n{ID_FOOT}"})
    radko = rng.choice([p for p in every if p.maker == "Christopher Radko"])
    rows.append({"vendor": "th_khongkhwan", "vendor_product_id": f"TH-{rng.randint(1000, 9999)}",
                 "truth": "copy-" + radko.key,
                 "name": f"ลูกบอลแก้วสไตล์ {radko.name} {radko.number} (งานก๊อป ไม่ใช่ของแท้)",
                 "description": f"งานเลียนแบบ ไม่ใช่ Christopher Radko ของแท้\n{TH_FOOT}"})
    stand = next(p for p in every if p.kind == "stand")
    fits = rng.sample(runs, 2)
    rows.append({"vendor": "us_keepsakeresale", "vendor_product_id": str(rng.randint(5000000, 5999999)),
                 "truth": stand.key, "brand": "Hallmark", "name": "Hallmark Keepsake 3-tier ornament display stand",
                 "description": f"Holds 12. Shown with {fits[0].year} {fits[0].name} {_typed(rng, fits[0])} and "
                                f"{fits[1].name} {_typed(rng, fits[1])} (NOT included). Stand # {stand.number}."})
    rows.append({"vendor": "no_julestua", "vendor_product_id": str(rng.randint(400000, 499999)),
                 "truth": stand.key, "brand": "Hallmark", "name": "Hallmark Keepsake ornamentstativ, tre etasjer",
                 "description": f"<p>Passer til f.eks. {fits[0].name} ({fits[0].number}).</p><p>{NO_FOOT}</p>"})
    cord = next(p for p in every if p.kind == "accessory")
    magic = [p for p in every if p.number.startswith(("QXR", "QLX"))]
    rows.append({"vendor": "pt_casadonatal", "vendor_product_id": f"pt{rng.randint(10000, 99999)}", "truth": cord.key,
                 "sku": cord.number, "brand": "Hallmark", "name": "Cabo de alimentação Hallmark Keepsake Magic",
                 "description": f"Ref.ª: {cord.number}<br>Compatível com {magic[0].name} (Ref.ª {magic[0].number})"
                                f" e {magic[1].name}.<br>{PT_FOOT}"})
    rows.append({"vendor": "ro_globurifestive", "vendor_product_id": f"10{rng.randint(10000, 99999)}",
                 "truth": cord.key, "brand": "Hallmark", "name": "Cablu alimentare Hallmark Keepsake Magic",
                 "description": f"Pentru ornamentele Magic, de ex. {magic[-1].name} ({magic[-1].number})."
                                f"<br/>{RO_FOOT}"})
    box = next(p for p in every if p.kind == "storage")
    rows.append({"vendor": "gr_stolidia", "vendor_product_id": str(rng.randint(50000, 59999)), "truth": box.key,
                 "brand": "Hallmark", "name": "Κουτί αποθήκευσης Hallmark Keepsake για 24 στολίδια",
                 "description": f"Κωδικός κατασκευαστή: {box.number}\nΚατάλληλο π.χ. για {fits[1].name} "
                                f"(κωδ. {fits[1].number}).\n{GR_FOOT}"})
    return rows


# --- what a person sees ------------------------------------------------------------------------------



@lru_cache(maxsize=None)
def _pattern(number: str) -> re.Pattern:
    """The number as a person reads it: separators inside ignored, O for 0 and l or I for 1 read through."""
    twins = {"0": "[0Oo]", "1": "[1lI]"}
    body = r"[\s.\-]?".join(twins.get(c, re.escape(c)) for c in number)
    if number.isdigit():
        return re.compile(rf"(?<!\d){body}(?!\d)")  # whole digit groups ("2024 28287" shows 28287)
    before = "" if number.startswith("Q") else r"(?<![A-Za-z0-9])"
    return re.compile(rf"{before}{body}(?!\d)", re.I)


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    texts = [plain(row.get(f)) for f in ("sku", "name", "description", "url")]
    texts += [plain(u) for u in row.get("image_urls", [])]
    real = len(re.sub(r"\D", "", p.number))
    for text in texts:
        if any(2 * sum(c.isdigit() for c in m.group()) >= real for m in _pattern(p.number).finditer(text)):
            return True
    if not p.barcode:
        return False
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") == p.barcode.lstrip("0") for r in runs)


def listings(seed: int = 12) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    rows: list[dict] = []
    for vendor, (write, _, share) in SHOPS.items():
        share += rng.uniform(-0.06, 0.06)  # which shop carries what varies with the seed
        for p in every:
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = Decimal(rng.randint(1299, 6999 if p.year and p.year < 2001 else 4999)) / 100
            for row in write(rng, p, every, price):
                row.setdefault("price", price)
                row.update(vendor=vendor, truth=p.key)
                if p.year and rng.random() < 0.3:
                    row["release_year"] = p.year
                rows.append(row)
    rows += _swaplist(rng, every)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, CURRENCY.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
