"""The words shops write around numbers, in the languages seen, and a listing's text as the matcher reads it.

numbers.py reads manufacturer numbers and barcodes after these labels. A label's language is no
condition: a German label in an Italian shop's text reads the same.

- MAKER: the manufacturer's number ("Herstellernummer", "Réf. fabricant", "Cod. produttore", "品番").
- ARTICLE: the article's number, which some shops give the maker's number and others their own
  ("Art.-Nr.", "Référence", "Codice articolo", "Varenr.", "商品番号").
- BARCODE: a GTIN ("UPC / CUP :", "EAN-Code", "JANコード", "Kod kreskowy", "Stregkode").
- ELSEWHERE: words of a sentence that points at other ornaments (cross-sells, "pairs with", tags); what
  follows them is another ornament's. SEPARATE: words that point back ("sold separately"): the whole
  sentence is.
"""

from __future__ import annotations

import re
import unicodedata

MAKER = (r"\bhersteller(?:-?artikel)?(?:nummer|-?nr\.?)|\bhan\b|\bmodell(?:nummer)?|"  # German
         r"\br[ée]f(?:[ée]rence)?\.?\s+fabricant|\bfabrikant(?:code|nummer)|"  # French, Dutch
         r"\bref(?:erencia)?\.?\s+(?:del\s+)?fabricante|\bc[óo]d(?:igo|\.)?\s+(?:del\s+)?fabricante|"  # Spanish
         r"\bcod(?:ice|\.)?\s+(?:art(?:icolo|\.)?\s+)?(?:del\s+)?produttore|\bcodice\s+fornitore|"  # Italian
         r"\bkod\s+producenta|\bnr\.?\s+kat(?:alogowy|\.)?|\bsymbol\b|"  # Polish
         r"\bproducent(?:ens)?\s+varen(?:umme)?r\.?|\btillverkarens\s+artikelnummer|"  # Danish, Swedish
         r"メーカー品番|品番|型番|모델명|품번")  # Japanese, Korean
ARTICLE = (r"\bart(?:ikel)?\.?-?\s*n(?:umme)?r\.?|\bartikel(?:code|nummer)|\br[ée]f(?:[ée]rence)?\b\.?|"
           r"\bcode article|\bproductcode|\breferencia\b|\bc[óo]digo(?:\s+(?:de\s+)?(?:art[íi]culo|producto))?\b|"
           r"\bcodice(?:\s+(?:articolo|prodotto))?\b|\bvaren(?:umme)?r\.?|\bnr\s+produktu|商品番号|商品コード|제품번호|상품번호")
BARCODE = (r"(?:\b(?:upc|ean|gtin|barcode|cup)(?:-?a|-?8|-?12|-?13|-?14)?|\bjan(?![a-z])|\bkod\s+kreskowy|"
           r"\bstregkode|\bstreckkod|\bstrekkode|\bc[óo]digo\s+de\s+barras|\bcodice\s+a\s+barre|バーコード|바코드)")
# English, German, French, Dutch, Spanish, Italian, Polish, Danish/Norwegian/Swedish, Portuguese.
_ELSEWHERE_WORDS = (
    r"also|pairs?|paired|last year|next year|previous|companion|goes with|go with|complete|collect(?:ion)?|"
    r"bought|considered|matches|matching|see|similar|like|other|sold separately|includes?|including|set|tags|"
    r"keywords|passend|dazu|auch|ähnlich|weitere|aimerez|aussi|voir|assorti|également|complétez|bijpassend|ook|"
    r"bekijk|también|tambien|gustar|relacionad[oa]s|similares|potrebbe|interessarti|anche|vedi|correlati|simili|"
    r"zobacz|także|takze|podobne|polecane|også|ogsa|relaterede|lignende|även|liknande|veja|relacionados|related|"
    r"frequently|viewed")
# Words that point back at what their sentence names: "(ornament QX1234 sold separately)", "not included".
SEPARATE = re.compile(r"\b(?:sold separately|available separately|not included|separately|nicht enthalten|"
                      r"non inclus|no incluid[oa]|non inclus[oa]|separat)\b|別売", re.IGNORECASE)
ELSEWHERE = re.compile(r"\b(?:" + _ELSEWHERE_WORDS + r")\b|関連|おすすめ|こちらも|一緒に|함께|관련|추천", re.IGNORECASE)

# Characters a page or a keyboard puts inside a number: zero-width spaces and joiners, a soft hyphen
# (removed), and dashes other than "-" (read as "-"). NFKC folds full-width "ＱＸ６７２１" and "：", and
# the no-break space.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
# A Hallmark number typed with the letter O for a zero ("QX92O1", "QX957O"): the four places after the
# letters hold digits and O's, two digits at least.
_LETTER_O = re.compile(r"(?<![A-Za-z])([Qq][A-Za-z]{1,2})(?=[\dOo]{4}(?![\dA-Za-z]))(\d{0,3}[Oo][\dOo]{0,3})(?![\dA-Za-z])")


def _zeros(match: re.Match) -> str:
    digits = match.group(2)
    if sum(c.isdigit() for c in digits) < 2:
        return match.group()
    return match.group(1) + digits.replace("O", "0").replace("o", "0")


def as_read(text: str | None) -> str | None:
    """Text as the matcher reads numbers in it: full-width folded, invisible characters out, dashes as
    "-". Not for showing: "™" becomes "TM". ASCII text is returned as it is."""
    if not text or text.isascii():
        return text
    return unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).translate(_DASHES)


def o_as_zero(text: str | None) -> str | None:
    """The text with a Hallmark number's letter O read as 0 ("QX92O1", "QX957O")."""
    if not text or ("q" not in text and "Q" not in text):
        return text
    return _LETTER_O.sub(_zeros, text)
