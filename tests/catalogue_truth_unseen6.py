"""A seventh truth-known catalogue (issue 23: "we will measure the same on a catalogue the project has not
seen"), written before reading the matcher, after shop styles the six earlier catalogues do not cover:

- a Russian shop (RUB): «ёлочная игрушка», "Артикул:" (the shop's own, or the maker's), "Код производителя:",
  "Штрихкод:", "Год выпуска:", "С этим товаром покупают:"; a Cyrillic "Х" or "С" typed inside a Latin number
  now and then ("QХ1234": it looks the same to a reader);
- a Brazilian shop (BRL): "Enfeite de Natal", "Código do fabricante:", "Referência:", "Código de barras:",
  "Ano de lançamento:", "Compre junto:", a kit of three;
- a Chinese reseller (CNY, Taobao-like): "【美国直邮】", "型号：", "货号：", "条形码：", "年份：2023年", "看了又看："
  with numbers joined by "、", numbers in the image's file name;
- an Israeli shop (ILS, right to left): "מק״ט יצרן:", "ברקוד:", "שנת ייצור:", "מוצרים נוספים:", the numbers
  wrapped in direction marks (U+200E, U+200F, U+2066-U+2069);
- a Czech shop (CZK): "Vánoční ozdoba", "Kód výrobce:", "Kód produktu:", "EAN:", "Rok vydání:",
  "Zákazníci také koupili:" with bullets, "Vyberte rok" (a choose-your-year listing);
- an Amazon-like product detail page: an ASIN as the sku, long keyword titles, a "Product information"
  block with Amazon's own "Item model number ‏ : ‎ QX1234" (with its U+200F U+200E marks), "Manufacturer
  reference", "ASIN", "Date First Available", "Customers also bought" / "Products related to this item" lists;
- an eBay-like completed (sold) listing: "This listing has ended", item specifics in an HTML table ("MPN",
  "UPC: Does not apply", "Year Manufactured"), a "Seller's other items" block; brand "Unbranded" or "Does
  not apply" now and then;
- a small POS system's CSV export (a local Christmas shop): the item number in a "custom_label" (the sku) or
  in the "variant_title" (after the name), barcodes with a leading apostrophe or as "7.63795E+11" from a
  spreadsheet (the spider keeps only a gtin with a right check digit), Lladró's references with the leading
  zero eaten, the brand as the shop's name or the supplier ("Hallmark Marketing Co LLC");
- a shop whose listings come from JSON-LD (name, sku, mpn as the sku when there is no sku, gtin12 / gtin13 /
  gtin14 as the gtin), a "Style #" line, numbers in the image's file name, brand "Generic" or the shop's name.

Makers: Hallmark (modern four-digit numbers with QX, QXG, QXI, QXD, QXR Magic, QXM miniature, QXC club,
QXE event, QHX accessory prefixes; hallmark.com web ids of the price in cents and the number ("2499QXR9182");
vintage "QX 487-1"), Lladró (eight-digit references "01018480", EAN 84...), Royal Copenhagen (seven digits, EAN
5709...), Jim Shore / Enesco Heartwood Creek (seven digits "6012345", UPC 045544...), Annalee (six digits).

Traps: Frosty Friends, Nostalgic Houses and Shops, Holiday Barbie, Mischievous Kittens, Here Comes Santa,
Snow Buddies, Lladró's, Royal Copenhagen's and Jim Shore's dated annuals in consecutive years with other
numbers; Magic and plain pieces of one name and year; a miniature of a full-size piece; a club repaint and
an event exclusive; a set of three sold under one number and a shop kit naming three numbers; a number
Hallmark used in 1988 and again in 2019; a display stand and a Magic power cord (their own numbers) that
"fit" / are "compatible with" a named ornament; hooks naming one; empty boxes; lots; choose-your-year
listings; a knock-off and a custom repro naming the piece they copy; cross-sells in every shop's language,
before and after the listing's own number, in lists joined by commas, semicolons, slashes, "、" and bullets.

Each listing carries `truth` and `shows_key`: whether a person reading it sees its own product's item
number or barcode (after HTML tags, entities, direction marks and look-alike letters, whatever separators
a seller puts inside it). This file describes shops, not the matcher.
`python -m tests.catalogue_truth_unseen6` prints its size."""

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
    number: str | None  # QX1234, QX4871 (1988's "QX 487-1"), 01018480 (Lladró); None for what has none
    name: str
    year: int | None
    retail: Decimal
    barcode: str | None = None  # UPC-12 or EAN-13
    kind: str = "ornament"  # or set, stand, accessory; box, hooks (no number of their own)
    series: str | None = None
    nth: int | None = None
    licensor: str | None = None


SERIES_START = {"Frosty Friends": 1980, "Nostalgic Houses and Shops": 1984, "Holiday Barbie": 1993,
                "Mischievous Kittens": 1999, "Here Comes Santa": 1979, "Snow Buddies": 1998}
MODERN = ["Peppermint Penguin", "Cozy Cabin Mailbox", "Christmas Cardinal Pair", "Gnome for the Holidays",
          "Hot Cocoa Bar", "Merry Moose", "Vintage Red Truck", "Santa's Sweet Shop", "Snowy Owl Nest",
          "Cookie Jar Kitty", "Woodland Fox Lantern", "Ice Fishing Bear", "Christmas Tree Farm Stand",
          "Holiday Train Station", "Reindeer Games Rudolph", "Sledding Snowman", "Gingerbread Church",
          "Jolly Jingle Bells", "Candy Cane Cottage", "Sweater Weather Squirrel", "Noel Nutcracker",
          "Polar Express Hot Chocolate", "Baby's First Christmas Teddy", "Our First Christmas Together"]
