"""The words shops write around numbers, in the languages seen, and a listing's text as the matcher reads it.

numbers.py reads manufacturer numbers and barcodes.py barcodes after these labels. A label's language is
no condition: a German label in an Italian shop's text reads the same. as_read and plain_text give the
text a person reads (full-width, invisible and look-alike characters, other scripts' digits; HTML).

- MAKER: the manufacturer's number ("Herstellernummer", "Réf. fabricant", "Cod. produttore", "品番").
- ARTICLE: the article's number, which some shops give the maker's number and others their own
  ("Art.-Nr.", "Référence", "Codice articolo", "Varenr.", "商品番号").
- BARCODE: a GTIN ("UPC / CUP :", "EAN-Code", "JANコード", "Kod kreskowy", "Stregkode").
- ELSEWHERE: words of a sentence that points at other ornaments (cross-sells, "pairs with", tags); what
  follows them is another ornament's. SEPARATE: words that point back ("sold separately"): the whole
  sentence is.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

MAKER = (r"\bhersteller(?:-?artikel)?(?:nummer|-?nr\.?)|\bhan\b|\bmodell(?:nummer)?|"  # German
         r"\br[ée]f(?:[ée]rence)?\.?\s+fabricant|\bn[o°º]\.?\s+du\s+fabricant|\bfabrikant(?:code|nummer|ref(?:erentie)?\.?)|"  # French, Dutch
         r"\bref(?:erencia)?\.?\s+(?:del\s+)?fabricante|\bc[óo]d(?:igo|\.)?\s+(?:del\s+)?fabricante|"  # Spanish
         r"\bcod(?:ice|\.)?\s+(?:art(?:icolo|\.)?\s+)?(?:del\s+)?produttore|\bcodice\s+fornitore|"  # Italian
         r"\bkod\s+producenta|\bnr\.?\s+kat(?:alogowy|\.)?|\bsymbol\b|"  # Polish
         r"\bprodu[cs]ent(?:ens)?\s+varen(?:umme)?r\.?|\bprodusent(?:nummer|nr\.?)|"  # Danish, Norwegian
         r"\btillv(?:erkarens|\.)\s+art(?:ikel)?\.?\s*n(?:umme)?r\.?|"  # Swedish
         r"\bvalmistajan\s+(?:tuote)?koodi|\bmallinumero|"  # Finnish
         r"\büretici\s+kodu|\bgy[áa]rt[óo]i\s+cikksz[áa]m|"  # Turkish, Hungarian
         r"\bbest\.?-?\s*nr\.?|\bnummer\s+auf\s+der\s+packung|رقم\s+الموديل|"  # German, Arabic
         r"\bk[óo]d\s+v[ýy]robce|\bkatalogov[ée]\s+[čc][íi]slo|"  # Czech
         r"\bc[óo]d(?:igo|\.)?\s+do\s+fabricante|\bref(?:er[êe]ncia|\.?a\b|\.)?\s*do\s+fabricante|\bmodelo\b|"  # Portuguese
         r"\bκωδ(?:ικός|ικος|\.)?\s+κατασκευαστ[ήη]|\bcod(?:ul)?\s+(?:de\s+)?produc[ăa]tor(?:ului)?|"  # Greek, Romanian
         r"\bmã\s+(?:nhà\s+sản\s+xuất|nsx)|รหัสผู้ผลิต|"  # Vietnamese, Thai (the NSX: the maker)
         r"\b(?:no\.?|nomor|kode)\s+produk\s+(?:di|pada)\s+(?:box|dus|kotak)|"  # Indonesian: "No. produk di box"
         r"\bкод\s+производителя|\bартикул\s+производителя|\bмодель\b|"  # Russian
         r"\b(?=[кkšsшgrtа])(?:код\s+виробника|артикул\s+виробника|k[óo]d\s+v[ýy]robcu|"  # Ukrainian, Slovak
         r"[šs]ifra\s+proizvo(?:đ|dj?)a[čc]a|[šs]ifra\s+proizvajalca|шифра\s+произвођача|"  # Croatian ... Slovenian
         r"gamintojo\s+kodas|ra[žz]ot[āa]ja\s+kods|tootja\s+kood)|"  # Lithuanian, Latvian, Estonian (the lookahead: speed)
         r"מק[״\"]ט\s+יצרן|דגם|"  # Hebrew
         r"メーカー品番|品番|型番|모델명|품번|型号")  # Japanese, Korean, Chinese
ARTICLE = (r"\bart(?:ikel)?\.?-?\s*n(?:umme)?r\.?|\bartikel(?:code|nummer)|\br[ée]f(?:[ée]rence)?\b(?:\.?a\b)?\.?|"
           r"\bcode article|\bproductcode|\breferencia\b|\bc[óo]digo(?:\s+(?:de\s+)?(?:art[íi]culo|producto))?\b|"
           r"\bcodice(?:\s+(?:articolo|prodotto))?\b|\bvaren(?:umme)?r\.?|\bnr\s+produktu|\btuotenumero|"
           r"\b[üu]r[üu]n\s+kodu|\bcikksz[áa]m|\bартикул\b|\brefer[êe]ncia\b|"
           r"מספר\s+קטלוגי|מק[״\"]ט|商品番号|商品コード|제품번호|상품번호|货号")
# The supplier's number: the maker's when the shop buys from the maker, else a wholesaler's ("GH-883500"): read
# for a Hallmark-shaped number, and for another maker only as digits (makers.labelled_numbers, last).
SUPPLIER = r"\blieferanten(?:artikel)?(?:nummer|-?nr\.?)|\bleveranciers(?:nummer|code)|\bsupplier(?:['’]s)?\s+(?:code|number|no\.?)"
BARCODE = (r"(?:\b(?:upc|ean|gtin|barcode|cup)(?:-?a|-?8|-?12|-?13|-?14)?|\bjan(?![a-z])|\bkod\s+kreskowy|"
           r"\bstregkode|\bstreckkod|\bstrekkode|\bcode[- ]barres?|\bstreepjescode|\bc[óo]digo\s+de\s+barras|\bcodice\s+a\s+barre|"
           r"\b[čc][áa]rov[ýy]\s+k[óo]d|\bcod(?:ul)?\s+de\s+bare|\bmã\s+vạch|บาร์โค้ด|\bγραμμωτός\s+κώδικας|"
           r"\bштрих-?код|\b(?=[bsr])(?:br[ūu]k[šs]ninis\s+kodas|sv[īi]trkods|ribakood)|\bbarkod|\bvonalk[óo]d|\bean-koodi|ברקוד|الباركود|バーコード|바코드|条形码|条码)")
# In the languages above (English, German, French, Dutch, Spanish, Italian, Portuguese, Polish, Czech,
# Hungarian, Danish, Swedish, Finnish, Turkish, Russian, Hebrew, Arabic; CJK words below, without \b).
_ELSEWHERE_WORDS = (
    r"also|pairs?|paired|last (?:year|month|season|week)|next year|previous|companion|goes with|go with|complete|collect(?:ion)?|"
    r"bought|considered|matches|matching|see|similar|like|other|sold separately|includes?|including|set|tags|"
    r"same (?:load|pallet|shipment)|"  # a liquidator's manifest: what else came in the load
    r"keywords|passend|dazu|auch|ähnlich|weitere|aimerez|aussi|voir|assorti|également|complétez|bijpassend|ook|"
    r"bekijk|también|tambien|gustar|relacionad[oa]s|similares|potrebbe|interessarti|anche|vedi|correlati|simili|"
    r"zobacz|także|takze|podobne|polecane|også|ogsa|relaterede|lignende|även|liknande|veja|relacionados|related|"
    r"frequently|viewed|display with|compatible|works with|fits|such as|same as|mesmo|također|také|navazuje|"
    r"kolekce|stejné|"
    r"также|покупают|смотрите|похожие|подходит|junto|também|tambem|גם|דומים|missa|heller|passar|myös|"
    r"ajánlott|önerilen|benzer|متوافق|"
    r"passer|similare|asemănătoare|recomandate|compatível|compatibil|juga|serupa|terkait|cocok|giống|tương tự|"
    r"xem thêm|liên quan|σχετικά|παρόμοια|επίσης|δείτε|κατάλληλο|ταιριάζει|συμβατό|"  # Norwegian ... Greek
    r"for example|for instance|zum beispiel|par exemple|por ejemplo|por exemplo|per esempio|till exempel|"
    r"for eksempel|na przykład|örneğin|например|"
    r"wants?|wanted|wtb|looking for|in search of|seeking|"
    r"(?=[zisptrodlcсптра])(?:"  # the thirteenth catalogue's, behind their first letters (speed)
    r"zubehör|zubehoer|isrelatedto|issimilarto|isaccessoryorsparepartfor|isconsumablefor|"  # German accessories; schema.org
    r"схожі|подібні|також|рекомендуємо|супутні|аналогічні|аналогичные|рекомендуем|сопутствующие|"  # Ukrainian, Russian
    r"podobné|podobn[ée]\s+produkty|súvisiace|související|tiež|odporúčame|doporučujeme|"  # Slovak, Czech
    r"slični|slicni|povezani|preporučujemo|takođe|podobni|tudi|слични|"  # Croatian, Serbian, Bosnian, Slovenian
    r"panašios|susijusios|taip pat|līdzīgas|lidzigas|saistītās|sarnased|seotud|"  # Lithuanian, Latvian, Estonian
    r"check (?:niyo|nyo|nio|mo) (?:din|rin)|tingnan (?:din|rin)|iba pang)")  # Filipino (Taglish)  # a swap list's "WANT:", "ISO" lines
# Words that point back at what their sentence names: "(ornament QX1234 sold separately)", "not included".
SEPARATE = re.compile(r"\b(?:sold separately|available separately|not included|separately|nicht enthalten|"
                      r"non inclus|no incluid[oa]|non inclus[oa]|separat|dahil değil(?:dir)?|nem tartozéka)\b|別売|"
                      r"전용|専用|专用",  # "for use with": "QXR5952 / QXR9301 전용 전원 코드" (a cord for those pieces)
                      re.IGNORECASE)
# "For example" abbreviated: "e.g.", "f.eks.", "z.B.", "p.ex.", "de ex.", "π.χ.", "t.ex.", "bijv.", "np.", "např."
# (before their last dot; numbers._ABBREVIATION_DOT reads them as no sentence's end too).
FOR_EXAMPLE = r"e\.\s?g|f\.\s?eks|z\.\s?b|p\.\s?ex|de ex|π\.\s?χ|t\.\s?ex|bijv|np|např"
_CJK_ELSEWHERE = (r"関連|おすすめ|こちらも|一緒に|함께|관련|추천|看了又看|猜你喜欢|相关|推荐|搭配|同系列|适用|호환|כמו|"
                  r"คล้าย|ที่เกี่ยวข้อง|แนะนำ|ดูเพิ่ม|เหมาะกับ")  # no word boundaries in these scripts


def by_first_letter(alternation: str) -> str:
    """The same alternatives grouped by their first character ("also|aussi|see" -> "a(?:lso|ussi)|s(?:ee)"),
    so that a search tries one group at each place instead of every word (these lists are searched in every
    sentence of every description). Alternatives are regular expressions; one that starts with a class or
    group stays whole."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(alternation):
        char = alternation[i]
        if char == "\\":
            i += 2
            continue
        depth += (char in "([") - (char in ")]")
        if char == "|" and depth == 0:
            parts.append(alternation[start:i])
            start = i + 1
        i += 1
    parts.append(alternation[start:])
    groups: dict[str, list[str]] = {}
    for part in parts:
        first = part[:2] if part[0] == "\\" else part[0]
        key, rest = (part, "") if part[0] in "([" else (first, part[len(first):])
        groups.setdefault(key, []).append(rest)
    return "|".join(key if rests == [""] else f"{key}(?:{'|'.join(sorted(set(rests), key=len, reverse=True))})"
                    for key, rests in groups.items())


