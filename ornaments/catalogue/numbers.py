"""Manufacturer item numbers and GTINs, read and normalised.

Hallmark writes one number many ways: `QX 9201`, `qx9201`, `QX-9201`, `1QX9201` / `2023QX9201` (a price,
pack or year prefix), `QX9201-1` (a case-pack suffix), `QX 507-4` (the old style, whose last digit is part
of the number; `QX507.4` or `QX-507-4` as vintage sellers type it). All of those are `QX9201` / `QX5074`.
A shop's own id is never a manufacturer number.

`listing_numbers` and `listing_gtins` read one listing's places, strongest first (see docs/catalogue.md).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from ornaments.catalogue import labels, makers, names
from ornaments.catalogue.makers import MAKERS, labelled_numbers, maker_named  # noqa: F401 (numbers.MAKERS, ...)

# Hallmark: Q + 1-3 letters (QX, QXI, QXD, QXE, QXR, QXM, QXC, QLX, QHX, QK, QBG...) + 3 or 4 digits,
# optionally a leading digit run glued on (price/pack prefix) and a trailing -digit (or .digit: "QX531.6").
# Typed with spaces between the letters ("Q X D 1298"), or "_" or "/" before the digits ("QX_8333").
_HALLMARK = re.compile(r"(?<![A-Z])\d*(Q(?: ?[A-Z]){1,3})[ ._/-]?(\d{3,4})(?:[-. ](\d))?(?![0-9])")
# A seller's letters glued before a Hallmark number in a sku ("HKQX1906", "TPQX7475"); read in skus only
# (in a name, "UNIQUE1234" is no number).
_WRAPPED = re.compile(r"[A-Z]{1,4}(Q[A-Z]{1,3})[ ._/-]?(\d{4})(?![0-9])")
# A label that says the number after it is the listing's own: "Item #: QXI7288", "Hallmark # QXD4116",
# "Style QX9201", "Keepsake Ornament QX9201", "MPN: QX9201"; and as shops label it in other languages
# (labels.MAKER, labels.ARTICLE). Any other short label that ends a line's first words with a colon or a
# tab is one too for a Hallmark number ("Nr katalogowy: QX 2822", "Model\tQX/6834"): _ANY_LABEL.
_OWN_LABEL = re.compile(r"(?:\bitem|\bhallmark|\bstyle|\bkeepsake ornament|\bmodel|\bmpn|\bpart|\bproduct code|\bsku|"
                        r"\bmanufacturer(?:['’]s)?(?:\s+(?:part|ref\.?|reference|code|number))?|"
                        r"\bmfr\.?|" + labels.MAKER + "|" + labels.ARTICLE + "|" + labels.SUPPLIER + r")"
                        r"\s*(?:no\.?|number|#|item)?\s*[:#]?\s*#?\s*$", re.IGNORECASE)  # "Réf. : #QX9201" too
_ANY_LABEL = re.compile(r"\s*[^\W\d_][^:\t\n]{0,40}?(?::|\t)\s*#?\s*")
# "Label: Another Name (QX1234)": a number after a name that a label introduces is that name's, in any
# language ("Zobacz także: Barbie Dreamhouse (QXI9418)", "関連商品:Christmas Cardinal QX4203").
_NAMED_AFTER_LABEL = re.compile(r"\s*[^\W\d_][^:\t\n]{0,40}?:(?:[^\n]*?[^\W\d_]{2,}){2}[^\n]*")
# A sentence ends at a full stop, "!", "?" or a line's end; not at ";", which goes on listing what its
# sentence lists ("You might also like: Snow Buddies (QX1234); Frosty Friends (QX5678)").
# A heading over a list (a few words, perhaps a colon) and a line that starts with a label.
_WORDS = re.compile(r"[^\W\d_]{2,}")  # a word of letters
_HEADING = re.compile(r"[^\W\d_][^:\n]{0,60}:?")
_LABEL_LINE = re.compile(r"\s*[^\W\d_][^:\n]{0,40}:\s*\S")
_SENTENCE = re.compile(r"[^.!?\n。]*(?:[.!?\n。]+|$)")
# A label's abbreviating dot does not end its sentence: "Item No. QX9201", "Réf. QX9201", "Mfr. QX9201";
# nor does a dot between digits, the old style's "QX278.6".
# nor does a title's ("Dr. Seuss's The Grinch", "Mr. and Mrs. Claus") or an initial's ("U.S.S. Enterprise"),
# "for example" abbreviated ("f.eks.", "π.χ.": labels.ELSEWHERE), or a German ordinal's ("26. Teil der Serie").
_ABBREVIATION_DOT = re.compile(r"\b(?:" + labels.by_first_letter(r"no|nr|r[ée]f|art|mfr|kat|c[óo]d|varenr|artikelnr|dr|mr|mrs|ms|st|"
                                                          r"jr|sr|mt|vol|approx|ca|vs|κωδ|" + labels.FOR_EXAMPLE)
                               + r")\.|(?<=\d)\.(?=\d|\s(?:teil|folge|ausgabe|auflage)\b)|(?<![^\W\d_])[A-Z]\.(?=\s?[A-Z])",
                               re.IGNORECASE)
# A product's Hallmark number as a file or slug spells it (the last path segment).
_LAST_SEGMENT = re.compile(r"[^/]*$")


_HASHTAG = re.compile(r"#\w+")


def brand_key(brand: str | None, *texts: str | None) -> str:
    """One key per manufacturer: "Hallmark Keepsake Ornaments®" and "HALLMARK" are "hallmark". Without a
    brand (or with one of one or two characters), a Hallmark number or the word Hallmark in the texts
    says Hallmark; otherwise "" (unknown)."""
    key = makers.brand_field_key(brand) if brand else ""
    if key in MAKERS:
        return key
    # Not a maker we know: often the licensed property ("Star Wars", "Disney") or the shop's own name a
    # marketplace puts in the brand field; or none (or one or two characters: a feed's filler, a CJ feed's
    # manufacturer "t"). The word Hallmark in the texts (sku, name) names the maker; a Hallmark number does too,
    # but gives way to a maker we know the texts name (a shop's own id "QK3761" is shaped as Hallmark's).
    mentions = [text for text in texts if text and "hallmark" in text.lower()]
    if mentions:  # but a tag is no maker's word: "Kurt Adler Nutcracker Guard #christmastree #hallmark" (a pin)
        tagged_only = all("hallmark" not in _HASHTAG.sub(" ", text.lower()) for text in mentions)
        return (maker_named(*texts) or "hallmark") if tagged_only else "hallmark"
    if any(hallmark_numbers(text) for text in texts if text):
        return maker_named(*texts) or "hallmark"
    return maker_named(*texts) or key


def _hallmark_matches(text: str | None) -> Iterable[tuple[str, int, int]]:
    """(normalised number, where it starts, where it ends) for every Hallmark number in the text."""
    if not text:
        return
    for match in _HALLMARK.finditer(text.upper()):
        prefix, digits, suffix = match.groups()
        if " " in prefix:
            prefix = prefix.replace(" ", "")
        if len(digits) == 3 and suffix:  # old style "QX 507-4": the suffix is the number's last digit
            digits += suffix
        if len(digits) == 3:
            continue  # "QX 507" alone is cut short: not a number we can trust
        yield prefix + digits, match.start(), match.end()


def hallmark_numbers(text: str | None) -> list[str]:
    """Every Hallmark item number in the text, normalised, in order of appearance, without repeats."""
    found: list[str] = []
    if not text:
        return found
    upper = text.upper()
    if "KQ" in upper:  # Hallmark's abbreviation glued on in a wholesale sheet's sku ("HMKQX9201"), or its name
        upper = upper.replace("HMKQ", "HMK Q").replace("HALLMARKQ", "HALLMARK Q")  # in a keyword title ("HallmarkQX7457")
    for match in _HALLMARK.finditer(upper):  # _hallmark_matches' rule, inline: the hot path
        prefix, digits, suffix = match.groups()
        if len(digits) == 3:
            if not suffix:
                continue
            digits += suffix
        number = (prefix.replace(" ", "") if " " in prefix else prefix) + digits
        if number not in found:
            found.append(number)
    return found


def sku_hallmark_numbers(sku: str | None) -> list[str]:
    """A sku's Hallmark numbers, also behind a seller's glued letters ("HKQXD2583")."""
    found = hallmark_numbers(sku)
    if not found and sku and ("Q" in sku or "q" in sku):
        found = list(dict.fromkeys(m.group(1) + m.group(2) for m in _WRAPPED.finditer(sku.upper())))
    return found


def labelled_hallmark_numbers(text: str | None) -> list[str]:
    """The Hallmark numbers a text labels as the listing's own ("Item #: QXI7288", "Style QX9201")."""
    return own_description_numbers(text)[0]


