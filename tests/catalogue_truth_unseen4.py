"""A fifth truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the four earlier catalogues do not cover:

- a Japanese reseller (Rakuten/Yahoo-like): katakana names, full-width characters ("ＱＸ９２０１",
  "２０２３年"), "品番：", "型番：", "メーカー品番：", "JANコード：" (the UPC as a 13-digit JAN, sometimes in
  full-width digits), "【新品】", "並行輸入品", the shop's item code often being the number in lower case,
  yen prices without decimals;
- a Spanish shop (PrestaShop-like): "Referencia:", "Ref. fabricante:", "Cód. fabricante:", "EAN13:",
  "Código EAN:", "Adorno navideño", "También te puede gustar";
- an Italian shop: the shop's own numeric "Codice articolo" beside "Cod. produttore:", "Codice produttore",
  "Codice EAN:", "Pallina di Natale", "Potrebbe interessarti anche", Thun's codes (S2851A82);
- a Polish shop: "Nr katalogowy:", "Kod producenta:", "Symbol:", "Kod EAN:", "Bombka", PLN, the Polish
  glass maker's own codes and EAN-13s (590…);
- a Danish shop: "Varenr." (the shop's), "Producentens varenr.", "Artikelnr.", "EAN-nummer:", "Stregkode:",
  Georg Jensen's eight-digit numbers and the annual Christmas ball of three consecutive years, DKK;
- a Canadian Squarespace shop, bilingual ("Item No. / N° d'article :", "UPC / CUP :", "Dated / Daté"), the
  number often only in the URL slug (/shop/p/…-qx9201) or the image file name, CAD;
- a WooCommerce shop: HTML entities in names ("&#8211;", "&amp;", "&#8220;"), the number only in an
  "Additional information" attribute line or the upload's file name, en-dashes, NBSPs and zero-width
  spaces inside numbers ("QX–9201", "QX\u00a09201", "QX\u200b9201"), "QX_9201", "QX/9201", "Q X 9201";
- a Mercari/Poshmark-like second-hand seller: short titles, "NIB", "MIB", "'98", numbers at the end after
  "#", the letter O for a zero ("QX92O1"), hashtags, lots of five, "choose one" listings, an empty box, a
  greeting card, a custom painted copy;
- a Walmart-marketplace-like feed: the UPC (or its GTIN-14) in the gtin field, seller skus that wrap the
  number in the seller's own prefix or suffix ("HMK-QX9201-NEW", "SS2023QX9201", "QX9201_NEW_US",
  "ORN-0763795…"), long keyword names, "Key Features" bullets, "Manufacturer Part Number".

Traps: Frosty Friends, Snow Buddies, Nostalgic Houses, Baby's First Christmas, Here Comes Santa, Rocking
Horse, Georg Jensen's and Thun's annual balls in consecutive years with other numbers; a Magic (QXR, QLX)
and a plain piece of one name and year; a club repaint; a miniature; a number Hallmark used in 1996 and
again in 2016; a custom painted copy naming the piece's number; lots of five naming five numbers; "choose
one" listings naming several; an empty box and a greeting card naming a number; cross-sells in eight
languages naming other numbers.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item
number or barcode (after NFKC, HTML entities, separators and a letter O for a zero). Boxes, cards, copies,
lots and choices have no number of their own. This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen4` prints its size."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from tests.catalogue_truth import as_stored, with_check as _check, nth as _nth, shown, summary  # noqa: F401 (shown: the tests read it from here)


@dataclass(frozen=True)
class Product:
    key: str
    maker: str
    number: str | None  # the maker's item number: QX9201, 10019066, S2851A82, KF2318; None for what has none
    name: str
    year: int | None  # None: not year-dated
    upc: str | None = None  # UPC-12 (Hallmark, Kurt Adler, Old World Christmas)
    ean: str | None = None  # EAN-13 (Georg Jensen, Thun, Komozja)
    kind: str = "ornament"  # or box, card, custom


MAKERS = {"Hallmark": ["Hallmark", "Hallmark Keepsake", "HALLMARK", "Hallmark Keepsake Ornaments"],
          "Georg Jensen": ["Georg Jensen", "GEORG JENSEN", "Georg Jensen A/S"],
          "Thun": ["Thun", "THUN", "Thun S.p.A."],
          "Komozja Family": ["Komozja Family", "Komozja", "KOMOZJA"],
          "Kurt Adler": ["Kurt Adler", "Kurt S. Adler", "KURT ADLER"],
          "Old World Christmas": ["Old World Christmas", "OWC", "Old World Christmas Inc."]}
SHORT = {"Hallmark": "Hallmark", "Georg Jensen": "Georg Jensen", "Thun": "Thun", "Komozja Family": "Komozja",
         "Kurt Adler": "Kurt Adler", "Old World Christmas": "OWC"}
JP_MAKERS = {"Hallmark": "ホールマーク", "Georg Jensen": "ジョージ ジェンセン", "Kurt Adler": "カートアドラー",
             "Old World Christmas": "オールドワールドクリスマス", "Thun": "トゥーン", "Komozja Family": "コモジャ"}
JP_WORDS = {"Frosty Friends": "フロスティフレンズ", "Snow Buddies": "スノーバディーズ",
            "Nostalgic Houses and Shops": "ノスタルジックハウス＆ショップ", "Baby's First Christmas": "ベビーズファーストクリスマス",
            "Here Comes Santa": "ヒアカムズサンタ", "Rocking Horse": "ロッキングホース", "Star Wars": "スター・ウォーズ",
            "Disney": "ディズニー", "Christmas Ball": "クリスマスボール", "Christmas Heart": "クリスマスハート",
            "Magic": "マジック（ライト＆サウンド）", "Miniature": "ミニチュア", "Club Repaint": "クラブ限定リペイント"}
MODERN = ["Cozy Christmas Cabin", "Peppermint Penguin", "Sleigh Bell Express", "Gingerbread Bakery",
          "Santa's Mailbox", "Jingle Bell Kitten", "Holiday Hot Cocoa", "Merry Moose", "Owl in a Scarf",
          "Toy Train Depot", "Snowflake Ballerina", "Christmas Cardinal", "Skating Hedgehog", "Candy Cane Lane",
          "Teddy Bear Toymaker", "North Pole Post Office"]
LICENSED = [("QXI", "Star Wars Darth Vader"), ("QXI", "Star Wars Grogu"), ("QXI", "Marvel Spider-Man"),
            ("QXI", "Barbie Dreamhouse"), ("QXI", "Harry Potter Hedwig"), ("QXD", "Disney Mickey and Minnie"),
            ("QXD", "Disney Encanto Casita"), ("QXE", "Peanuts Snoopy's Doghouse")]
VINTAGE = ["Santa's Hot Tub", "Christmas Kitten", "Jolly Dolphin", "Mouse in a Stocking", "Heavenly Trumpeter",
           "Victorian Toy Box", "Baby Bear Sleigh", "Festive Brass Church", "Porcelain Snowman", "Polar Pair"]
OTHERS = {"Thun": ["Angelo custode con cuore", "Renna in ceramica", "Babbo Natale con sacco"],
          "Komozja Family": ["Bombka Mikołaj z prezentami", "Bombka Sowa", "Bombka Pierniczek",
                             "Bombka Wilanów", "Bombka Sanie"],
          "Kurt Adler": ["Nutcracker Soldier Glass", "Santa on Motorcycle", "Polonaise Firebird",
                         "Hollywood Nutcracker Elf", "Fabriché Santa with Tree"],
          "Old World Christmas": ["Christmas Pickle", "Pinecone Gnome", "Glass Hot Air Balloon", "Cardinal on Branch",
                                  "Vintage Camper"]}




def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str) -> str:
        return {"Hallmark": lambda: f"{prefix}{rng.randint(1000, 9999)}",
                "Georg Jensen": lambda: f"1001{rng.randint(1000, 9999)}",
                "Thun": lambda: f"S{rng.randint(1000, 9999)}A{rng.randint(10, 99)}",
                "Komozja Family": lambda: f"KF{rng.randint(1000, 9999)}",
                "Kurt Adler": lambda: f"{rng.choice('CJT')}{rng.randint(1000, 9999)}",
                "Old World Christmas": lambda: f"{rng.randint(10000, 99999)}"}[maker]()

    def add(maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.75) -> Product:
        while kind == "ornament" and (number is None or number in used):
            number = number_of(maker, prefix)
        if number:
            used.add(number)
        upc = ean = None
        if kind == "ornament" and maker in ("Hallmark", "Kurt Adler", "Old World Christmas") \
                and (year or 2020) >= 1995 and rng.random() < barcode:
            upc = _check({"Hallmark": "763795", "Kurt Adler": "086131", "Old World Christmas": "027978"}[maker]
                         + f"{rng.randint(0, 99999):05d}")
        elif kind == "ornament" and maker in ("Georg Jensen", "Thun", "Komozja Family") and rng.random() < 0.85:
            ean = _check({"Georg Jensen": "5705140", "Thun": "8059640", "Komozja Family": "5904237"}[maker]
                         + f"{rng.randint(0, 99999):05d}")
        made.append(Product(f"p{len(made)}", maker, number, name, year, upc, ean, kind))
        return made[-1]

    for series, start, years in [("Frosty Friends", 1980, range(2019, 2024)), ("Snow Buddies", 1998, range(2020, 2023)),
                                 ("Nostalgic Houses and Shops", 1984, range(2020, 2023)),
                                 ("Beauty of Birds", 2005, range(2021, 2024)),
                                 ("Here Comes Santa", 1979, range(1996, 2000)), ("Rocking Horse", 1981, range(1994, 1997))]:
        for year in years:
            add("Hallmark", f"{series} {_nth(year - start + 1)} in Series", year)
    ff2021 = next(p for p in made if p.year == 2021)
    add("Hallmark", f"{ff2021.name} Magic", 2021, prefix="QXR")
    add("Hallmark", f"Miniature {ff2021.name}", 2021, prefix="QXM")
    add("Hallmark", f"{ff2021.name} Club Repaint", 2021, prefix="QXC")
    for year in (2021, 2022, 2023):
        add("Hallmark", "Baby's First Christmas", year, prefix=rng.choice(["QX", "QXG"]))
    for prefix, name in LICENSED:
        add("Hallmark", name, rng.randint(2019, 2023), prefix=prefix)
    for name in MODERN:
        add("Hallmark", name, rng.randint(2019, 2023))
    add("Hallmark", "Santa's Showboat", 1997)
    add("Hallmark", "Santa's Showboat Magic", 1997, prefix="QLX")
    for name in VINTAGE:
        add("Hallmark", name, rng.randint(1988, 1999), prefix=rng.choice(["QX", "QX", "QX", "QXM", "QLX"]))
    old = add("Hallmark", "Christmas Owl", 1996)
    add("Hallmark", "Woodland Owl Family", 2016, number=old.number)  # Hallmark used the number again
    for year in (2021, 2022, 2023):  # the same name every year, each its own number and EAN
        add("Georg Jensen", f"Christmas Ball {year}", year)
    for year in (2022, 2023):
        add("Georg Jensen", f"Christmas Heart {year}", year)
    for year in (2022, 2023):
        add("Thun", f"Pallina di Natale {year}", year)
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, None)
    ff2022 = next(p for p in made if p.year == 2022 and p.name.startswith("Frosty"))
    add("Hallmark", f"Empty Box for {ff2022.name}", 2022, kind="box")
    add("Hallmark", "Frosty Friends Greeting Card", 2021, kind="card")
    add("Hallmark", "Custom Painted Baby's First Christmas", 2022, kind="custom")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _wide(text: str) -> str:
    """Full-width forms of ASCII letters and digits, as Japanese shops type them."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _split(number: str) -> tuple[str, str]:
    m = re.fullmatch(r"([A-Z]*)(\d+)(.*)", number)
    return (m[1], m[2] + m[3]) if m else ("", number)


