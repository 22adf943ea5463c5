"""Makers we know and their numbers outside Hallmark's pattern: brand spellings, and where another maker's
number is read (a label, a sku that is nothing but the number, a title's word).

Department 56, Christopher Radko, Old World Christmas, Kurt Adler, Enesco and the other makers of collectible
ornaments have no pattern of their own, so a number is theirs only where a text labels it ("Herstellernummer:
4051270", "Item #: 6007621"), or, for a maker we know and a listing without a barcode, a sku that is nothing
but such a number or the one such number a title gives as a word (numbers.listing_numbers decides the order).
"""

from __future__ import annotations

import functools
import re

from ornaments.catalogue import labels

# Other manufacturers: a number the text labels as the maker's ("Model", "MPN", "Mfr. #", "Herstellernummer")
# or as the article's ("Item #", "Style", "Art.-Nr.", "Référence"); the maker's label wins over the article's,
# which German shops often give their own number. A label starts a word ("Department 4036533" has none).
# Brand spellings seen in feeds -> one key.
_BRANDS = {
    "hallmark": "hallmark", "hallmark keepsake": "hallmark", "hallmark keepsake ornaments": "hallmark",
    "keepsake": "hallmark", "hallmark ornaments": "hallmark", "keepsake ornaments": "hallmark",
    "hmk": "hallmark",  # Hallmark's own abbreviation, in wholesale sheets ("HMK", "HMK-QX9201")
    "department 56": "department56", "dept 56": "department56", "dept. 56": "department56",
    "christopher radko": "radko", "radko": "radko", "old world christmas": "oldworldchristmas",
    "kurt adler": "kurtadler", "kurt s. adler": "kurtadler", "enesco": "enesco",
    # abbreviations retailers use
    "d56": "department56", "department56": "department56", "owc": "oldworldchristmas", "ksa": "kurtadler",
    "kurt s adler": "kurtadler", "precious moments": "preciousmoments",
    # as Japanese shops write them
    "ホールマーク": "hallmark", "カートアドラー": "kurtadler", "カート アドラー": "kurtadler",
    "オールドワールドクリスマス": "oldworldchristmas", "クリストファーラドコ": "radko", "홀마크": "hallmark",
    # other makers of collectible and annual ornaments, whose numbers shops give as a bare sku or a title's word
    "lenox": "lenox", "waterford": "waterford", "waterford crystal": "waterford", "swarovski": "swarovski",
    "georg jensen": "georgjensen", "royal copenhagen": "royalcopenhagen", "thun": "thun", "komozja": "komozja",
    "komozja family": "komozja", "inge-glas": "ingeglas", "inge glas": "ingeglas", "käthe wohlfahrt": "kathewohlfahrt",
    "kathe wohlfahrt": "kathewohlfahrt", "christborn": "christborn", "wallace silversmiths": "wallace",
    "reed & barton": "reedbarton", "reed and barton": "reedbarton", "towle": "towle", "lladró": "lladro",
    "lladro": "lladro", "jim shore": "jimshore", "willow tree": "willowtree", "byers' choice": "byerschoice",
    "annalee": "annalee", "wallace": "wallace", "carlton cards": "carltoncards", "carlton heirloom": "carltoncards", "danbury mint": "danburymint",
}
# The makers we know by name, as texts write them (a brand field left empty, a maker's name as a label):
# their spellings above, but Hallmark's and the short abbreviations ("OWC", "D56"), which are no names in a text.
_MAKER_NAMES = "|".join(sorted((re.escape(spelling) for spelling, key in _BRANDS.items()
                                if key != "hallmark" and len(spelling) > 4), key=len, reverse=True))