ELSEWHERE = re.compile(r"\b(?:(?:" + by_first_letter(_ELSEWHERE_WORDS) + r")\b|(?:" + FOR_EXAMPLE + r")\.)|"
                       r"(?=[" + "".join(sorted({w[0] for w in _CJK_ELSEWHERE.split("|")})) + r"])(?:"
                       + _CJK_ELSEWHERE + ")", re.IGNORECASE)
# In a name, what an accessory fits: "Display Stand, Compatible with Santa's Sleigh Magic QXR5581" (the
# number after it is that ornament's, not the stand's).
# And what a keyword title says it looks like: "… giống QX9764" (Vietnamese "like"), "mirip", "คล้าย".
FITS = re.compile(r"\b(?:compatible with|works with|fits|for use with|to suit|same as|подходит для|"
                  r"(?:stand|cord|hooks?) for|similar to|looks like|passer til|compatível com|compatibil cu|cocok untuk|"
                  r"συμβατό με|giống|tương tự|mirip|seperti|ähnlich wie|semelhante a|similaire à|simile a|parecido a)\b|"
                  r"适用于|호환|คล้าย|เหมือน")  # searched in lower case

# Characters a page or a keyboard puts inside a number: zero-width spaces and joiners, a soft hyphen
# (removed), and dashes other than "-" (read as "-"). NFKC folds full-width "ＱＸ６７２１" and "：", and
# the no-break space.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # and the marks of writing direction:
                                      "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Cyrillic letters that look like Latin ones, typed inside a Hallmark number ("QХ-9287" with a Cyrillic Х).