def own_description_numbers(text: str | None, own_name: str | None = None) -> tuple[list[str], list[str]]:
    """(labelled, unlabelled) Hallmark numbers a description gives as the listing's own.

    A number right after a label ("Item #:", "Hallmark #", "Style", "Keepsake Ornament") is labelled,
    unless words pointing at other ornaments ("Pairs with last year's", "Also see", "Includes") come
    between the previous number (or the sentence's start) and the label. An unlabelled number counts
    only before such words in its sentence ("number on box is qx7507, also have the 2021 one qxg5831").
    A heading made of such words ("Customers also bought", "You may also like:") makes the lines after it
    another product's list, up to a line that starts with a label ("Item #: ...", "Model QX9201").
    "Label: a name NUMBER" is that name's number, unless the name is the listing's own (own_name): a price
    comparison's "Walmart: Hallmark Sky's the Limit 26th in Series QX 6367 — $31.00"."""
    labelled: list[str] = []
    loose: list[str] = []
    text = text or ""
    masked = _ABBREVIATION_DOT.sub(lambda m: m.group().replace(".", "\ue000"), text) if "." in text else text
    listing_elsewhere = False  # under such a heading
    line_elsewhere = False  # after "Pairs with:" on this line, past a name's "!" ("... Stole Christmas! Grinch (QXI4595)")
    heading_label = None  # the line before was a label alone
    for match in _SENTENCE.finditer(masked):
        sentence = text[match.start():match.end()]
        if line_elsewhere:
            line_elsewhere = not sentence.endswith("\n")
            if not _starts_with_label(sentence):  # "Grinch and Max - Code: QXI5446" goes on naming the other
                continue
            line_elsewhere = False
        if listing_elsewhere:  # the list goes on, over blank lines and paragraphs, to a line that starts with a label
            if _LABEL_LINE.match(sentence) or _starts_with_label(sentence):
                listing_elsewhere = False
            else:
                continue
        elsewhere = labels.ELSEWHERE.search(sentence)
        if elsewhere and sentence.endswith("\n") and _HEADING.fullmatch(sentence.strip()) \
                and not _HALLMARK.search(sentence.upper()):
            listing_elsewhere = True
            continue
        found = list(_hallmark_matches(sentence))
        # Where the sentence points elsewhere: from its first such word when numbers follow it ("qx7507
        # also have the 2021 one qxg5831"), else all of it ("Die 2021 Ausgabe (QX6597) habe ich auch",
        # "sold separately").
        pointing = len(sentence)
        if labels.SEPARATE.search(sentence):
            continue  # "ornament QX1234 sold separately", "(süs dahil değildir)": not even a label's number
        if elsewhere:
            pointing = elsewhere.start() if any(start > elsewhere.start() for _, start, _ in found) else 0
            line_elsewhere = not sentence.endswith("\n") and ":" in sentence[elsewhere.end():]
        before = 0
        for number, start, end in found:
            label = _OWN_LABEL.search(sentence, before, start)
            if label is None and before == 0 and _ANY_LABEL.fullmatch(sentence, 0, start):
                label = _ANY_LABEL.fullmatch(sentence, 0, start)
            if label is None and heading_label and not _WORDS.search(sentence, before, start):
                label = heading_label  # "Model Number" on the line before: a specifications table, flattened
            if label is not None and not labels.ELSEWHERE.search(sentence, before, label.start()) \
                    and not labels.ELSEWHERE.search(label.group()) \
                    and not (elsewhere and before and elsewhere.start() < label.start()
                             and _WORDS.search(sentence, before, label.start())):
                if number not in labelled:
                    labelled.append(number)
            elif start < pointing and number not in loose and (not _NAMED_AFTER_LABEL.fullmatch(sentence, 0, start)
                                                               or _names_own(sentence[:start], own_name)):
                loose.append(number)
            before = end
        heading_label = _OWN_LABEL.fullmatch(sentence.strip()) if not found and sentence.endswith("\n") else None
    return labelled, loose