def _written(rng: random.Random, p: Product, quirks: float = 0.0) -> str:
    """The number as a seller types it; with `quirks`, the Unicode and keyboard accidents of real pages."""
    if p.maker != "Hallmark":
        return rng.choice([p.number, p.number, p.number.lower() if not p.number.isdigit() else p.number])
    letters, digits = _split(p.number)
    forms = [p.number, p.number, f"{letters} {digits}", p.number.lower(), f"{letters}-{digits}"]
    if p.year and p.year < 2000:
        forms += [f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}"]
    if rng.random() < quirks:
        forms = [f"{letters}\u2013{digits}", f"{letters}\u00a0{digits}", f"{letters}\u200b{digits}",
                 f"{letters}_{digits}", f"{letters}/{digits}", " ".join(letters) + f" {digits}"]
    return rng.choice(forms)


def _barcode(rng: random.Random, p: Product, thirteen: float = 0.5) -> str | None:
    if p.ean:
        return p.ean
    return ("0" + p.upc if rng.random() < thirteen else p.upc) if p.upc else None


def _others(rng: random.Random, p: Product, every: list[Product]) -> Product:
    near = [o for o in every if o.number and o.number != p.number and o.kind == "ornament"
            and o.maker == p.maker and (o.name.split()[0] == p.name.split()[0] or o.year == p.year)]
    return rng.choice(near or [o for o in every if o.number and o.number != p.number and o.kind == "ornament"])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _maker(p: Product) -> str:
    return "Hallmark Keepsake" if p.maker == "Hallmark" else p.maker