_LOOKALIKE = str.maketrans("АВЕКМНОРСТХУаеорсху", "ABEKMHOPCTXYaeopcxy")
_MIXED_NUMBER = re.compile(r"[Qq][A-Za-z\u0400-\u04ff]{1,3}(?=[ ._/-]?\d)")
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
# A Hallmark number typed with the letter O for a zero ("QX92O1", "QX957O"): the four places after the
# letters hold digits and O's, two digits at least.
# And OCR's glyph twins, l or I for a 1 ("QXl325", "QX5O7-4" in the old style).
_LETTER_O = re.compile(r"(?<![A-Za-z])([Qq][A-Za-z]{1,2})(?=[\dOolI]{4}(?![\dA-Za-z])|[\dOolI]{3}-[\dOolI](?![\dA-Za-z]))"
                       r"((?=[\d-]*[OolI])[\dOolI]{3}-?[\dOolI])(?![\dA-Za-z])")
_TWINS = str.maketrans("OolI", "0011")


def _zeros(match: re.Match) -> str:
    digits = match.group(2)
    if sum(c.isdigit() for c in digits) < 2:
        return match.group()
    return match.group(1) + digits.translate(_TWINS)


# Decimal digits of other scripts (Arabic-Indic "٥٧١٤", Devanagari, ...): read as 0-9.
_DIGITS = {code: str(unicodedata.digit(chr(code))) for start in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10)
           for code in range(start, start + 10)}