_PIECE_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.MULTILINE)


def lists_pieces(description: str | None, number: str) -> bool:
    """Whether a sentence of the description names the number with other Hallmark numbers: a set's pieces
    ("Collector's set: the 44th in series (QX4745), the Miniature (QXM5188) and ... (QXC1916)"); up to the
    words after its own number that point elsewhere ("Item Number: QX9463 You may also like ... QX5363")."""
    for match in _PIECE_SENTENCE.finditer(description or ""):
        sentence = match.group()
        own = next((m for m in _hallmark_matches(sentence) if m[0] == number), None)
        if own is None:
            continue
        elsewhere = labels.ELSEWHERE.search(sentence, own[2])
        if len(hallmark_numbers(sentence[:elsewhere.start()] if elsewhere else sentence)) > 1:
            return True
    return False


# A line of a list by year: "2023: Frosty Friends Sledding Seal 44th in Series (QX4745)".
_YEAR_LINE = re.compile(r"^[ \t]*((?:19|20)\d\d)\s*[:\-–—]\s+(\S[^\n]*)$", re.MULTILINE)


def year_line_number(description: str | None, year: int, name: str | None) -> list[str]:
    """A series variation's own number in the list by year its parent's description gives every variation
    (WooCommerce: "Frosty Friends Series - 2023" over "2022: … (QX7017)\n2023: … (QX4745)"): the number
    of the one line of the listing's year (a series of one year has a list of one), when that line's name is
    alike the listing's and does not make it another product (a Miniature, a Magic piece)."""
    lines: dict[int, list[tuple[str, str]]] = {}
    for match in _YEAR_LINE.finditer(description or ""):
        found = hallmark_numbers(match.group(2))
        if len(found) == 1:
            lines.setdefault(int(match.group(1)), []).append((found[0], match.group(2)))
    mine = lines.get(year, [])
    if len(mine) != 1:
        return []
    named = _HALLMARK.sub(" ", mine[0][1].upper()).lower()
    return [] if names.disagreement(named, name) or names.unlike(named, name) else [mine[0][0]]


