"""A multi-shop catalogue whose truth is known (issue 23): the three shop replicas' products plus feed
shops listing the same ornaments under their own ids, sku spellings and names, with and without GTINs,
and the traps: the same series in other years, Magic and plain versions, repaints, bundles, a number
Hallmark used again in another year. Each listing carries its truth (the real product) in `truth`.

`python -m tests.catalogue_truth` prints the size of what it makes."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from ornaments.normalize import valid_gtin
from tests.sites.catalog import SHOPS

SHOP_VENDORS = ("hookedonhallmark", "hallmark_ornaments", "ornament_shop", "feed_ornamentdepot", "feed_xmasbarn")
SERIES = ["Frosty Friends", "Nostalgic Houses and Shops", "Here Comes Santa", "Snow Buddies", "Holiday Barbie",
          "Mischievous Kittens", "Christmas Window", "Toymaker Santa", "Fire Brigade", "Winnie the Pooh",
          "Lionel Trains", "Star Wars", "Peanuts", "Sky's the Limit", "Cozy Christmas", "Father Christmas",
          "Puppy Love", "Noelle", "Rocking Horse Memories", "Marvel Studios"]
TITLES = ["Santa's Workshop", "Sweet Treats", "Merry Mailbox", "Jolly Snowman", "Gingerbread Cottage",
          "Reindeer Games", "Candy Cane Lane", "Cocoa Cup", "Silver Bells", "Skating Penguin", "North Pole Express",
          "Holiday Hedgehog", "Cardinal on Branch", "Twinkling Tree", "Angel of Light", "Woodland Fox",
          "Little Drummer", "Polar Bear Cub", "Nutcracker Guard", "Festive Fire Truck"]


@dataclass
class Truth:
    key: str  # the real product
    number: str | None
    name: str
    year: int
    gtin: str | None = None


@dataclass(frozen=True)
class Product:
    """A real product of a catalogue designed apart (the ninth and thirteenth's shape): its truth key, maker
    and number, name, year, barcode; kind (an ornament, or an accessory, lot, box or copy), series, licensor."""
    key: str
    maker: str
    number: str | None
    name: str
    year: int | None
    barcode: str | None = None
    kind: str = "ornament"
    series: str | None = None
    licensor: str | None = None


def plain(text: str | None) -> str:
    """A listing's text as a person reads it: HTML tags and entities gone, compatibility forms folded."""
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", " ", text or "")))

def hallmark_number(rng: random.Random, prefix: str, year: int | None) -> str:
    """A Hallmark number: before 1991 the dated style (three digits and the year's last digit), then four digits."""
    return f"{prefix}{rng.randint(100, 699)}{rng.randint(1, 9)}" if year and year < 1991 \
        else f"{prefix}{rng.randint(1000, 9999)}"


class ProductMaker:
    """The products of a catalogue designed apart as its generator adds them (the tenth, thirteenth and
    fourteenth's shape): each with a number of its maker's shape (`shapes`: maker -> a draw; Hallmark's is
    hallmark_number) that no other product has, and now and then (`barcode`, from 1996) a barcode of the
    maker's company prefix: a UPC for a six-digit prefix, an EAN-13 for a seven-digit one. Keys are
    `key_prefix` and a count; `used` holds numbers no product may have (a shop's postcode). A number
    given is taken as it is: Hallmark used some numbers again in another year (until 2026-12-08 a new one
    was drawn in its place, and these catalogues had no reused number)."""

    def __init__(self, rng: random.Random, key_prefix: str, shapes: dict[str, Any], barcode_prefix: dict[str, str],
                 used: Iterable[str] = ()):
        self.rng, self.key_prefix, self.shapes, self.barcode_prefix = rng, key_prefix, shapes, barcode_prefix
        self.made: list[Product] = []
        self.used = set(used)

    def add(self, maker: str, name: str, year: int | None, prefix: str = "QX", number: str | None = None,
            kind: str = "ornament", barcode: float = 0.7, **more: Any) -> Product:
        rng, drawn = self.rng, number
        while drawn is None or drawn in self.used:  # drawn for a number given too: the later draws stay as they were
            drawn = hallmark_number(rng, prefix, year) if maker == "Hallmark" else self.shapes[maker]()
        self.used.update((drawn, number or drawn))
        number = number or drawn  # a number given is Hallmark's, used again in another year
        code = None
        if (year or 2020) >= 1996 and rng.random() < barcode:
            body = self.barcode_prefix[maker]
            code = with_check(body + "".join(str(rng.randint(0, 9)) for _ in range(12 - len(body) - (len(body) == 6))))
        self.made.append(Product(f"{self.key_prefix}{len(self.made)}", maker, number, name, year, code, kind, **more))
        return self.made[-1]


def slug(text: str) -> str:
    """A URL slug of a text: lower case ASCII letters and digits, the rest as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()).strip("-")


def titled(p: Product) -> str:
    """A product's name and its year, as shops title it."""
    return f"{p.name} {year_text(p)}".strip()


def shows_number_or_barcode(row: dict, p: Product) -> bool:
    """Whether a person sees the product's own number or barcode (separators ignored)."""
    texts = [plain(t) for t in (row.get("sku"), row.get("name"), row.get("description"), row.get("url"),
                                 *row.get("image_urls", []))]
    own = p.number.upper()
    if own.isdigit():
        if any(own in re.findall(r"\d+", re.sub(r"(?<=\d)-(?=\d)", "", t)) for t in texts):
            return True
    elif any(own in re.sub(r"[^A-Z0-9]", "", t.upper()) for t in texts):
        return True
    codes = {p.barcode.lstrip("0")} if p.barcode else set()
    runs = [row.get("gtin") or ""] + [r for t in texts for r in re.findall(r"\d[\d -]*\d", t)]
    return any(re.sub(r"\D", "", r).lstrip("0") in codes for r in runs)


def shop_rows(rng: random.Random, written: Iterable[dict], p: Any, vendor: str, price: Decimal) -> list[dict]:
    """One shop's listings of a product as a generator of the catalogues designed apart finishes them: the
    price unless the shop wrote its own, the vendor and the truth, and now and then (30 %) the release year
    a feed's field gives where the listing has none. `written` is read lazily, as it draws from `rng` too."""
    rows = []
    for row in written:
        row.setdefault("price", price)
        row.update(vendor=vendor, truth=p.key)
        if p.year and row.get("release_year") is None and rng.random() < 0.3:
            row["release_year"] = p.year
        rows.append(row)
    return rows



def _gtin(rng: random.Random) -> str:
    body = "0" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _spell(rng: random.Random, number: str) -> str:
    prefix, digits = number[:-4], number[-4:]
    return rng.choice([number, f"{prefix} {digits}", number.lower(), f"1{number}", f"{number}-1",
                       f"{rng.randint(10, 39)}95{number}"])


def _name(rng: random.Random, truth: Truth, number_in_name: bool) -> str:
    base = truth.name
    forms = [f"{base}", f"{truth.year} {base} Ornament", f"Hallmark Keepsake {base} {truth.year}",
             f"{base} - Hallmark Ornament", f"{base} Christmas Ornament ({truth.year})"]
    name = rng.choice(forms)
    return f"{name} {truth.number}" if number_in_name and truth.number else name


def truths(rng: random.Random, count: int) -> list[Truth]:
    found: list[Truth] = []
    used: set[str] = set()

    def number(prefix="QX"):
        while True:
            n = f"{prefix}{rng.randint(1000, 9999)}"
            if n not in used:
                used.add(n)
                return n

    ordinal = lambda n: f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    for i in range(count):
        year = 2015 + i % 10
        series = SERIES[(i + i // len(TITLES)) % len(SERIES)]  # (title, series, year) never repeats
        nth = 5 + (year - 2015) + i // len(SERIES)
        name = f"{series} {ordinal(nth)} in Series" if i % 3 == 0 else f"{TITLES[i % len(TITLES)]} {series}"
        gtin = _gtin(rng) if rng.random() < 0.5 else None
        found.append(Truth(f"t{i}", number(rng.choice(["QX", "QXI", "QXD", "QXR", "QXE"])), name, year, gtin))
        if i % 7 == 0:  # traps: the same series other years; Magic and plain; a repaint
            found.append(Truth(f"t{i}-next", number(), name.replace(ordinal(nth), ordinal(nth + 1)), year + 1,
                               _gtin(rng)))
            found.append(Truth(f"t{i}-magic", number("QXG"), f"{name} Magic", year))
            found.append(Truth(f"t{i}-repaint", number(), f"{name} Repaint", year))
        if i % 11 == 0:  # a number used again, decades earlier, for another ornament
            found.append(Truth(f"t{i}-old", found[-1].number if i % 7 else found[-4].number,
                               f"{TITLES[(i + 3) % len(TITLES)]} Classic", 1989))
    return found


def listings(seed: int = 23, count: int = 200, nameless_share: float = 0.03) -> list[dict]:
    """Products (as a spider yields them) of every shop, each with its truth key."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for shop in SHOPS.values() if isinstance(SHOPS, dict) else SHOPS:
        for p in shop.products:
            truth = "bundle-" + p.sku if p.sku.startswith("KC") else p.sku
            rows.append({"vendor": shop.vendor, "vendor_product_id": p.pid, "sku": p.sku, "name": p.name,
                         "price": Decimal(p.price.replace(",", "")), "currency": "USD", "release_year": p.year,
                         "availability": "in_stock" if p.available else "out_of_stock", "truth": truth,
                         "brand": "Hallmark", "url": f"https://{shop.vendor}.example/{p.pid}"})
    every = truths(rng, count)
    for t in every:
        for vendor in SHOP_VENDORS:
            if rng.random() < 0.45:
                continue
            own = f"{vendor[:3].upper()}-{rng.randint(100000, 999999)}"
            numberless = rng.random() < nameless_share
            sku = own if numberless or rng.random() < 0.25 else _spell(rng, t.number)
            in_name = not numberless and sku == own and rng.random() < 0.8
            gtin = t.gtin if t.gtin and rng.random() < 0.6 and not numberless else None
            if sku == own and not in_name and not gtin and not numberless:
                in_name = True  # a shop that shows the number nowhere is a numberless listing
            rows.append({"vendor": vendor, "vendor_product_id": own, "sku": sku, "gtin": gtin,
                         "name": _name(rng, t, in_name), "brand": rng.choice(["Hallmark", "Hallmark Keepsake", None]),
                         "release_year": t.year, "price": Decimal(rng.randint(999, 4999)) / 100, "currency": "USD",
                         "availability": rng.choice(["in_stock", "in_stock", "out_of_stock"]), "truth": t.key,
                         "url": f"https://{vendor}.example/{own}"})
    # Bundles: a set of three listed with its parts' numbers; its own product.
    for i in range(0, len(every) - 3, 40):
        parts = every[i:i + 3]
        rows.append({"vendor": "feed_xmasbarn", "vendor_product_id": f"BUNDLE-{i}", "sku": f"BND{i}",
                     "name": "Set of 3: " + ", ".join(f"{p.name} {p.number}" for p in parts),
                     "brand": "Hallmark", "release_year": parts[0].year, "price": Decimal("59.99"),
                     "currency": "USD", "availability": "in_stock", "truth": f"bundle-{i}",
                     "url": f"https://feed_xmasbarn.example/b{i}"})
    return rows


if __name__ == "__main__":
    made = listings()
    print(len(made), "listings of", len({r["truth"] for r in made}), "products")


def pairs(groups: dict) -> set[tuple]:
    """Every unordered pair of members of each group."""
    found = set()
    for members in groups.values():
        ordered = sorted(members)
        found.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    return found


def measure(truth_of: dict[tuple[str, str], str], item_of: dict[tuple[str, str], int],
            proposed: set[tuple[tuple[str, str], int]], keyed: set[tuple[str, str]] = frozenset()) -> dict:
    """Pairwise precision and recall of the automatic links (listings sharing an item), the recall over
    pairs of listings that both carry a manufacturer number or GTIN (keyed: what rungs 1-2 can link at
    all), and how many of the missed true pairs the review queue offers."""
    by_truth: dict[str, list] = {}
    by_item: dict[int, list] = {}
    for key, truth in truth_of.items():
        by_truth.setdefault(truth, []).append(key)
        by_item.setdefault(item_of[key], []).append(key)
    true_pairs, linked = pairs(by_truth), pairs(by_item)
    hit = true_pairs & linked
    missed = true_pairs - linked
    # A missed pair is in the queue when one listing is proposed for the other's item.
    queued = {(a, b) for a, b in missed if (a, item_of[b]) in proposed or (b, item_of[a]) in proposed}
    return {"listings": len(truth_of), "products": len(by_truth), "items": len(by_item),
            "precision": len(hit) / len(linked) if linked else 1.0,
            "recall": len(hit) / len(true_pairs) if true_pairs else 1.0,
            "recall_with_queue": (len(hit) + len(queued)) / len(true_pairs) if true_pairs else 1.0,
            "recall_keyed": _share(hit, {p for p in true_pairs if p[0] in keyed and p[1] in keyed}),
            "review_queue": len(proposed), "wrong_pairs": sorted(linked - true_pairs)[:10]}


def _share(hit: set, wanted: set) -> float:
    return len(hit & wanted) / len(wanted) if wanted else 1.0


def keyed_listings(rows: list[dict]) -> set[tuple[str, str]]:
    """Listings that carry a manufacturer number or a valid GTIN, as the ladder reads them."""
    from ornaments.catalogue.ladder import facts
    return {(r["vendor"], r["vendor_product_id"]) for r in rows if (lambda f: f.number or f.gtins)(facts(r))}


def with_check(body: str) -> str:
    """A GTIN's digits with their GS1 check digit after them (the generators' barcodes)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def nth(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st..."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def as_stored(rows: list[dict], by_key: dict, shows, currency_of, default_price) -> list[dict]:
    """A generator's rows as a spider stores them, each with `shows_key` (shows(row, product): whether a
    person sees its own product's number or barcode): whitespace collapsed in short text, a gtin kept
    only with a right check digit, empty fields dropped, a currency (currency_of(vendor)), availability
    and a price, and one vendor_product_id per listing."""
    made: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        for field in ("name", "sku", "brand"):  # the spider collapses whitespace in short text
            if row.get(field):
                row[field] = " ".join(row[field].split())
        if row.get("gtin") and not valid_gtin(row["gtin"]):
            row["gtin"] = None  # the spider keeps digits with a right check digit only
        row = {k: v for k, v in row.items() if v not in (None, "", [])}
        product = by_key.get(row["truth"])
        row["shows_key"] = bool(product) and shows(row, product)
        row.update(currency=currency_of(row["vendor"]), availability="in_stock",
                   price=row.get("price", default_price))
        while (row["vendor"], row["vendor_product_id"]) in seen:
            row["vendor_product_id"] += "1"
        seen.add((row["vendor"], row["vendor_product_id"]))
        made.append(row)
    return made


def shown(rows: list[dict]) -> set[tuple[str, str]]:
    """The listings that show their product's number or barcode (a generator's truth, not the matcher's):
    for the catalogues designed apart from the matcher, whose rows carry `shows_key`."""
    return {(r["vendor"], r["vendor_product_id"]) for r in rows if r["shows_key"]}


def summary(rows: list[dict]) -> str:
    return (f"{len(rows)} listings of {len({r['truth'] for r in rows})} products; "
            f"{len(shown(rows))} show their number or barcode")


def split_number(number: str) -> tuple[str, str]:
    """A maker's number's letters and digits ("QXI7288" -> ("QXI", "7288"))."""
    m = re.fullmatch(r"([A-Z]*)(\d+)", number)
    return (m[1], m[2]) if m else ("", number)


def others_of(rng: random.Random, p: Any, every: list[Any], k: int = 1) -> list[Any]:
    """k other products a shop names beside p (its series', year's or licensor's first)."""
    near = [o for o in every if o.number and o.number != p.number and o.kind == "ornament" and o.maker == p.maker
            and (o.series and o.series == p.series or o.year == p.year or o.licensor and o.licensor == p.licensor)]
    pool = near if len(near) >= k else [o for o in every if o.number and o.number != p.number and o.kind == "ornament"]
    return rng.sample(pool, min(k, len(pool)))


def bare_name(p: Any) -> str:
    """The product's name without its maker's in front."""
    return p.name[len(p.maker) + 1:] if p.name.startswith(p.maker + " ") else p.name


def year_text(p: Any) -> str:
    """The year to add to a name that does not state it, or ""."""
    return str(p.year) if p.year and str(p.year) not in p.name else ""


def old_style(p: Any, before: int = 1991) -> bool:
    """Whether a product is Hallmark's from the years of the old numbers' style ("QX 507-4")."""
    return p.maker == "Hallmark" and bool(p.year) and p.year < before