def as_read(text: str | None) -> str | None:
    """Text as the matcher reads numbers in it: full-width folded, invisible characters out, dashes as
    "-". Not for showing: "™" becomes "TM". ASCII text is returned as it is."""
    if not text or text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).translate(_DASHES).translate(_DIGITS)
    if "Q" in text or "q" in text:
        text = _MIXED_NUMBER.sub(lambda m: m.group().translate(_LOOKALIKE), text)
    return text


def o_as_zero(text: str | None) -> str | None:
    """The text with a Hallmark number's letter O read as 0 ("QX92O1", "QX957O"), and l or I as 1 ("QXl325")."""
    if not text or ("q" not in text and "Q" not in text):
        return text
    return _LETTER_O.sub(_zeros, text)


# HTML in a description (feeds pass shops' body HTML on): a paragraph, line, list item or table row ends
# a sentence; a cell or bold does not ("<th>Item Number</th><td>QX9201</td>" keeps its label).
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|ul|ol|table|div|h[1-6])\b[^>]*>", re.IGNORECASE)  # a paragraph: a blank line
_LINE_TAG = re.compile(r"<\s*(?:br|li|tr)\b[^>]*>", re.IGNORECASE)  # a line (a list's items stay one list)
_END_OF_LINE_TAG = re.compile(r"<\s*/\s*(?:li|tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def json_lines(text: str) -> str:
    """A description that is a JSON object (a TikTok Shop or app feed passes its product JSON on:
    {"desc": "...", "attributes": {"Model": "6038581"}}) as a person reads it: each value on a line of its
    own, after its key ("Model: 6038581"), "\\ud83c…" escapes read. Text that is no JSON is returned as it is."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    lines: list[str] = []

    def walk(node: object, key: str | None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, None)
        elif node is not None:
            lines.append(f"{key}: {node}" if key else str(node))
    walk(value, None)
    return "\n".join(lines) if isinstance(value, dict) else text


def plain_text(text: str | None) -> str | None:
    """A description as a person reads it: HTML tags out, entities decoded ("Item &#35;: QX9201",
    "Item&nbsp;#:&nbsp;QX9201"), a JSON object as its lines (json_lines). Text without "<" or "&" is
    returned as it is (most descriptions)."""
    if text and text[0] == "{":
        text = json_lines(text)
    if not text or ("<" not in text and "&" not in text):
        return text
    if "<" in text:
        text = _TAG.sub(" ", _LINE_TAG.sub("\n", _END_OF_LINE_TAG.sub("", _BLOCK_TAG.sub("\n\n", text))))
    return html.unescape(text).replace("\xa0", " ") if "&" in text else text