def _starts_with_label(sentence: str) -> bool:
    """Whether a line starts with a label of its first Hallmark number ("Model QX9201", "Style # QX9201")."""
    first = _HALLMARK.search(sentence.upper())
    label = _OWN_LABEL.search(sentence, 0, first.start()) if first else None
    return label is not None and not sentence[:label.start()].strip()


_PRICE_CODE = re.compile(r"\s\d{3,4}\s*$")  # the box's price code typed before the number
_OCR_ZERO = re.compile(r"(?<=[^\W\d_])0|(?<![\w])0(?=[^\W\d_]{3})")  # a photo's text: "0rnament", "HALLMARK 0RNAMENT"


# A price comparison's offer line: "Shop: \"a name 1027177\" – 33,04 €" (another maker's number after the name).
_OFFER = re.compile(r"^[^:\n]{1,40}:\s*[\"“„]?([^\n]{3,200}?)\s#?(\d{5,8}|[A-Z]{1,2}\d{4,7})[\"”“]?(?=\s|$)", re.MULTILINE)


def _offered_numbers(description: str | None, own_name: str | None) -> list[str]:
    """Another maker's number a price comparison's offer lines give after the listing's own name (as
    _names_own compares it; a line of cross-sell words, or one naming no product, gives none)."""
    found: list[str] = []
    for match in _OFFER.finditer(description) if description and ":" in description else ():
        named, number = match.group(1), match.group(2)
        if names.comparable(named) and not labels.ELSEWHERE.search(match.group()) and _names_own(named, own_name) \
                and number not in found:
            found.append(number)
    return found