LICENSED = [("QXI", "Star Wars", "Star Wars The Mandalorian Grogu with Cookie"), ("QXI", "Star Wars", "Star Wars R2-D2"),
            ("QXD", "Disney", "Disney Mickey and Minnie Sweet Kiss"), ("QXD", "Disney", "Disney Encanto Casa Madrigal"),
            ("QXD", "Disney", "Disney Stitch Holiday Cheer"), ("QXI", "Peanuts", "Peanuts Snoopy Flying Ace"),
            ("QXI", "Harry Potter", "Harry Potter Hedwig"), ("QXI", "Marvel", "Marvel Iron Man Mark III"),
            ("QXI", "Dr. Seuss", "Dr. Seuss The Grinch Stole Christmas"), ("QXI", "Pokémon", "Pokémon Pikachu"),
            ("QXI", "Coca-Cola", "Coca-Cola Polar Bear"), ("QXI", "Ford", "Ford Bronco 1966")]
VINTAGE = [("Santa's Hot Tub", 1986), ("Kitty Mischief", 1985), ("Polar Bowler", 1989), ("Little Soldier", 1989),
           ("Christmas Cuckoo", 1988), ("Country Sleigh", 1986), ("Cool Juggler", 1988), ("Heavenly Glow", 1988)]
OTHERS = {"Lladró": ["Lladró Christmas Angel Ornament", "Lladró Santa Claus Ornament", "Lladró Snowman Ornament"],
          "Royal Copenhagen": ["Royal Copenhagen Christmas Heart Ornament", "Royal Copenhagen Porcelain Star"],
          "Jim Shore": ["Jim Shore Heartwood Creek Santa with Tree", "Jim Shore Heartwood Creek Snowman with Cardinal",
                        "Jim Shore Heartwood Creek Nativity Star", "Jim Shore Heartwood Creek Gingerbread House"],
          "Annalee": ["Annalee Gingerbread Boy Ornament", "Annalee Santa in Chimney Ornament"]}
BARCODE_PREFIX = {"Hallmark": "763795", "Lladró": "8410780", "Royal Copenhagen": "5709513", "Jim Shore": "045544",
                  "Annalee": "717183"}
RU = {"Frosty Friends": "Морозные друзья", "Nostalgic Houses and Shops": "Ностальгические домики и магазины",
      "Holiday Barbie": "Праздничная Барби", "Mischievous Kittens": "Озорные котята", "Here Comes Santa": "Вот едет Санта",
      "Snow Buddies": "Снежные приятели", "Magic": "с подсветкой", "Miniature": "миниатюра", "Club Repaint": "клубная версия"}
CN = {"Frosty Friends": "冰雪好友", "Nostalgic Houses and Shops": "怀旧小屋", "Holiday Barbie": "节日芭比",
      "Mischievous Kittens": "淘气小猫", "Here Comes Santa": "圣诞老人来了", "Snow Buddies": "雪地伙伴",
      "Star Wars": "星球大战", "Disney": "迪士尼", "Peanuts": "史努比", "Harry Potter": "哈利波特", "Marvel": "漫威",
      "Magic": "发光版", "Miniature": "迷你版"}
MAKER_WORD = {"Hallmark": {"ru": "Hallmark Keepsake", "cn": "Hallmark贺曼", "he": "הולמרק Hallmark"},
              "Lladró": {"ru": "Lladró (Испания)", "cn": "雅致Lladró", "he": "ליאדרו Lladró"},
              "Royal Copenhagen": {"ru": "Royal Copenhagen", "cn": "皇家哥本哈根", "he": "Royal Copenhagen"},
              "Jim Shore": {"ru": "Jim Shore", "cn": "Jim Shore", "he": "Jim Shore"},
              "Annalee": {"ru": "Annalee", "cn": "Annalee", "he": "Annalee"}}


