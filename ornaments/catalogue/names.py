"""Names: what two listings' names must agree on to be one product, and how alike they are.

Words that make a different product (a Magic version, a repaint, a limited or club edition, a set or
bundle, one sold with a stand) and the number in a series ("42nd in series") must be the same on both
sides; the rest is compared by similarity (rapidfuzz), after the noise shops add is taken out.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# A listing of several ornaments sold together: "Lot of 3", "Lot (4)", "ornaments lot", "+ 2 more"; or of one
# with a display stand ("... QX4745 with display stand": a bundle, issue 23's "with stand" product; an ornament
# that comes with its stand says so in its description). Not "Set of 3" (Hallmark sells sets under one
# number), a "Christmas Tree Lot", "Tree Lot 2nd in series".
LOT = (r"\blot of\s*(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|hallmark|vintage)\b"
       r"|\blot\s*\(\d{1,2}\)|\blot\s+\d{1,2}\s+(?:hallmark|keepsake|ornaments?|vintage)\b"
       r"|\b(?:\d{1,2}|ornaments|pcs|pieces)\s+lot\b|\b(?:huge|large|big|mixed|bulk|mystery)\s+lot\b"
       r"|(?:[+&]|\band)\s*\d{1,2}\s+(?:more|others)\b|\bcombo\b|\bpack of\s*(?:[2-9]|[1-9]\d)\b|\bkonvolut\b"
       r"|\bbundle\s*(?:of\s*)?\(?(?:[2-9]|[1-9]\d|two|three|four)\b|\b(?:[2-9]|[1-9]\d)\s*(?:pcs\s+|pieces\s+)?bundle\b"
       r"|(?:\bwith|\bw/|\bplus|\+)\s*(?:an? |the )?(?:lighted )?(?:display )?stand\b")
_LOT = re.compile(LOT)  # searched in lower case
# A listing of something that goes with an ornament, not the ornament: its empty box or price tag ("PRICE
# TAG ONLY": collectors sell the tags apart), a store's display
# sign, a Dream Book (Hallmark's catalogue); or a copy someone made of it ("Custom
# Personalized ... hand painted", a knock-off). The ornament's number it names is not its own. (A stand or a
# light cord sold under its own number keeps that: numbers.FITS cuts what it fits off its name.)
# Grouped by first letter: each word start tries one group (names are searched for these on the hot path).
ACCESSORY = (r"\b(?:b(?:ox (?:only|for|kosong)|rochure)|empty box|"  # "box kosong": Indonesian, empty box
             r"n(?:o ornament|ur (?:ovp|(?:der |die |das )?(?:original)?karton)|ot (?:an? )?(?:genuine|original|authentic))|"
             r"store display|d(?:isplay sign|ream ?book|us kosong)|c(?:atalog(?:ue)?|ustom(?:i[sz]ed| made| painted)?|aixa vazia)|"
             r"r(?:epro(?:duction)?|eplacement box|eplik[ae]?|eplica)|k(?:nock-?off|otak kosong|un esken?|opij[ae]|oopia|opie)|"
             r"leere[nrs]? (?:original)?(?:karton|schachtel|verpackung|box|ovp)|hanya (?:box|dus|kotak)|t(?:om eske|ag only))\b")
_ACCESSORY_ELSEWHERE = (r"\b(?:коробка|без игрушки|подставка|копия|caja vac[íi]a|scatola vuota|bo[îi]te vide|yedek kutu|"
                        r"só a caixa|apenas a caixa|cutie goală|doar cutia|άδειο κουτί|μόνο το κουτί|hộp rỗng|chỉ có hộp|"
                        r"r[ée]plique|réplica|replică|hàng nhái|αντίγραφο|απομίμηση|копія|репліка|реплика|підробка|kópia|"
                        r"pouze krabička|prázdná krabička|bez ozdoby|"  # Czech: only the box, an empty box, no ornament
                        r"تقليد|مقلدة?|ليست? أصلية?|레플리카|정품 ?아님|정품이 아닙니다)\b|"  # Arabic, Korean copies
                        r"仿|非原装|空箱|仅盒|กล่องเปล่า|ก๊อป|เลียนแบบ|ไม่ใช่ของแท้")  # in names with other letters
_ACCESSORY = re.compile(ACCESSORY)  # searched in lower case
_ACCESSORY_ANY = re.compile(ACCESSORY + "|" + _ACCESSORY_ELSEWHERE)
# feature -> pattern; a feature present on one side only makes the names different products.
_FEATURES = {
    "magic": r"\bmagic\b|\blighted\b|\blight and sound\b|\bwith (?:light|sound|motion)\b",
    "repaint": r"\bre-?paint(?:ed)?\b",
    "limited": r"\blimited\b|\blimited edition\b",
    "club": r"\bclub\b|\bkoc\b|\bmember(?:s|ship)?\b",
    "set": r"\bset of \w+\b|\b\d+\s*-?\s*(?:pc|piece)s?\b|\bbundle\b|\blot of\b|\bcollection\b",
    "stand": r"\bwith (?:a |the )?(?:display )?stand\b",
    "mini": r"\bminiature\b|\bmini\b",
    "artist": r"\bsigned\b|\bautograph(?:ed)?\b",
    "event": r"\bevent exclusive\b|\bconvention\b",
    "accessory": ACCESSORY,
}
_FEATURE_RES = {k: re.compile(v) for k, v in _FEATURES.items()}
_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b(?:\s+(?:in|of)\s+(?:the\s+)?series)?|(?:#|\bno\.?\s*)(\d{1,3})\b")
# A year as a word of its own; "2022年" too (Japanese), and a collector's "'98".
# 1973 on: Hallmark's first Keepsake year ("Ford Bronco 1966", "1957 Corvette" are a car's).
_YEAR = re.compile(r"(?<![0-9A-Za-z])(197[3-9]|19[89]\d|20[0-4]\d)(?![0-9A-Za-z])")
_SHORT_YEAR = re.compile(r"(?<![0-9A-Za-z])(?:['’‘]|2k)(7[3-9]|[89]\d|[0-4]\d)(?![0-9A-Za-z'’])", re.IGNORECASE)
# A year a seller's title gives the gift, not the ornament: "Perfect 2024 Christmas Gift", "Gift for Christmas
# 2024", "Perfect 2024"; and cut short where a marketplace ends a title (Etsy at 140 characters): "... Perfect
# 2025 Christmas Gi".
_GIFT_YEAR = re.compile(r"\b(?:19|20)\d\d\s+(?:christmas\s+|xmas\s+|holiday\s+)?gifts?\b"
                        r"|\b(?:19|20)\d\d\s+(?:christmas|xmas|holiday)\s+g(?:i(?:ft?)?)?$"
                        r"|\bperfect\s+(?:for\s+)?(?:christmas\s+|xmas\s+)?(?:19|20)\d\d\b"
                        r"|\bgifts?\s+(?:for\s+)?(?:christmas\s+|xmas\s+)?(?:19|20)\d\d\b", re.IGNORECASE)
# A month or season before a year: a date (a newsletter's issue, a sale's), not the ornament's year.
_DATED_AS_ISSUE = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                             r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|"
                             r"winter)\.?,?\s+(?:19|20)\d\d\b", re.IGNORECASE)
# The year a description's label states: "Dated 1993.", "Jahr: 2020", "Année\u00a0: 2020", "Jaar: 2019".
_DATED = re.compile(r"(?:\b(?:dated|year|jahr|ann[ée]e|jaar|a[ñn]o|anno|rok|år|årgang)|\byear manufactured|\bгод выпуска|\brok vydání|\bano\b|年份|発売年|年度|출시년도|출시 연도|연도|שנת)"
                    r"\s*:?\s*((?:19|20)\d\d)(?!\d)",
                    re.IGNORECASE)
# Shop noise: brand words, "ornament", the number itself, punctuation.
_NOISE = re.compile(r"\b(?:hallmark|keepsake|keepsakes|ornaments?|christmas tree|new|nib|mib|in box|boxed|"
                    r"dated|with box|free shipping|q[a-z]{1,3}\s?\d{3,4}(?:[-.]\d)?|\d*q[a-z]{1,3}\d{3,4})\b")
_PUNCT = re.compile(r"[^a-z0-9 ]+")
UNLIKE_BELOW = 50.0
SAME_NAME = 90.0  # similarity of a name a description labels with the listing's own: the same product's


def _fold(text: str) -> str:
    """Lower case, accents and ™/® gone."""
    if text.isascii():  # most names: nothing to fold but the case
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("™", " ").replace("®", " ").replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


SEARCH_NAME_LENGTH = 500  # catalog_items.search_name


def search_text(text: str | None) -> str:
    """Text as GET /items compares it (catalog_items.search_name and the words of q): lower case, accents,
    ™ and ® gone, ’ read as ' ("Crème Brûlée" is found by "creme brulee", "Mickey’s" by "mickey's")."""
    return _fold(text or "")[:SEARCH_NAME_LENGTH]