def _names_own(labelled_name: str, own_name: str | None) -> bool:
    """Whether "Label: a name" names the listing's own product: the name after the label is its name (alike
    as rung 3 compares names, the same series number and product-making words, no other year)."""
    named = _PRICE_CODE.sub("", labelled_name.split(":", 1)[-1])  # "HAVE: 1993 Special Dog 875 QX 3667"
    if not names.comparable(_OCR_ZERO.sub("o", named)):
        return True  # no name, only the maker's words: "Text in photos: HALLMARK Keepsake 0rnament QX4259"
    if not own_name:
        return False
    if names.disagreement(named, own_name):
        return False
    years, own_years = set(names.years_in(named)), set(names.years_in(own_name))
    if years and own_years and not years & own_years:
        return False
    # a title that is itself "Label: name" names its product after the colon ("Swap list Nov 2024: 1998 …");
    # the same words, in any order: "… Gingerbread Girl" is not "… Gingerbread Boy", however alike
    words = set(names.comparable(named).split())
    return any(words == set(names.comparable(own).split()) for own in {own_name, own_name.rsplit(":", 1)[-1]})


def _may_fit(low: str) -> bool:
    """Whether an ASCII name (lower case) has a word of labels.FITS' (most names have none: not searched)."""
    return ("with" in low or "fit" in low or "suit" in low or "same" in low or " for" in low or "simil" in low
            or "look" in low or "passer" in low or "compat" in low or "cocok" in low or "mirip" in low
            or "seperti" in low or "semelh" in low or "parecid" in low)


def item_numbers(brand: str, sku: str | None, name: str | None, description: str | None) -> list[str]:
    """The manufacturer numbers of sku, name and description (normalised, in that order). Hallmark's
    pattern is read everywhere; another brand's number only where a label says so (a bare sku is most
    often the shop's own)."""
    numbers: list[str] = []
    for place, text in enumerate((sku, name, description)):
        candidates = (hallmark_numbers(text) if place else sku_hallmark_numbers(text)) \
            if brand in ("hallmark", "") else []
        if brand and brand != "hallmark":
            candidates = labelled_numbers(text)
        for number in candidates:
            if number not in numbers:
                numbers.append(number)
    return numbers