# A number as a spreadsheet or a box writes it reads as its digits: thousand separators ("4,022,590",
# "18,046") and a dash between digit groups ("10-99994", Radko's box; "1-294-96", Inge-Glas's).
_GROUPED = r"\d{1,3},\d{3}(?:,\d{3})?(?![\d,])|\d{2,3}-\d{4,6}(?![\d-])|\d-\d{3}-\d{2}(?![\d-])|"
# "|" too: a spec table flattened to text ("Model Number | 6077555").
_NUMBER_AFTER = (r"\s*(?:(?:item|code|ref\.?)\s*)?(?:no\.?|number|#)?\s*[:#|]?\s*#?\s*"
                 r"(" + _GROUPED + r"[A-Z]{0,4}[- ]?\d{3,8}(?:[A-Z]\d{0,3})?)\b")  # "HAN: #4051270", "S2851A82"
# A label after the number: "#33768 on the box", "1099994 is on the box".
_ON_THE_BOX = re.compile(r"(?<![\w#-])#?(\d{5,8}|[A-Z]{1,2}-?\d{4,7})\s+(?:is\s+)?on\s+(?:the\s+)?box\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-, ]")
_TWIN_IN_DIGITS = re.compile(r"(?<=\d)[OIL](?=\d)")  # upper case: OCR's O, l or I between digits
_MAKER_LABELLED = re.compile(r"(?:\bmodel|\bmpn|\bpart|\bmfr\.?|\bmanufacturer(?:['’]s)?(?:\s+(?:part|ref\.?|reference|code))?|"
                             r"\bmaker['’]s(?:\s+item)?|\bnumber on (?:the )?box|\bbox (?:says|reads|shows)|"
                             r"\b(?:" + _MAKER_NAMES + r")\s*(?=(?:item\s*)?(?:#|no\.?|number))|"
                             + labels.MAKER + ")"
                             + _NUMBER_AFTER, re.IGNORECASE)
_LABELLED = re.compile(r"(?:\bitem|\bstyle|\barticle|\bart\.|" + labels.ARTICLE + ")" + _NUMBER_AFTER, re.IGNORECASE)
# A stockist's "Code:" starting a line ("Code: 1023302", "Product code: C8863"): its own id or the maker's (its own
# is left out by the caller); at a line's start only, not a "Discount code: XMAS2024" or a "Zip code: 46220".
_CODE_LINE = re.compile(r"^[ \t]*(?:product |item |stock )?code" + _NUMBER_AFTER, re.IGNORECASE | re.MULTILINE)
_SUPPLIED = re.compile(r"(?:" + labels.SUPPLIER + r")\s*[:#]?\s*(\d{5,8})\b", re.IGNORECASE)  # digits only: not "GH-883500"
# A maker we know's number as a sku that is nothing else: 5-8 digits ("4036533") or one or two letters and
# 4-7 digits ("C7654", "HA0123"), perhaps with a reseller's box suffix ("4067094-NB"); read last, and only
# for those makers (a shop's own id of that shape, under a brand we do not know, is not a maker's number).
# A shop may put its own letters before it ("HAL-1020229", "HMK-T7911") and condition or market after it
# ("-NEW", "_NEW_US").
# A spreadsheet's float ("241516.0") or thousand separators ("4,022,590"), one letter and a dash or a space (Kurt
# Adler's "C-9826", "C 8885") and Inge-Glas's dashes ("1-294-96") are that number too.
_BARE_NUMBER = re.compile(r"(?:[A-Z]{2,4}[-_])?([A-Z]{1,2}\d{4,7}|[A-Z][- ]\d{4,7}|\d{5,8}|\d-\d{3}-\d{2}|\d{2,3},\d{3}|\d{1,2},\d{3},\d{3})"
                          r"(?:\.0)?(?:[-_](?:NB|WB|B|NIB|MIB|U|USED|NEW|US))*")
# A wholesaler's sku of a case: its letters, the maker's number and the count in the case ("NP-6094792-6").
_CASE_PACK = re.compile(r"[A-Z]{2,4}-(\d{5,8}|[A-Z]{1,2}\d{4,7})-(?:[2-9]|1[0-9]|2[0-4])")
# Where the words before a label start: a line's or a sentence's start ("Mfr. #" and "Réf." keep theirs).
# Not a label's abbreviating dot ("(réf. QX4111), B (réf. 241516)") nor a German ordinal's ("26. Teil der Serie").
_CLAUSE_START = re.compile(r"(?:\n|[!?;]|(?<!\b[rR][eéEÉ][fF])(?<!\b[nN][oOrR])(?<!\b[aA][rR][tT])(?<!\b[mM][fF][rR])"
                           r"\.\s+(?=[A-Z])(?!(?i:teil|folge|ausgabe|auflage)\b))")