def features(name: str | None) -> frozenset[str]:
    """The product-making words of a name ("magic", "repaint", "set", ...)."""
    folded = _fold(name or "")
    found = frozenset(k for k, pattern in _FEATURE_RES.items() if pattern.search(folded))
    return found | {"set"} if "set" not in found and is_lot(folded) else found


def series_number(name: str | None) -> int | None:
    """The number in a series a name states ("42nd in Series", "#3"), or None."""
    match = _ORDINAL.search(_fold(name or ""))
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def years_in(name: str | None) -> list[int]:
    """The years a name states, but a gift's ("Perfect 2024 Christmas Gift" is not the ornament's) and,
    beside another year, a date's ("Swap list Oct 2024: 1988 Holiday Snowflake Wreath")."""
    found = _YEAR.findall(name or "")
    if found:
        low = name.lower()
        if len(found) > 1 or "gift" in low or "perfect" in low:
            found = _YEAR.findall(_GIFT_YEAR.sub(" ", name if len(found) == 1 else _DATED_AS_ISSUE.sub(" ", name)))
    elif name and ("'" in name or "’" in name or "‘" in name or "2k" in name.lower()):
        found = [("19" if y >= "60" else "20") + y for y in _SHORT_YEAR.findall(name)]
    return [int(y) for y in found]