def listing_numbers(brand: str, sku: str | None, name: str | None, description: str | None,
                    url: str | None = None, images: Any = None, has_gtin: bool = False,
                    own_id: str | None = None) -> list[str]:
    """A listing's manufacturer numbers, from the first place that names any, strongest first:
    1. sku and name (several there: a bundle, and the caller links none);
    2. numbers the description labels as the listing's own ("Item #:", "Hallmark #", "Style");
    3. the URL's last path segment (a slug such as `frosty-friends-2023-qx9201`), then the image file
       names (`QX9201_1.jpg`; images as image_list reads them): one number, or none when they name several;
    4. the description's one unlabelled number.
    In the description, words that point at other ornaments ("Pairs with last year's QX...", "Also
    see", "Includes") void a label after them and every unlabelled number of their sentence
    (own_description_numbers); in places 2-4, several numbers say nothing. A Hallmark number typed with
    the letter O for a zero ("QX92O1") is read when nothing else is (labels.o_as_zero). The shop's own id
    (own_id, its vendor_product_id) is not another maker's number where the description labels it ("Item
    #4548181")."""
    low = name.lower() if name else ""
    # most names have none of FITS' words: looked for only where one may be
    fits = labels.FITS.search(low) if low and (not low.isascii() or _may_fit(low)) else None
    if fits:
        name = name[:fits.start()]  # what it fits or looks like ("… giống QX9764") is another product
    found = _listing_numbers(brand, sku, name, description, url, images, has_gtin, own_id)
    if found or brand not in ("hallmark", ""):
        return found
    typed = [labels.o_as_zero(text) for text in (sku, name, description)]
    if typed == [sku, name, description]:
        return found
    return _listing_numbers(brand, *typed, url, images, has_gtin, own_id)


def _listing_numbers(brand: str, sku: str | None, name: str | None, description: str | None,
                     url: str | None, images: Any, has_gtin: bool, own_id: str | None = None) -> list[str]:
    if own_id and sku == own_id and ("Q" in sku or "q" in sku) and brand in ("hallmark", "") and sku_hallmark_numbers(sku):
        # The sku is the shop's own id (a seller's "QS4821"): the name's number and the description's label come
        # first (a shop whose id is the maker's number, "qxr7551", keeps it when they name none).
        found = item_numbers(brand, None, name, None) or own_description_numbers(description, name)[0]
        if found:
            return found if len(found) == 1 or item_numbers(brand, None, name, None) else []
    own = item_numbers(brand, sku, name, None)
    if own and brand == "hallmark":
        return own
    digits_only = brand in makers.DIGITS_ONLY  # a shop's "NT7520" is not Lenox's number, however labelled
    if own and digits_only:
        own = [number for number in own if number.isdigit()]
    if own:
        return own
    if brand not in ("hallmark", ""):
        own = own_id.upper().replace("-", "").replace(" ", "") if own_id else None
        if own_id and description and not own_id.isdigit() and own_id in description:
            # the shop's own id as it writes it, a market's letters after its digits ("Item # : 89236-CA")
            description = re.sub(r"(?<![\w-])" + re.escape(own_id) + r"(?![\w-])", " ", description)
        labelled = [number for number in labelled_numbers(description)
                    if number != own and (number.isdigit() or not digits_only)]
        if not labelled and brand in MAKERS:  # a price comparison's offers, but not the shop's own id
            labelled = [number for number in _offered_numbers(description, name)  # ("product:retailer_item_id: 1011291")
                        if number != own and (number.isdigit() or not digits_only)]
        if labelled or brand not in MAKERS or has_gtin:
            return labelled[:1]  # a listing with a barcode is linked by it: a guessed number could only veto that
        # the title's number beside the maker's name before a bare sku, more often the shop's own id
        found = makers.named_numbers(name) or makers.bare_sku_number(sku)
        return [number for number in found if number.isdigit()] if digits_only else found
    labelled, loose = own_description_numbers(description, name)
    slug = _LAST_SEGMENT.search((url or "").split("?", 1)[0].rstrip("/")).group()
    for place in (labelled, hallmark_numbers(slug), _image_numbers(image_list(images)), loose):
        if place:
            return place if len(place) == 1 else []
    return []


def _image_numbers(images: Iterable[str]) -> list[str]:
    found: list[str] = []
    for image in images:
        for number in hallmark_numbers(_LAST_SEGMENT.search(str(image)).group()):
            if number not in found:
                found.append(number)
    return found


def image_list(value) -> list[str]:
    """A products row's image_urls: stored as JSON text, or a list as a spider yields it."""
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
        if isinstance(value, str):
            return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