def _products(rng: random.Random) -> list[Product]:
    made: list[Product] = []
    used: set[str] = set()

    def number_of(maker: str, prefix: str, year: int | None) -> str:
        if maker == "Hallmark":  # before 1991: three digits and a variant digit ("QX 487-1")
            return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
                else f"{prefix}{rng.randint(1000, 9999)}"
        return {"Lladró": lambda: f"0101{rng.randint(1000, 9999)}", "Royal Copenhagen": lambda: f"10{rng.randint(10000, 99999)}",
                "Jim Shore": lambda: f"60{rng.randint(10000, 19999)}", "Annalee": lambda: f"{rng.randint(4, 8)}{rng.randint(10000, 99999)}"}[maker]()

    def add(maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.7, **more) -> Product:
        while kind in ("ornament", "set", "stand", "accessory") and (number is None or number in used):
            number = number_of(maker, prefix, year)
        if number:
            used.add(number)
        code = None
        if number and (year or 2020) >= 1996 and rng.random() < barcode:
            body = BARCODE_PREFIX[maker]
            code = _check(body + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(body) + (len(body) == 7))))
        retail = Decimal(rng.choice([575, 675, 775, 875]) if year and year < 1991 else
                         rng.choice([1499, 1799, 1999, 2199, 2499, 2999, 3499, 3999])) / 100
        if maker != "Hallmark":
            retail = Decimal(rng.choice([2995, 3995, 5500, 7900, 9900, 14900])) / 100
        made.append(Product(f"q{len(made)}", maker, number, name, year, retail, code, kind, **more))
        return made[-1]

    def series(name: str, year: int, prefix: str = "QX", **more) -> Product:
        nth = year - SERIES_START[name] + 1
        return add("Hallmark", f"{name} {_nth(nth)} in Series", year, prefix, series=name, nth=nth, **more)

    for year in (2022, 2023, 2024):
        series("Frosty Friends", year)
        series("Nostalgic Houses and Shops", year)
        series("Holiday Barbie", year, "QXI", licensor="Barbie")
    for year in (2023, 2024):
        series("Mischievous Kittens", year)
        series("Here Comes Santa", year)
        series("Snow Buddies", year)
    ff24 = next(p for p in made if p.series == "Frosty Friends" and p.year == 2024)
    add("Hallmark", f"Miniature {ff24.name}", 2024, "QXM", series="Frosty Friends", nth=ff24.nth)
    add("Hallmark", f"{ff24.name} Club Repaint", 2024, "QXC", series="Frosty Friends", nth=ff24.nth)
    add("Hallmark", "Mini Nutcrackers, Set of 3", 2023, "QXM", kind="set")
    for name, year in (("Santa's Workshop Express", 2023), ("Gingerbread Bakery", 2024)):
        add("Hallmark", name, year)
        add("Hallmark", f"{name} Magic", year, "QXR")
    add("Hallmark", "Toymaker Santa", 2023)
    add("Hallmark", "Toymaker Santa Ornament Premiere Exclusive", 2023, "QXE")
    for name in MODERN:
        add("Hallmark", name, rng.randint(2019, 2024), rng.choice(["QX", "QX", "QX", "QXG"]))
    for prefix, licensor, name in LICENSED:
        add("Hallmark", name, rng.randint(2019, 2024), prefix, licensor=licensor)
    for name, year in VINTAGE:
        add("Hallmark", name, year, rng.choice(["QX", "QX", "QLX"]))
    old = add("Hallmark", "Jolly Old Santa", 1988)
    add("Hallmark", "Woodland Gnome", 2019, number=old.number)  # Hallmark used the number again
    for year in (2023, 2024):  # one name every year, each its own number and barcode
        add("Lladró", f"Lladró {year} Christmas Ball", year, barcode=0.9)
        add("Royal Copenhagen", f"Royal Copenhagen Christmas Ornament {year}", year, barcode=0.9)
        add("Jim Shore", f"Jim Shore {year} Dated Santa Ornament", year, barcode=0.9)
    for maker, names in OTHERS.items():
        for name in names:
            add(maker, name, None, barcode=0.8)
    add("Hallmark", "Keepsake Ornament Display Stand", 2023, "QHX", kind="stand")
    add("Hallmark", "Keepsake Magic Power Cord", 2022, "QHX", kind="accessory")
    add("Hallmark", f"Empty Box for {ff24.name}", 2024, kind="box")
    add("Hallmark", "Ornament Hooks, Pack of 30", None, kind="hooks")
    return made


# --- how people write it ---------------------------------------------------------------------------

def _written(rng: random.Random, p: Product) -> str:
    """The number as a shop types it."""
    if p.maker != "Hallmark":
        return p.number
    letters, digits = _split(p.number)
    if _old(p):
        return rng.choice([f"{letters} {digits[:3]}-{digits[3]}", f"{letters}{digits[:3]}-{digits[3]}", p.number,
                           f"{letters} {digits}"])
    return rng.choice([p.number, p.number, p.number, f"{letters} {digits}", f"{letters}-{digits}"])


def _web_id(p: Product) -> str:
    """hallmark.com's id: the retail price in cents and the number ("2499QXR9182")."""
    return f"{int(p.retail * 100)}{p.number}"


def _cyrillic(rng: random.Random, text: str) -> str:
    """A Russian typist's look-alike letter inside a Latin number, now and then."""
    if rng.random() < 0.15:
        return text.replace("X", "Х", 1) if rng.random() < 0.6 else text.replace("Q", "Q\u200b", 1)
    return text


def _words(p: Product, table: dict) -> str:
    name = _bare(p)
    for english, local in table.items():
        if english in name:
            name = name.replace(english, f"{local} ({english})" if english in SERIES_START else local)
            break
    return name


def _orn(text: str) -> str:
    """text and the word "Ornament", unless it ends with it already."""
    return text if text.endswith("Ornament") else f"{text} Ornament"


def _ean13(p: Product) -> str | None:
    return ("0" + p.barcode if len(p.barcode) == 12 else p.barcode) if p.barcode else None


# --- shops: each writes the listings of product p, prices in its currency ---------------------------