# What a feed puts in the brand field for none: "Unbranded", "Generic", "Does not apply", "No brand".
_NO_BRAND = re.compile(r"unbranded|generic|does not apply|n/?a|none|no brand|unknown|other|-+")  # in lower case
_STORE_BYLINE = re.compile(r"visit the (.+) store")
# A company's legal form, and words some shops add to a maker's name ("Thun S.p.A.", "Georg Jensen A/S",
# "Komozja Family"): not part of the key.
_COMPANY_WORDS = re.compile(r"(?:\s+|,)(?:inc|llc|ltd|limited|gmbh|ag|s\.?p\.?a|s\.?r\.?l|s\.?a|co|corp|corporation|"
                            r"company|b\.?v|a/s|ab|oy|sp\.? z o\.?o|family|collection|ornaments|designs)\.?$")
# A maker named in a listing's name or description when the brand field is empty (whole words, so that
# "Radko" is not found in a word and "Hallmark" is read before them all).
_MAKER_NAMED = re.compile(r"\b(" + _MAKER_NAMES + r")\b", re.IGNORECASE)
MAKERS = frozenset(_BRANDS.values())
# Makers whose pieces are numbered with digits only (Department 56's "4036533", Radko's "1018877", Old World
# Christmas's "46011", Lenox's "872166", Enesco's "6053565"): letters make another code (a shop's own "NT7520").
DIGITS_ONLY = frozenset({"department56", "radko", "oldworldchristmas", "lenox", "enesco", "waterford"})
_MAKER_WORDS = frozenset(word for spelling in _BRANDS for word in spelling.split())
# Another maker's number as a word of a title: 5-8 digits or 1-2 letters and 4-7 digits, perhaps after "#" (or "1-263-75").
# A keyword title glues words to it: a maker's name before ("Lenox879964", "Old32371"), a word after
# ("344542enes", "14015old-": a slug's first letters, lower case).
_NAMED_NUMBER = re.compile(r"(?<![\w#-])#?([A-Za-z]{1,2}\d{4,7}|\d{5,8}|\d-\d{3}-\d{2})(?:(?<=\d)[a-z]{2,6}-?)?(?![\w-])")
_GLUED_MAKER = re.compile(r"\b(" + "|".join(sorted((w for w in _MAKER_WORDS if w.isalpha() and len(w) > 2), key=len,
                                                   reverse=True)) + r")(?=\d{4,8}\b)", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)
def brand_field_key(brand: str) -> str:
    """brand_key's reading of the brand field alone: a maker we know's key, another brand's letters and
    digits (three at least), or "" for none (a feed's filler, "Unbranded"). Shops repeat a few brands:
    each is read once."""
    if _NO_BRAND.fullmatch(brand.strip().lower()):
        return ""
    cleaned = " ".join(brand.lower().replace("®", " ").replace("™", " ").split())
    store = _STORE_BYLINE.fullmatch(cleaned)
    if store:  # a marketplace's byline: "Visit the Lladró Store"
        cleaned = store.group(1)
    if cleaned in _BRANDS:
        return _BRANDS[cleaned]
    for spelling, key in _BRANDS.items():
        if cleaned.startswith(spelling):
            return key
    while True:
        shorter = _COMPANY_WORDS.sub("", cleaned)
        if shorter == cleaned:
            break
        cleaned = shorter
    key = _NOT_ALNUM.sub("", cleaned)[:64]
    return key if len(key) > 2 else ""


def maker_named(*texts: str | None) -> str:
    """The key of the first maker we know that the texts name ("Department 56 Grinch Sleigh"), or ""."""
    for text in texts:
        match = _MAKER_NAMED.search(text) if text else None
        if match:
            return brand_field_key(" ".join(match.group(1).split()))
    return ""