def _decimal(price: Decimal, sign: str) -> str:
    return f"{price:.2f}".replace(".", ",") + f"\u00a0{sign}"


def _jp(p: Product) -> str:
    name = p.name
    series = re.match(r"(.+?) (\d+)\w\w in Series(.*)", name)
    if series:
        name = f"{series[1]} シリーズ第{series[2]}弾{series[3]}"
    for english, katakana in JP_WORDS.items():
        name = name.replace(english, katakana)
    return name


# --- shops: each writes the listings (usually one) of product p, prices in its currency -----------

def _japanese(rng, p, every, price):
    code = p.number.lower() if p.number and rng.random() < 0.5 else f"hm-{rng.randint(100000, 999999)}"
    shown_number = rng.random() < 0.8
    number = _wide(p.number) if rng.random() < 0.5 else _written(rng, p)
    year = (_wide(str(p.year)) if rng.random() < 0.5 else str(p.year)) + "年" if p.year else ""
    name = rng.choice([f"【新品】{JP_MAKERS[p.maker]} オーナメント {year} {_jp(p)}",
                       f"{JP_MAKERS[p.maker]} キーパー オーナメント {_jp(p)} {year} {p.maker} 並行輸入品",
                       f"{p.maker} {p.name} {JP_MAKERS[p.maker]} クリスマス オーナメント"])
    if shown_number and rng.random() < 0.4:
        name += f" {number}"
    lines = [f"商品名：{p.maker} {p.name}", f"ブランド：{p.maker}（{JP_MAKERS[p.maker]}）"]
    if p.year:
        lines.append(f"発売年：{year}")
    if shown_number:
        lines.append(f"{rng.choice(['品番：', '型番：', 'メーカー品番：', '品番:', '商品番号：'])}{number}")
    jan = _barcode(rng, p, thirteen=0.9)
    if jan and rng.random() < 0.5:
        lines.append(f"JANコード：{_wide(jan) if rng.random() < 0.3 else jan}")
    lines.append("サイズ：約" + _wide(str(rng.randint(5, 12))) + "cm")
    lines.append("※輸入品のため、外箱に多少のキズ・へこみがある場合がございます。")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"関連商品：{_jp(other)} {other.number}")
    return [{"vendor_product_id": code, "sku": code if rng.random() < 0.5 else None,
             "gtin": jan if jan and rng.random() < 0.4 else None,
             "brand": rng.choice([p.maker, JP_MAKERS[p.maker], f"{p.maker.upper()}({JP_MAKERS[p.maker]})"]),
             "name": name, "description": "\n".join(lines), "category": "インテリア・寝具・収納 > クリスマス用品 > オーナメント",
             "url": f"https://item.rakuten.example/kirakira-xmas/{code}/"}]