def _russian(rng, p, every, price):
    own = f"{rng.randint(10000, 99999)}"
    maker = MAKER_WORD[p.maker]["ru"]
    ru_name = _words(p, RU) if rng.random() < 0.5 else _bare(p)
    name = rng.choice([f"Ёлочная игрушка {maker} «{ru_name}» {_year(p)}",
                       f"Новогоднее украшение {maker} {ru_name}, {p.year or 'без даты'} г.",
                       f"Игрушка на ёлку {_bare(p)} ({maker})"])
    number = _cyrillic(rng, _written(rng, p))
    maker_is_sku = rng.random() < 0.35
    lines = []
    if rng.random() < 0.2:  # a cross-sell before the listing's own number
        other = _others(rng, p, every)[0]
        lines.append(f"Смотрите также: {other.name} {other.year or ''} — артикул {_written(rng, other)}.")
    lines.append(f"Артикул: {number if maker_is_sku else own}")
    if not maker_is_sku and rng.random() < 0.7:
        lines.append(f"{rng.choice(['Код производителя:', 'Артикул производителя:', 'Модель:'])} {number}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"Штрихкод: {rng.choice([p.barcode, _ean13(p)])}")
    if p.year:
        lines.append(f"Год выпуска: {p.year}")
    lines.append(f"Производитель: {p.maker} ({'США' if p.maker in ('Hallmark', 'Jim Shore', 'Annalee') else 'Европа'})")
    lines.append(f"Материал: {rng.choice(['пластик', 'фарфор', 'смола', 'стекло'])}. В подарочной коробке.")
    if rng.random() < 0.35:
        others = _others(rng, p, every, 2)
        lines.append("С этим товаром покупают: " + rng.choice([", ", "; ", " / "]).join(
            f"«{o.name}» {_written(rng, o)}" for o in others))
    return [{"vendor_product_id": own, "sku": number if maker_is_sku else f"ЁЛ-{own}", "name": name,
             "brand": rng.choice([p.maker, p.maker, None]), "description": "\n".join(lines),
             "release_year": p.year if rng.random() < 0.6 else None, "price": (price * 90).quantize(Decimal("1")),
             "url": f"https://elka-igrushki.example.ru/catalog/hallmark/{own}/"}]


def _brazilian(rng, p, every, price):
    own = f"{rng.randint(1000, 9999)}"
    number = _written(rng, p)
    name = rng.choice([f"Enfeite de Natal {p.maker} {_bare(p)} {_year(p)}",
                       f"Enfeite Árvore de Natal {p.name} - {p.maker} Original Importado",
                       f"{p.maker} Keepsake {_bare(p)} {_year(p)} Enfeite" if p.maker == "Hallmark" else f"Enfeite {p.name}"])
    lines = [f"Enfeite natalino original {p.maker}, produto importado dos EUA." if p.maker != "Lladró" else
             "Enfeite em porcelana Lladró, fabricado na Espanha."]
    if rng.random() < 0.65:
        lines.append(f"{rng.choice(['Código do fabricante:', 'Cód. do fabricante:', 'Modelo:', 'Referência do fabricante:'])} {number}")
    lines.append(f"Referência: BR{own}")
    if p.barcode and rng.random() < 0.4:
        lines.append(f"Código de barras (EAN): {_ean13(p)}")
    if p.year:
        lines.append(f"Ano de lançamento: {p.year}")
    if rng.random() < 0.3:
        others = _others(rng, p, every, 2)
        lines.append("Compre junto: " + " + ".join(f"{o.name} ({_written(rng, o)})" for o in others))
    lines.append("Envio em até 2 dias úteis. Parcele em até 6x sem juros.")
    url_number = f"-{p.number.lower()}" if rng.random() < 0.3 else ""
    return [{"vendor_product_id": f"BR{own}", "sku": rng.choice([f"BR{own}", f"BR{own}", number]), "name": name,
             "brand": rng.choice([p.maker, "Hallmark Keepsake" if p.maker == "Hallmark" else p.maker, "Natal Encantado"]),
             "description": "\n".join(lines), "price": (price * Decimal("5.4")).quantize(Decimal("0.01")),
             "gtin": _ean13(p) if p.barcode and rng.random() < 0.3 else None,
             "url": f"https://www.natalencantado.example.com.br/{_slug(p.name)}{url_number}"}]


def _chinese(rng, p, every, price):
    own = f"{rng.randint(10 ** 11, 10 ** 12)}"
    cn_name = _words(p, CN)
    shows_in_title = rng.random() < 0.35
    name = rng.choice(["【美国直邮】", "【现货】", "【正品代购】"]) + f"{MAKER_WORD[p.maker]['cn']} 圣诞树挂件 {cn_name}" \
        + (f" {p.year}年" if _year(p) else "") + (f" {p.number}" if shows_in_title else "")
    lines = [f"品牌：{p.maker}"]
    if rng.random() < 0.7:
        lines.append(f"型号：{p.number}")
    lines.append(f"货号：HM{own[-6:]}")
    if p.barcode and rng.random() < 0.4:
        lines.append(f"条形码：{p.barcode}")
    if p.year:
        lines.append(f"年份：{p.year}年")
    lines.append(f"材质：{rng.choice(['树脂', '陶瓷', '塑料', '玻璃'])}")
    if rng.random() < 0.35:
        others = _others(rng, p, every, rng.randint(2, 3))
        lines.append("看了又看：" + "、".join(o.number for o in others))
    lines.append("海外直邮，约15-20天到货。")
    images = [f"https://img.alicdn.example/imgextra/i{rng.randint(1, 4)}/{own[:10]}/O1CN01{rng.randint(10 ** 8, 10 ** 9)}_!!{own[:10]}.jpg"]
    if rng.random() < 0.3:
        images.append(f"https://img.alicdn.example/bao/uploaded/{p.number}_主图.jpg")
    return [{"vendor_product_id": own, "sku": f"HM{own[-6:]}", "name": name, "description": "\n".join(lines),
             "brand": rng.choice([p.maker, "贺曼" if p.maker == "Hallmark" else p.maker, None]),
             "image_urls": images, "price": (price * Decimal("7.2")).quantize(Decimal("0.01")),
             "url": f"https://item.taobao.example/item.htm?id={own}"}]


def _rtl(rng: random.Random, text: str) -> str:
    """A number as a right-to-left page wraps it: LRM, LRI...PDI, or nothing."""
    return rng.choice([f"\u200e{text}\u200e", f"\u2066{text}\u2069", text, f"\u200f{text}"])


def _hebrew(rng, p, every, price):
    own = f"{rng.randint(100000, 999999)}"
    name = rng.choice([f"קישוט לעץ חג המולד {MAKER_WORD[p.maker]['he']} – {p.name} {_year(p)}",
                       f"{p.name} {_year(p)} | קישוט {p.maker}", f"קישוט תלייה {p.name}"])
    lines = ["קישוט מקורי, מיובא מארה״ב." if p.maker in ("Hallmark", "Jim Shore", "Annalee") else "קישוט מקורי מאירופה."]
    if rng.random() < 0.6:
        lines.append(f"{rng.choice(['מק״ט יצרן:', 'דגם:', 'מספר קטלוגי:'])} {_rtl(rng, _written(rng, p))}")
    lines.append(f"מק״ט: {own}")
    if p.barcode and rng.random() < 0.35:
        lines.append(f"ברקוד: {_rtl(rng, p.barcode)}")
    if p.year:
        lines.append(f"שנת ייצור: {p.year}")
    if rng.random() < 0.3:
        others = _others(rng, p, every, 2)
        lines.append("מוצרים נוספים שיעניינו אותך: " + ", ".join(f"{o.name} {_rtl(rng, o.number)}" for o in others))
    lines.append("משלוח חינם בקנייה מעל 300 ₪.")
    return [{"vendor_product_id": own, "sku": own, "name": name, "description": "\n".join(lines),
             "brand": rng.choice([p.maker, None]), "price": (price * Decimal("3.7")).quantize(Decimal("0.1")),
             "url": f"https://www.kishutim.example.co.il/product/{own}"}]


def _czech(rng, p, every, price):
    own = f"{rng.randint(100000, 999999)}"
    name = rng.choice([f"Vánoční ozdoba {p.maker} {_bare(p)} {_year(p)}", f"{p.name} – závěsná ozdoba {p.maker}",
                       f"Ozdoba na stromeček {p.name} {_year(p)}"])
    lines = [f"Originální sběratelská ozdoba {p.maker}."]
    if rng.random() < 0.25:  # another piece (the series' previous one, or one of the same year) before its own number
        other = _others(rng, p, every)[0]
        same = other.series and other.series == p.series
        lines.append(f"{'Navazuje na ozdobu' if same else 'Ze stejné kolekce:'} {other.name} ({other.number}).")
    if rng.random() < 0.65:
        lines.append(f"{rng.choice(['Kód výrobce:', 'Katalogové číslo:', 'Číslo výrobce:'])} {_written(rng, p)}")
    lines.append(f"Kód produktu: VO{own}")
    if p.barcode and rng.random() < 0.45:
        lines.append(f"EAN: {_ean13(p)}")
    if p.year:
        lines.append(f"Rok vydání: {p.year}")
    if rng.random() < 0.3:
        others = _others(rng, p, every, 2)
        lines.append("Zákazníci také koupili:\n" + "\n".join(f"• {o.name} – {_written(rng, o)}" for o in others))
    lines.append("Skladem, odesíláme do 24 hodin.")
    return [{"vendor_product_id": f"VO{own}", "sku": f"VO{own}", "name": name, "description": "\n".join(lines),
             "gtin": _ean13(p) if p.barcode and rng.random() < 0.3 else None, "brand": rng.choice([p.maker, None]),
             "release_year": p.year if rng.random() < 0.5 else None, "price": (price * 23).quantize(Decimal("1")),
             "url": f"https://www.vanocniozdoby.example.cz/{_slug(p.name)}"}]


def _asin(rng: random.Random) -> str:
    return "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))


def _amazon(rng, p, every, price):
    asin = _asin(rng)
    flavour = rng.choice(["Christmas Tree Decoration", "Gift for Collectors", "Porcelain" if p.maker != "Hallmark" else "Gifts for Kids"])
    name = rng.choice([f"{p.maker} Keepsake Christmas Ornament {_year(p)}, {_bare(p)}, {flavour}" if p.maker == "Hallmark"
                       else f"{p.maker} {_bare(p)} {_year(p)}, {flavour}",
                       _orn(f"{p.maker} {_year(p)} {_bare(p)}") + (f" ({p.number})" if rng.random() < 0.3 else ""),
                       f"{p.name} Christmas Ornament {_year(p)} – {flavour}"])
    sep = "\u200f : \u200e"
    lines = ["About this item", f"• {p.maker.upper()} COLLECTIBLE: {_bare(p)}.",
             f"• {'Dated ' + str(p.year) if p.year else 'Undated'}; comes in a gift box.", "Product information",
             f"Product Dimensions{sep}{rng.randint(2, 5)}.{rng.randint(1, 9)} x {rng.randint(1, 4)}.{rng.randint(1, 9)} x "
             f"{rng.randint(2, 5)} inches; {rng.randint(1, 9)}.{rng.randint(1, 9)} ounces"]
    model = rng.random()
    if model < 0.55:
        lines.append(f"Item model number{sep}{p.number}")
    elif model < 0.7 and p.maker == "Hallmark":
        lines.append(f"Item model number{sep}{_web_id(p)}")
    if rng.random() < 0.3:
        lines.append(f"Manufacturer reference{sep}{p.number}")
    if p.barcode and rng.random() < 0.25:
        lines.append(f"UPC{sep}{p.barcode}")
    lines.append(f"ASIN{sep}{asin}")
    if p.year:
        lines.append(f"Date First Available{sep}{rng.choice(['June', 'July', 'August'])} {rng.randint(1, 28)}, {p.year}")
    lines.append(f"Manufacturer{sep}{'Hallmark Marketing Company LLC' if p.maker == 'Hallmark' else p.maker}")
    if rng.random() < 0.45:
        others = _others(rng, p, every, rng.randint(2, 3))
        lines.append(rng.choice(["Customers also bought", "Products related to this item"]))
        lines += [f"{o.maker} Keepsake Christmas Ornament {o.year or ''}, {_bare(o)}" + (f" {o.number}" if rng.random() < 0.5 else "")
                  + f" ${rng.randint(12, 45)}.99" for o in others]
    return [{"vendor_product_id": asin, "sku": asin, "name": name, "description": "\n".join(lines),
             "brand": rng.choice([p.maker, f"{p.maker} Keepsake" if p.maker == "Hallmark" else p.maker, f"Visit the {p.maker} Store"]),
             "gtin": p.barcode if p.barcode and rng.random() < 0.2 else None,
             "url": f"https://www.amazon.example/{_slug(name)[:60]}/dp/{asin}"}]


def _ebay(rng, p, every, price):
    item = str(rng.randint(10 ** 11, 4 * 10 ** 11))
    number = _written(rng, p)
    cond = rng.choice(["NIB", "NEW IN BOX", "MIB", "w/ Box", "No Box", "Excellent"])
    title = rng.choice([f"{_year(p)} Hallmark Keepsake {_orn(_bare(p))} {number} {cond}" if p.maker == "Hallmark"
                        else f"{p.maker} {_orn(f'{_bare(p)} {_year(p)}'.strip())} {number} {cond}",
                        f"{p.maker} {_bare(p)} Christmas Ornament {_year(p)} {cond}",
                        f"{p.name} {p.maker} {_year(p)} {cond}"])
    specifics = [("Condition", rng.choice(["New: A brand-new, unused item", "Used", "New other (see details)"])),
                 ("Brand", rng.choice([p.maker, p.maker, "Unbranded"])), ("Type", "Christmas Ornament")]
    mpn = rng.random()
    specifics.append(("MPN", p.number if mpn < 0.5 else "Does Not Apply" if mpn < 0.8 else _bare(p)))
    specifics.append(("UPC", p.barcode if p.barcode and rng.random() < 0.3 else "Does not apply"))
    if p.year:
        specifics.append(("Year Manufactured", str(p.year)))
    if p.series:
        specifics.append(("Series", p.series))
    cells = "".join(f"<tr><td class=\"lbl\">{k}:</td><td class=\"val\">{html.escape(v)}</td></tr>" for k, v in specifics)
    parts = [f"<div class=\"ended\">This listing has ended. Sold for US ${price} on Dec {rng.randint(1, 28)}, 2024</div>",
             f"<h3>Item specifics</h3><table>{cells}</table>",
             f"<div class=\"desc\">{html.escape(p.name)}. {rng.choice(['Smoke free home.', 'From my collection.', 'Box has shelf wear.'])}</div>"]
    if rng.random() < 0.45:
        others = _others(rng, p, every, 3)
        parts.append("<h3>Seller's other items</h3><ul>" + "".join(
            f"<li>{o.year or ''} Hallmark {html.escape(_bare(o))} {_written(rng, o)} <span>${rng.randint(9, 49)}.99</span></li>"
            for o in others) + "</ul>")
    gtin = p.barcode if p.barcode and rng.random() < 0.15 else None
    return [{"vendor_product_id": item, "name": title, "description": "".join(parts), "gtin": gtin,
             "brand": dict(specifics)["Brand"] if rng.random() < 0.8 else "Does not apply",
             "release_year": p.year if rng.random() < 0.5 else None,
             "url": f"https://www.ebay.example/itm/{item}", "availability": "out_of_stock"}]


def _pos(rng, p, every, price):
    """A local Christmas shop's POS CSV export: custom_label as the sku, variant_title after the name."""
    own = str(rng.randint(100000, 199999))
    number = p.number if p.maker != "Lladró" or rng.random() < 0.5 else p.number.lstrip("0")  # Excel ate the 0
    label = rng.random()
    sku = (number if label < 0.35 else f"{p.maker[:3].upper()} {number} {(p.year or 0) % 100:02d}" if label < 0.5
           else f"{(p.series or p.name)[:2].upper()}{(p.year or 0) % 100:02d}-{number}" if label < 0.6 else own)
    variant = rng.random()
    name = f"{_bare(p)} {_year(p)}".strip()
    if variant < 0.3:
        name += f" - {number}"
    elif variant < 0.45:
        name += " - Default Title"
    lines = [f"Category: {p.maker} Ornaments", f"Vendor: {'Hallmark Marketing Co LLC' if p.maker == 'Hallmark' else p.maker}"]
    gtin = None
    if p.barcode:
        style = rng.random()
        if style < 0.3:
            gtin = f"'{p.barcode}"
            lines.append(f"Barcode: '{p.barcode}")
        elif style < 0.5:
            gtin = f"{int(p.barcode):.5E}".replace("E+", "E+")
            lines.append(f"UPC: {float(p.barcode):.5E}")
        elif style < 0.7:
            gtin = p.barcode
    if rng.random() < 0.2:
        other = _others(rng, p, every)[0]
        lines.append(f"Display with: {other.number}/{other.name}")  # the staff's note: the piece shelved beside it
    lines.append(f"Qty on hand: {rng.randint(0, 6)}")
    return [{"vendor_product_id": own, "sku": sku, "name": name, "gtin": gtin, "description": "\n".join(lines),
             "brand": rng.choice(["Holiday Cottage", "Hallmark Marketing Co LLC" if p.maker == "Hallmark" else p.maker, None]),
             "url": f"https://holidaycottage.example/shop/item/{own}"}]


def _jsonld(rng, p, every, price):
    """A shop read through its JSON-LD Product: sku (or the mpn when there is none), gtin12/13/14."""
    own = f"TS-{rng.randint(10000, 99999)}"
    style = rng.random()
    sku = p.number if style < 0.4 else own
    gtin = None
    if p.barcode and rng.random() < 0.6:
        gtin = rng.choice([p.barcode, _ean13(p), "00" + p.barcode if len(p.barcode) == 12 else "0" + p.barcode])
    lines = [f"{_bare(p)}{', dated ' + str(p.year) if p.year else ''}. A collectible {p.maker} ornament."]
    if 0.4 <= style < 0.65:
        lines.append(f"Style #{rng.choice([' ', ': ', ''])}{_written(rng, p)}")
    if rng.random() < 0.25:
        other = _others(rng, p, every)[0]
        lines.append(f"Pairs well with {other.name} (Style # {other.number}).")
    images = [f"https://cdn.trimshop.example/products/{p.number}-1.jpg" if 0.65 <= style < 0.8
              else f"https://cdn.trimshop.example/products/{_slug(p.name)}.jpg"]
    name = rng.choice([p.name, f"{p.maker} {_orn(_bare(p))} {_year(p)}", f"{_year(p)} {p.name}"])
    return [{"vendor_product_id": own, "sku": sku, "gtin": gtin, "name": name, "description": " ".join(lines),
             "brand": rng.choice(["Generic", "The Trim Shop", p.maker, p.maker]), "image_urls": images,
             "url": f"https://trimshop.example/products/{_slug(p.name)}"}]


def _category(p: Product) -> str:
    if p.maker != "Hallmark":
        return p.maker
    if p.year and p.year < 1991:
        return "vintage"
    return "licensed" if p.licensor and not p.series else "modern"


# vendor: (writer, currency, price factor, the share of each category's pieces it carries, the years it sells)
SHOPS = {"ru_elkaigrushki": (_russian, "RUB", 1.2, {"modern": 0.52, "licensed": 0.39, "vintage": 0.26, "Lladró": 0.65,
                                                   "Royal Copenhagen": 0.52, "Jim Shore": 0.39}, None),
         "br_natalencantado": (_brazilian, "BRL", 1, {"modern": 0.45, "licensed": 0.59, "Lladró": 0.9,
                                                     "Jim Shore": 0.39}, 2021),
         "cn_meiguozhiyou": (_chinese, "CNY", 1, {"modern": 0.52, "licensed": 0.72, "Royal Copenhagen": 0.52,
                                                  "Lladró": 0.39}, 2020),
         "il_kishutim": (_hebrew, "ILS", 1, {"modern": 0.39, "licensed": 0.39, "Jim Shore": 0.65, "Annalee": 0.65}, None),
         "cz_vanocniozdoby": (_czech, "CZK", 1, {"modern": 0.45, "licensed": 0.39, "vintage": 0.26, "Royal Copenhagen": 0.78,
                                                 "Lladró": 0.52}, None),
         "amz_detailpages": (_amazon, "USD", 1.1, {"modern": 0.78, "licensed": 0.78, "Jim Shore": 0.9, "Lladró": 0.65,
                                                   "Annalee": 0.78, "Royal Copenhagen": 0.39}, 2019),
         "ebay_sold": (_ebay, "USD", 0.8, {"vintage": 0.9, "modern": 0.52, "licensed": 0.52, "Jim Shore": 0.39,
                                           "Annalee": 0.52}, None),
         "pos_holidaycottage": (_pos, "USD", 1, {"modern": 0.52, "licensed": 0.39, "Jim Shore": 0.78, "Annalee": 0.65,
                                                 "Lladró": 0.52}, 2021),
         "jsonld_trimshop": (_jsonld, "USD", 1, {"modern": 0.59, "licensed": 0.59, "Jim Shore": 0.52,
                                                 "Royal Copenhagen": 0.39}, 2020)}


def _special(rng: random.Random, every: list[Product]) -> list[dict]:
    """What has no number of its own but names some (lots, a kit, boxes, hooks, choices, copies), and the
    stand and the power cord, whose own numbers stand beside the ornaments' they fit."""
    rows = []
    find = lambda test: next(p for p in every if test(p))
    ff = sorted((p for p in every if p.series == "Frosty Friends" and p.kind == "ornament" and p.name.startswith("Frosty")
                and p.name.endswith("in Series")),
                key=lambda p: p.year)
    ff22, ff23, ff24 = ff
    old = [p for p in every if p.year and p.year < 1991]
    magic = find(lambda p: p.name == "Gingerbread Bakery Magic")
    express = find(lambda p: p.name == "Santa's Workshop Express Magic")
    lot = rng.sample(old, 5)
    rows.append({"vendor": "ebay_sold", "vendor_product_id": str(rng.randint(10 ** 11, 4 * 10 ** 11)),
                 "truth": "lot-" + "-".join(sorted(p.key for p in lot)),
                 "name": "Lot of 5 Vintage Hallmark Keepsake Ornaments 1985-1989 in Boxes",
                 "description": "<div class=\"ended\">This listing has ended.</div><h3>Item specifics</h3><table>"
                                "<tr><td>Brand:</td><td>Hallmark</td></tr><tr><td>MPN:</td><td>Does Not Apply</td></tr>"
                                "</table><div>Includes: " + ", ".join(f"{p.name} {p.year} {_written(rng, p)}" for p in lot) + "</div>"})
    lot = rng.sample(old, 3)
    rows.append({"vendor": "ru_elkaigrushki", "vendor_product_id": "LOT3", "truth": "lot-" + "-".join(sorted(p.key for p in lot)),
                 "name": "Набор из 3 винтажных игрушек Hallmark (1980-е)",
                 "description": "В набор входят: " + "; ".join(f"«{p.name}» ({p.number})" for p in lot) + ". Продаются только вместе."})
    rows.append({"vendor": "br_natalencantado", "vendor_product_id": "KIT-FF", "truth": "kit-frosty",
                 "name": "Kit 3 Enfeites Hallmark Frosty Friends 2022, 2023 e 2024",
                 "description": "O kit contém:\n" + "\n".join(f"- {p.name} (Cód. {p.number})" for p in ff) + "\nEconomize comprando o kit."})
    for vendor, vid, name, fmt in (("cz_vanocniozdoby", "VO-FF-ROK", "Hallmark Frosty Friends – vyberte rok",
                                    "Vyberte rok: " + " / ".join(f"{p.year} ({p.number})" for p in ff)),
                                   ("jsonld_trimshop", "TS-FF-YEAR", "Frosty Friends Ornament - Choose Your Year",
                                    "Choose your year: " + "; ".join(f"{p.year} - Style # {p.number}" for p in ff))):
        rows.append({"vendor": vendor, "vendor_product_id": vid, "truth": "choice-frosty", "name": name,
                     "brand": "Hallmark", "description": fmt})
    box = find(lambda p: p.kind == "box")
    rows.append({"vendor": "ebay_sold", "vendor_product_id": str(rng.randint(10 ** 11, 4 * 10 ** 11)), "truth": box.key,
                 "name": f"EMPTY BOX ONLY 2024 Hallmark Frosty Friends {ff24.number} No Ornament",
                 "description": "<div>Box only, no ornament. Great for storage.</div>", "brand": "Hallmark"})
    rows.append({"vendor": "ru_elkaigrushki", "vendor_product_id": "BOX" + str(rng.randint(1000, 9999)), "truth": box.key,
                 "name": "Коробка от игрушки Hallmark «Frosty Friends» 2024 (без игрушки)",
                 "description": f"Оригинальная коробка для {ff24.number}. Игрушки в комплекте нет."})
    stand = find(lambda p: p.kind == "stand")
    rows.append({"vendor": "amz_detailpages", "vendor_product_id": _asin(rng), "truth": stand.key,
                 "name": f"Hallmark Keepsake Ornament Display Stand, Compatible with {magic.name} {magic.number}",
                 "brand": "Hallmark", "gtin": stand.barcode,
                 "description": f"Product information\nItem model number\u200f : \u200e{stand.number}\nManufacturer\u200f : \u200eHallmark"})
    rows.append({"vendor": "jsonld_trimshop", "vendor_product_id": "TS-STAND", "truth": stand.key, "sku": stand.number,
                 "name": "Keepsake Ornament Display Stand", "brand": "The Trim Shop",
                 "description": f"Fits most Keepsake ornaments, e.g. {express.name} (Style # {express.number}). Ornament not included."})
    rows.append({"vendor": "pos_holidaycottage", "vendor_product_id": "STAND01", "truth": stand.key,
                 "name": f"Ornament Stand - fits {magic.number}", "sku": "STAND01",
                 "description": "Category: Accessories\nQty on hand: 3"})
    cord = find(lambda p: p.kind == "accessory")
    rows.append({"vendor": "cn_meiguozhiyou", "vendor_product_id": str(rng.randint(10 ** 11, 10 ** 12)), "truth": cord.key,
                 "name": "【美国直邮】Hallmark贺曼 Keepsake 魔法挂件电源线 Power Cord",
                 "description": f"型号：{cord.number}\n适用于：{magic.number}、{express.number} 等发光挂件\n不含挂件"})
    rows.append({"vendor": "ru_elkaigrushki", "vendor_product_id": "CORD1", "truth": cord.key, "sku": cord.number,
                 "name": "Шнур питания Hallmark Keepsake Magic",
                 "description": f"Подходит для: {express.number} / {magic.number}. Артикул: {cord.number}"})
    rows.append({"vendor": "amz_detailpages", "vendor_product_id": _asin(rng), "truth": cord.key,
                 "name": f"Power Cord for Hallmark Magic Ornaments, Works with {express.number}",
                 "brand": "Generic", "description": "Product information\nManufacturer\u200f : \u200eGeneric\n"
                 "Not made by Hallmark."})
    hooks = find(lambda p: p.kind == "hooks")
    rows.append({"vendor": "il_kishutim", "vendor_product_id": "HOOKS30", "truth": hooks.key, "name": "ווים לקישוטים Hallmark (30 יח׳)",
                 "description": f"כמו הווים המצורפים ל-{_rtl(rng, ff23.number)}."})
    rows.append({"vendor": "br_natalencantado", "vendor_product_id": "GANCHOS", "truth": hooks.key,
                 "name": "Ganchos para Enfeites Hallmark (30 un.)", "description": f"Mesmo gancho do {ff23.name} ({ff23.number})."})
    rows.append({"vendor": "cn_meiguozhiyou", "vendor_product_id": str(rng.randint(10 ** 11, 10 ** 12)), "truth": "knockoff-ff23",
                 "name": f"圣诞树挂件 冰雪好友 雪人 同款 {ff23.year}",
                 "description": f"仿 Hallmark {ff23.number} 款式，非原装。树脂材质。"})
    rows.append({"vendor": "ebay_sold", "vendor_product_id": str(rng.randint(10 ** 11, 4 * 10 ** 11)), "truth": "repro-magic",
                 "name": f"Custom Handmade Repro of Hallmark {magic.name} {magic.number} - NOT ORIGINAL",
                 "description": "<div>Hand painted copy, not made by Hallmark. No lights.</div>", "brand": "Handmade"})
    return rows


def _plain(text: str | None) -> str:
    """What a person reads: HTML tags gone, entities decoded, compatibility forms folded, direction marks and
    zero-width characters gone, Cyrillic look-alikes read as the Latin letters they look like."""
    text = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.translate(str.maketrans("ХхСсОоАаЕеКкМТРВН", "XxCcOoAaEeKkMTPBH"))


def _shows(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    if not p.number:
        return False
    texts = [_plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    if p.number.isdigit():
        if any(p.number.lstrip("0") in [r.lstrip("0") for r in re.findall(r"\d+", t)] for t in texts):
            return True
    elif any(p.number in re.sub(r"[^A-Z0-9]", "", t.upper()) for t in texts):
        return True
    codes = {p.barcode.lstrip("0")} if p.barcode else set()
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def listings(seed: int = 7777) -> list[dict]:
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
            for row in write(rng, p, every, price):
                row.setdefault("price", price)
                row.update(vendor=vendor, truth=p.key)
                rows.append(row)
    rows += _special(rng, every)
    return as_stored(rows, by_key, _shows, currency.get, Decimal("24.99"))


if __name__ == "__main__":
    print(summary(listings()))