def year_in(name: str | None) -> int | None:
    """The latest year a name states: a name mentions earlier years ("1987 Buick Grand National",
    sold in 2019; "40th Anniversary 1980-2019"), not later ones."""
    found = years_in(name)
    return max(found) if found else None


def dated_year(description: str | None) -> int | None:
    """The one year a description's labels state ("Dated 1993.", "Jahr: 2020"); None for none or several."""
    found = {int(y) for y in _DATED.findall(description or "")}
    return found.pop() if len(found) == 1 else None


# A date in a URL ("/lots/2024-11-519", "/2023/12/frosty"): when the page was made, not the ornament's year.
_DATE = re.compile(r"(?<![0-9])(?:19|20)\d\d[-/_](?:0?[1-9]|1[0-2])(?![0-9])")


def listing_year(name: str | None, description: str | None, url_path: str | None) -> int | None:
    """A listing's release year: the name's (the latest it states), unless the description dates the
    ornament in one of the name's years ("VTG 1993 ... Series Began 1980 ... 2025 Christmas G" and "Dated
    1993."); else the URL's; else the description's dated year."""
    stated = years_in(name)
    if len(set(stated)) == 1:
        return stated[0]
    if stated:
        dated = dated_year(description)
        return dated if dated in stated else max(stated)
    return year_in(_DATE.sub(" ", url_path) if url_path else url_path) or dated_year(description)


def is_lot(name: str | None) -> bool:
    """Whether a name says several ornaments are sold together (their numbers are not its own)."""
    if not name:
        return False
    low = name.lower()  # the pattern is slow to search everywhere; most names have none of its words
    return ("lot" in low or "more" in low or "others" in low or "combo" in low or "pack" in low or "konvolut" in low
            or "bundle" in low or "stand" in low) \
        and _LOT.search(low) is not None


# A description that says the listing is a copy ("仿 Hallmark QX5971 款式，非原装", "not a genuine Hallmark").
_COPY = re.compile(r"\b(?:not (?:an? )?(?:genuine|original|authentic|official)|not a hallmark product|knock-?off|copy of|"
                   r"look-?alike of|"
                   r"no original|no es original|compare to|nachbau|kein hallmark|imitation|inspired by|"
                   r"inspirad[oa] en|replik[ae]?|replica|bukan (?:original|asli|ori)|tiruan|n'est pas un produit|"
                   r"pas un produit|ikke original|inspirert av|hindi (?:original|orig|authentic|legit)|nije original|"
                   r"nie je original|neni original|ne originalas|nav originals|mitte originaal)\b")  # searched in lower case