def _spanish(rng, p, every, price):
    own = str(rng.randint(100, 9999))
    lines = [f"Adorno de colección {_maker(p)}: {p.name}."]
    if p.year:
        lines.append(f"Año: {p.year}. Adorno fechado.")
    if rng.random() < 0.75:
        label = rng.choice(["Referencia:", "Ref.:", "Ref. fabricante:", "Cód. fabricante:", "Código del fabricante:",
                            "Referencia del fabricante:"])
        lines.append(f"{label} {_written(rng, p)}")
    code = _barcode(rng, p)
    if code and rng.random() < 0.45:
        lines.append(f"{rng.choice(['EAN13:', 'Código EAN:', 'EAN:'])} {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"También te puede gustar: {other.name} (Ref. {other.number})")
    lines.append(f"Precio: {_decimal(price, '€')} IVA incluido. Envío en 24/48 h.")
    return [{"vendor_product_id": own, "sku": rng.choice([p.number, f"NAV-{own}", f"HK{p.number}", None]),
             "gtin": code if code and rng.random() < 0.5 else None, "brand": rng.choice(MAKERS[p.maker] + [None]),
             "name": rng.choice([f"Adorno navideño {p.maker} {p.name} {p.year or ''}",
                                 f"Bola de Navidad {p.name} \u2013 {_maker(p)}", f"{p.name} ({p.year or 'sin fecha'}) | {p.maker}"]),
             "description": "\n".join(lines), "url": f"https://tiendanavidad.example/adornos/{own}-{_slug(p.name)}.html"}]


def _italian(rng, p, every, price):
    own = str(rng.randint(10000, 99999))
    lines = [f"Decorazione natalizia {_maker(p)} \u2013 {p.name}.", f"Codice articolo: {own}"]
    if p.year:
        lines.append(f"Anno: {p.year}")
    if rng.random() < 0.75:
        label = rng.choice(["Cod. produttore:", "Codice produttore:", "Cod. art. produttore:", "Codice fornitore:",
                            "Codice prodotto:"])
        lines.append(f"{label} {_written(rng, p)}")
    code = _barcode(rng, p)
    if code and rng.random() < 0.45:
        lines.append(f"{rng.choice(['Codice EAN:', 'Cod. EAN:', 'EAN:'])} {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"Potrebbe interessarti anche: {other.name} - cod. {other.number}")
    lines.append(f"Prezzo: {_decimal(price, '€')} IVA inclusa")
    return [{"vendor_product_id": own, "sku": rng.choice([own, f"IT{own}", p.number]),
             "gtin": code if code and rng.random() < 0.5 else None, "brand": rng.choice(MAKERS[p.maker]),
             "name": rng.choice([f"Decorazione {p.maker} {p.name} {p.year or ''}",
                                 f"Pallina di Natale {p.name} - {_maker(p)}" if "Pallina" not in p.name else p.name,
                                 f"{p.name} - Addobbo per albero {_maker(p)}"]),
             "description": "\n".join(lines), "category": "Addobbi natalizi",
             "url": f"https://addobbiditalia.example/{_slug(p.name)}.html"}]


def _polish(rng, p, every, price):
    own = str(rng.randint(1000, 9999))
    lines = [f"Ozdoba choinkowa {_maker(p)}: {p.name}."]
    if p.year:
        lines.append(f"Rok: {p.year}")
    if rng.random() < 0.75:
        lines.append(f"{rng.choice(['Nr katalogowy:', 'Kod producenta:', 'Symbol:', 'Nr kat.'])} {_written(rng, p)}")
    code = _barcode(rng, p)
    if code and rng.random() < 0.45:
        lines.append(f"{rng.choice(['Kod EAN:', 'EAN:', 'Kod kreskowy:'])} {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"Zobacz także: {other.name} ({other.number})")
    lines.append(f"Cena: {_decimal(price, 'zł')} brutto")
    bombka = "Bombka" if not p.name.startswith("Bombka") else ""
    return [{"vendor_product_id": own, "sku": rng.choice([f"BMB-{own}", p.number, None]),
             "gtin": code if code and rng.random() < 0.5 else None, "brand": rng.choice(MAKERS[p.maker]),
             "name": rng.choice([f"{bombka} {p.maker} {p.name} {p.year or ''}", f"Ozdoba choinkowa {p.name} \u2013 {p.maker}"]),
             "description": "\n".join(lines), "url": f"https://bombkowo.example/pl/p/{_slug(p.name)}/{own}"}]


def _danish(rng, p, every, price):
    own = str(rng.randint(100000, 999999))
    lines = [f"{_maker(p)} juleophæng: {p.name}.", f"Varenr.: {own}"]
    if p.year:
        lines.append(f"Årgang: {p.year}")
    if rng.random() < 0.75:
        label = rng.choice(["Producentens varenr.:", "Producent varenummer:", "Artikelnr.:", "Model:", "Varenummer:"])
        lines.append(f"{label} {_written(rng, p)}")
    code = _barcode(rng, p)
    if code and rng.random() < 0.45:
        lines.append(f"{rng.choice(['EAN-nummer:', 'Stregkode:', 'EAN:'])} {code}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)
        lines.append(f"Se også: {other.name} (varenr. {other.number})")
    lines.append(f"Pris: {_decimal(price, 'kr.')} inkl. moms")
    return [{"vendor_product_id": own, "sku": rng.choice([own, own, p.number]),
             "gtin": code if code and rng.random() < 0.5 else None, "brand": rng.choice(MAKERS[p.maker]),
             "name": rng.choice([f"{p.maker} juleophæng {p.name} {p.year or ''}", f"{p.name} \u2013 {p.maker}",
                                 f"{p.maker} {p.name}"]),
             "description": "\n".join(lines), "url": f"https://julehuset.example/produkt/{_slug(p.name)}-{own}"}]


def _canadian(rng, p, every, price):
    """A Squarespace shop: bilingual text, the number often only in the slug or the image's file name."""
    own = f"{rng.randint(10 ** 23, 10 ** 24 - 1):x}"[:24]
    number = _written(rng, p)
    lines = [f"{p.name} by {p.maker}. / {p.name} par {p.maker}."]
    if p.year:
        lines.append(f"Dated {p.year} / Daté {p.year}")
    if rng.random() < 0.35:
        lines.append(f"{rng.choice(['Item No. / N° d’article :', 'Model # / N° de modèle :', 'Item # / Article n° :'])} {number}")
    if p.upc and rng.random() < 0.3:
        lines.append(f"UPC / CUP : {p.upc}")
    if rng.random() < 0.2:
        other = _others(rng, p, every)
        lines.append(f"You may also like / Vous aimerez aussi : {other.name} {other.number}")
    lines.append("Ships from Ontario / Expédié de l’Ontario")
    slug = _slug(f"{p.name} {p.year or ''}") + (f"-{p.number.lower()}" if rng.random() < 0.45 else "")
    image = rng.choice([f"{p.number}.jpg", f"{p.number}_front.jpg", f"{_slug(p.name)}.jpg", f"IMG_{rng.randint(1000, 9999)}.JPG"])
    return [{"vendor_product_id": own, "sku": rng.choice([f"SQ{rng.randint(1000000, 9999999)}", f"SQ{rng.randint(1000000, 9999999)}", p.number]),
             "brand": None, "description": "\n".join(lines),
             "name": rng.choice([f"{p.name} {p.year or ''} / {p.name} (décoration)", f"{p.maker} {p.name}",
                                 f"{p.name} Ornament | Décoration {p.year or ''}"]),
             "image_urls": [f"https://images.squarespace-cdn.example/content/v1/5f1a2b3c/{rng.randint(10 ** 12, 10 ** 13)}/{image}?format=1000w"],
             "url": f"https://maplelaneornaments.example/shop/p/{slug}"}]


def _woo(rng, p, every, price):
    own = str(rng.randint(100, 9999))
    name = rng.choice([f"{p.name} &#8211; {p.year or 'Undated'}", f"{_maker(p)} &#8220;{p.name}&#8221;",
                       f"{p.maker} {p.name} Ornament", f"{p.name.replace(' and ', ' &amp; ')} &#8211; {p.maker}"])
    place = rng.choice(["attribute", "attribute", "image", "slug", "text", "none"])
    number = _written(rng, p, quirks=0.5)
    lines = [f"{p.name}, a {p.maker} Christmas ornament." + (f" Dated {p.year}." if p.year else "")]
    if place == "text":
        lines.append(rng.choice([f"Item number: {number}", f"This is {p.maker} ornament {number}.",
                                 f"Keepsake #{number}"]))
    if rng.random() < 0.2:
        other = _others(rng, p, every)
        lines.append(f"Pairs beautifully with {other.name} ({other.number}).")
    lines += ["Additional information", f"Weight\t0.{rng.randint(1, 9)} lbs", f"Brand\t{p.maker}"]
    if place == "attribute":
        lines.append(f"{rng.choice(['Item Number', 'Model', 'Manufacturer Number', 'Style'])}\t{number}")
    if p.year:
        lines.append(f"Year\t{p.year}")
    if p.upc and rng.random() < 0.2:
        lines.append(f"UPC\t{p.upc}")
    year = max(p.year or 0, rng.randint(2019, 2024))  # the upload's month, not the ornament's year
    image = f"{p.number}-1-scaled.jpg" if place == "image" else rng.choice([f"IMG_{rng.randint(1000, 9999)}.jpeg",
                                                                          f"{_slug(p.name)}-scaled.jpg"])
    slug = _slug(f"{p.maker} {p.name} {p.year or ''}") + (f"-{p.number.lower()}" if place == "slug" else "")
    return [{"vendor_product_id": own, "sku": rng.choice([f"HB-{own}", None, None]), "name": name,
             "brand": rng.choice([None, p.maker]), "description": "\n".join(lines),
             "image_urls": [f"https://hollyberryhome.example/wp-content/uploads/{year}/{rng.randint(1, 12):02d}/{image}"],
             "url": f"https://hollyberryhome.example/product/{slug}/"}]


def _secondhand(rng, p, every, price):
    """Mercari/Poshmark-like: forty-odd characters of title, the number at its end, shorthand."""
    own = "m" + str(rng.randint(10 ** 10, 10 ** 11 - 1))
    number = _written(rng, p, quirks=0.2)
    if p.maker == "Hallmark" and rng.random() < 0.2:
        letters, digits = _split(p.number)
        number = letters + digits.replace("0", "O")  # typed with the letter O
    yy = f"'{p.year % 100:02d}" if p.year else ""
    state = rng.choice(["NIB", "MIB", "NWT", "", "New", "EUC"])
    short = p.name.replace(" in Series", "").replace("Baby's First Christmas", "Baby's 1st Xmas")
    maker = SHORT[p.maker]
    title = rng.choice([f"{maker} {short} {p.year or ''} {state}", f"{yy} {maker} {short} {state}",
                        f"{maker} {'keepsake ' if maker == 'Hallmark' else ''}{short.lower()} {state}"])
    place = rng.choice(["title", "title", "text", "text", "none"])
    if place == "title":
        title += rng.choice([f" #{number}", f" {number}", f" - {number}"])
    text = [rng.choice(["New in box, never displayed.", "Box has shelf wear, ornament is perfect.",
                        "No box.", "Great condition. Smoke free home."])]
    if place == "text":
        text.append(rng.choice([f"#{number}", f"Number on box {number}", f"Item {number}", f"{number} on tag"]))
    text.append(" ".join(f"#{w}" for w in [_slug(SHORT[p.maker]).replace("-", ""), "christmas", "ornament",
                                          _slug(p.name.split(" ")[0]).replace("-", "")]))
    text.append(rng.choice(["Bundle to save!", "Offers welcome", "Ships next day"]))
    return [{"vendor_product_id": own, "name": title[:80], "description": " ".join(text),
             "brand": rng.choice([p.maker, None]), "url": f"https://www.mercari.example/us/item/{own}/"}]


def _walmart(rng, p, every, price):
    own = str(rng.randint(10 ** 8, 10 ** 9 - 1))
    sku = rng.choice([f"HMK-{p.number}-NEW", f"SS{p.year or 2023}{p.number}", f"{p.number}_NEW_US",
                      f"TP{p.number}", f"ORN-0{p.upc}" if p.upc else f"ORN-{p.number}",
                      f"{rng.randint(100000, 999999)}", f"{p.number}-{rng.choice(['A', 'NB', 'X2'])}"])
    gtin = rng.choice([p.upc, p.upc, p.upc, "00" + p.upc, None]) if p.upc else None
    adjectives = rng.sample(["Porcelain", "Metal", "Glass", "Resin", "Gift Boxed", "Collectible"], 2)
    name = rng.choice([f"{_maker(p)} Christmas Ornament {p.year or ''}, {p.name}, {' and '.join(adjectives)}",
                       f"{p.maker} {p.name} Christmas Tree Ornament {p.year or ''}",
                       f"{p.name} Ornament by {p.maker} {'- ' + str(p.year) if p.year else ''}"])
    lines = ["Key Features:"]
    if p.year:
        lines.append(f"- Dated {p.year}")
    series = re.search(r"(\d+)\w\w in Series", p.name)
    if series:
        lines.append(f"- {_nth(int(series[1]))} in the series")
    lines.append(f"- Measures {rng.randint(2, 5)}.{rng.randint(0, 9)} in. tall")
    if rng.random() < 0.35:
        lines.append(f"Manufacturer Part Number: {p.number}")
    if rng.random() < 0.15:
        other = _others(rng, p, every)
        lines.append(f"Customers also considered: {other.name} {other.number}")
    return [{"vendor_product_id": own, "sku": sku, "gtin": gtin, "brand": rng.choice(MAKERS[p.maker]), "name": name,
             "description": "\n".join(lines), "release_year": p.year if rng.random() < 0.4 else None,
             "category": "Home > Holiday Decor > Christmas Ornaments",
             "url": f"https://www.walmart.example/ip/{_slug(p.name)}/{own}"}]


# vendor: (writer, currency, price factor, the share of each maker's pieces it carries, of vintage ones)
SHOPS = {"jp_kirakiraxmas": (_japanese, "JPY", 150, {"Hallmark": 0.6, "Georg Jensen": 0.6, "Kurt Adler": 0.3,
                                                     "Old World Christmas": 0.4}, 0.25),
         "es_tiendanavidad": (_spanish, "EUR", 1, {"Hallmark": 0.55, "Thun": 0.6, "Georg Jensen": 0.4,
                                                   "Old World Christmas": 0.4, "Kurt Adler": 0.3}, 0.1),
         "it_addobbiditalia": (_italian, "EUR", 1, {"Hallmark": 0.45, "Thun": 0.9, "Georg Jensen": 0.3,
                                                    "Komozja Family": 0.3}, 0.1),
         "pl_bombkowo": (_polish, "PLN", 4, {"Hallmark": 0.45, "Komozja Family": 0.9, "Thun": 0.4,
                                             "Kurt Adler": 0.3}, 0.05),
         "dk_julehuset": (_danish, "DKK", 7, {"Hallmark": 0.4, "Georg Jensen": 0.9, "Old World Christmas": 0.4,
                                              "Komozja Family": 0.3}, 0.1),
         "ca_maplelane": (_canadian, "CAD", 1.35, {"Hallmark": 0.6, "Kurt Adler": 0.6, "Old World Christmas": 0.5},
                          0.3),
         "woo_hollyberryhome": (_woo, "USD", 1, {"Hallmark": 0.55, "Old World Christmas": 0.6, "Kurt Adler": 0.4}, 0.45),
         "mercari_jollyfinds": (_secondhand, "USD", 0.8, {"Hallmark": 0.4, "Kurt Adler": 0.2, "Georg Jensen": 0.2},
                                0.9),
         "walmart_seller_feed": (_walmart, "USD", 1, {"Hallmark": 0.65, "Kurt Adler": 0.7,
                                                      "Old World Christmas": 0.7}, 0.0)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some: lots, choices, a box, a card, a custom copy."""
    rows = []
    by_name = lambda prefix, year: next(p for p in every if p.name.startswith(prefix) and p.year == year
                                        and p.kind == "ornament")
    old = [p for p in every if p.year and p.year < 2000 and p.kind == "ornament"]
    for i in range(3):  # lots of five vintage pieces
        lot = rng.sample(old, 5)
        rows.append({"vendor": "mercari_jollyfinds", "vendor_product_id": f"m-lot-{i}",
                     "name": f"Lot of 5 Hallmark Keepsake Ornaments 90s {rng.choice(['NIB', 'vintage', ''])}",
                     "description": "Includes " + ", ".join(f"{p.name} {_written(rng, p)}" for p in lot)
                                    + ". All in original boxes. No trades.",
                     "truth": "lot-" + "-".join(sorted(p.key for p in lot))})
    santa = [p for p in every if p.name.startswith("Here Comes Santa")]
    rows.append({"vendor": "mercari_jollyfinds", "vendor_product_id": "m-choose-1",
                 "name": "Hallmark Here Comes Santa - YOU CHOOSE", "truth": "choose-hcs",
                 "description": "Price is for one. " + " / ".join(f"{p.year} {p.number}" for p in santa)})
    frosty = [p for p in every if p.name.startswith("Frosty Friends") and p.year and p.year >= 2019
              and p.kind == "ornament" and "in Series" == p.name[-9:]]
    rows.append({"vendor": "woo_hollyberryhome", "vendor_product_id": "choose-ff",
                 "name": "Hallmark Frosty Friends &#8211; Choose Your Year", "truth": "choose-ff",
                 "description": "Select a year:\n" + "\n".join(f"{p.year} \u2013 {p.name} ({p.number})" for p in frosty),
                 "url": "https://hollyberryhome.example/product/hallmark-frosty-friends-choose-your-year/"})
    ff22 = by_name("Frosty Friends", 2022)
    box = next(p for p in every if p.kind == "box")
    rows.append({"vendor": "mercari_jollyfinds", "vendor_product_id": "m-box-1", "truth": box.key,
                 "name": f"EMPTY BOX ONLY Hallmark Frosty Friends 2022 #{ff22.number}",
                 "description": "Box only, NO ORNAMENT. For display or storage."})
    rows.append({"vendor": "woo_hollyberryhome", "vendor_product_id": "box-ff22", "truth": box.key,
                 "name": "Replacement Box &#8211; Frosty Friends 2022 (no ornament)",
                 "description": f"Original box only for {ff22.name}.\nAdditional information\nFits\t{ff22.number}"})
    ff21 = by_name("Frosty Friends", 2021)
    card = next(p for p in every if p.kind == "card")
    rows.append({"vendor": "mercari_jollyfinds", "vendor_product_id": "m-card-1", "truth": card.key,
                 "name": "Hallmark Frosty Friends Christmas card", "brand": "Hallmark",
                 "description": f"Greeting card with the {ff21.year} Frosty Friends art (ornament {ff21.number} "
                                "sold separately). Card and envelope only."})
    baby = by_name("Baby's First Christmas", 2022)
    custom = next(p for p in every if p.kind == "custom")
    for vendor, vid in (("mercari_jollyfinds", "m-custom-1"), ("woo_hollyberryhome", "custom-bfc")):
        rows.append({"vendor": vendor, "vendor_product_id": vid, "truth": custom.key,
                     "name": "Custom Personalized Baby's First Christmas 2022 Ornament, hand painted name",
                     "description": f"Hand painted by me with your baby's name and date. Same design as Hallmark "
                                    f"{baby.number}, but NOT a Hallmark product."})
    return rows


def _plain(text: str | None) -> str:
    """What a person reads: entities decoded, full-width folded (NFKC), zero-width spaces gone."""
    return unicodedata.normalize("NFKC", html.unescape(text or "")).replace("\u200b", "")


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored; a letter O between
    digits read as the zero it stands for)."""
    if p.kind != "ornament":
        return False
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    if p.number.isdigit():
        if any(p.number in re.findall(r"\d+", t) for t in texts):
            return True
    else:
        for t in texts:
            flat = re.sub(r"[^A-Z0-9]", "", t.upper())
            flat = re.sub(r"(?<=\d)O|O(?=\d)", "0", flat)
            if p.number in flat:
                return True
    codes = {c.lstrip("0") for c in (p.upc, p.ean) if c}
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 5555) -> list[dict]:
    """Products (as a spider stores them) of every shop, each with `truth` and `shows_key`."""
    rng = random.Random(seed)
    every = _products(rng)
    by_key = {p.key: p for p in every}
    currency = {vendor: shop[1] for vendor, shop in SHOPS.items()}
    rows: list[dict] = []
    for vendor, (write, _, factor, shares, vintage) in SHOPS.items():
        for p in every:
            share = vintage if p.year and p.year < 2000 else shares.get(p.maker, 0.0)
            if p.kind != "ornament" or rng.random() > share:
                continue
            price = Decimal(rng.randint(999, 6999)) / 100 * Decimal(str(factor))
            price = Decimal(int(price) // 10 * 10 + 80) if vendor == "jp_kirakiraxmas" else price.quantize(Decimal("0.01"))
            for row in write(rng, p, every, price):
                row.update(vendor=vendor, truth=p.key, price=price)
                rows.append(row)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