# A heading line of cross-sell or accessory words ("Zubehör", "Similar products"; not a sentence, "From my
# collection."): the lines under it, up to a line that starts with a label ("Herstellernummer 4051270"), are
# another product's list.
_HEADING_LINE = re.compile(r"^[ \t]*[^\W\d_][^:\n\d.!?]{0,60}:?[ \t]*\n", re.MULTILINE)  # not a sentence
_LINE_START = re.compile(r"^[ \t]*(?=\S)", re.MULTILINE)


def _listed_elsewhere(text: str) -> list[tuple[int, int]]:
    """Where a text lists other products under a heading of cross-sell words: (start, end) of each list."""
    spans = []
    for heading in _HEADING_LINE.finditer(text):
        if not labels.ELSEWHERE.search(heading.group()):
            continue
        end = len(text)
        for line in _LINE_START.finditer(text, heading.end()):
            if _MAKER_LABELLED.match(text, line.end()) or _LABELLED.match(text, line.end()):
                end = line.start()
                break
        spans.append((heading.end(), end))
    return spans


def labelled_numbers(text: str | None) -> list[str]:
    """Numbers a text labels as the manufacturer's ("Model ABC-123", "Herstellernummer: 4036533"), then
    as the article's ("Item #: 4036533", "Art.-Nr. 4036533"). A label after words that point at other
    ornaments in its sentence ("Vous aimerez aussi : Grinch réf. 4051270") is not the listing's. A photo's
    text reads O or l between digits as 0 or 1 ("Item No. 8641O6")."""
    if not text:
        return []
    found: list[str] = []
    on_box = _ON_THE_BOX if " box" in text or " Box" in text else None
    lists = None  # under a heading of cross-sell words: worked out at the first label
    for pattern in (_MAKER_LABELLED, on_box, _LABELLED, _SUPPLIED if "ie" in text else None,
                    _CODE_LINE if "ode" in text else None):
        for match in pattern.finditer(text) if pattern else ():
            if lists is None:
                lists = _listed_elsewhere(text) if "\n" in text else []
            if lists and any(start <= match.start() < end for start, end in lists):
                continue
            starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, match.start())]
            if labels.ELSEWHERE.search(text, starts[-1] if starts else 0, match.start()):
                continue
            number = _SEPARATORS.sub("", match.group(1).upper())
            if "O" in number or "I" in number or "L" in number:
                number = _TWIN_IN_DIGITS.sub(lambda m: "0" if m.group() == "O" else "1", number)
            if number not in found:
                found.append(number)
    return found


def bare_sku_number(sku: str | None) -> list[str]:
    """A maker's number that is the whole sku ("4036533", "C6172", "4067094-NB"), perhaps after the maker's
    name as a feed's mpn writes it ("Kurt C6172", "Christopher 4090084") or a shop's letters ("HAL-1020229"), or
    a wholesaler's case of it ("NP-6094792-6": its letters, the number, the count in the case)."""
    words = (sku or "").upper().split()
    while len(words) > 1 and words[0].lower() in _MAKER_WORDS:
        words.pop(0)
    bare = _BARE_NUMBER.fullmatch(" ".join(words)) if words else None
    if bare is None and len(words) == 1 and "-" in words[0]:
        bare = _CASE_PACK.fullmatch(words[0])
    return [_SEPARATORS.sub("", bare.group(1))] if bare else []


def named_numbers(name: str | None) -> list[str]:
    """A maker's number a title gives as a word of its own ("Cardinal on Clip 79684", "Grinch Sleigh
    #6015608"): one, or none when the title names several (a lot)."""
    name = _GLUED_MAKER.sub(r"\1 ", name) if name and not name.isalpha() else name
    found = list(dict.fromkeys(m.group(1).upper().replace("-", "") for m in _NAMED_NUMBER.finditer(name or "")))
    return found if len(found) == 1 else []