_COPY_ANY = re.compile(_COPY.pattern + r"|\b(?:подделка|não original|réplica|r[ée]plique|inspir[ée]e? (?:de|par)|"
                       r"replică|imitație|nu este original|hàng nhái|không chính hãng|αντίγραφο|απομίμηση|imitação|"
                       r"не оригінал|не оригинал|репліка|реплика|підробка|nie je originál|není originál|"
                       r"nav oriģināls|не є оригіналом|تقليد|مقلدة?|ليست? أصلية?|레플리카|정품 ?아님|정품이 아닙니다)\b|"
                       r"仿|非原装|ก๊อป|เลียนแบบ|ไม่ใช่ของแท้")


def is_copy(description: str | None) -> bool:
    """Whether a description says the listing is a copy of the ornament whose number it names."""
    if not description:
        return False
    low = description.lower()
    return (_COPY if low.isascii() else _COPY_ANY).search(low) is not None


# A description that says the listing is only the ornament's price tag or box ("Original price tag only, no
# ornament.", "Box only for qx6617."): a marketplace cuts the title before its "PRICE TAG ONLY". Not a box's
# state ("Box only has shelf wear").
_PART_ONLY = re.compile(r"\b(?:tag|box) only\b(?!\s+(?:has|have|is|was|shows?|slightly|minor|some)\b)")
_SET = re.compile(r"\bset\b")


def is_part_only(description: str | None) -> bool:
    """Whether a description says the listing is only an ornament's price tag or box."""
    if not description:
        return False
    return ("nly" in description or "NLY" in description) and _PART_ONLY.search(description.lower()) is not None


def says_set(name: str | None) -> bool:
    """Whether a name calls the listing a set ("Collector's Set", "Set of 3")."""
    low = name.lower() if name else ""
    return "set" in low and _SET.search(low) is not None


def is_accessory(name: str | None) -> bool:
    """Whether a name says the listing is an ornament's box, display or catalogue, not the ornament."""
    if not name:
        return False
    low = name.lower()
    return (_ACCESSORY if low.isascii() else _ACCESSORY_ANY).search(low) is not None


def comparable(name: str | None) -> str:
    """The name as compared: folded, shop noise, years and punctuation out, words kept in order."""
    folded = _fold(name or "")
    folded = _NOISE.sub(" ", folded)
    folded = _YEAR.sub(" ", folded)
    folded = _ORDINAL.sub(" ", folded)  # series numbers are compared apart (disagreement)
    folded = re.sub(r"\b(?:in|of) (?:the )?series\b|\bseries\b", " ", folded)
    return " ".join(_PUNCT.sub(" ", folded).split())


def similarity(a: str, b: str) -> float:
    """0-100: how alike two comparable() names are (word order does not matter, extra words do)."""
    if not a or not b:
        return 0.0
    return fuzz.token_sort_ratio(a, b)  # not token_set: "Cocoa Cup Toymaker Santa" is not "Toymaker Santa"


def unlike(name_a: str | None, name_b: str | None) -> bool:
    """Two names that share next to nothing (rapidfuzz token_set_ratio < UNLIKE_BELOW once shop noise is
    out): rung 2's guard where a year is missing, so that a number Hallmark used in two years does not
    join "Cool Decade" and "The Grinch". Either name empty: nothing to tell, not unlike."""
    if _mostly_unlatin(name_a) or _mostly_unlatin(name_b):
        return False  # "Шнур питания Hallmark Keepsake Magic": comparable() keeps a word or two of it
    a, b = comparable(name_a), comparable(name_b)
    return bool(a and b) and fuzz.token_set_ratio(a, b) < UNLIKE_BELOW


def _mostly_unlatin(name: str | None) -> bool:
    """A name written mostly in another script (Cyrillic, Chinese, Hebrew...): its words are not compared."""
    if not name or name.isascii():
        return False
    letters = [c for c in name if c.isalpha()]
    return sum(not ("a" <= c.lower() <= "z" or unicodedata.name(c, "").startswith("LATIN")) for c in letters) * 3 > len(letters)


def disagreement(name_a: str | None, name_b: str | None) -> str | None:
    """Why two names cannot be one product (a feature on one side only, other series numbers), or None."""
    fa, fb = features(name_a), features(name_b)
    if fa != fb:
        return "differ in " + ", ".join(sorted(fa ^ fb))
    sa, sb = series_number(name_a), series_number(name_b)
    if sa is not None and sb is not None and sa != sb:
        return f"series numbers {sa} and {sb}"
    return None
