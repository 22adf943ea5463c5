"""Read prices and currencies as the feed wrote them, and never guess.

Two styles:
- "decimal_point": machine-written prices, as Google Merchant's spec requires ("15.00 USD", "1299.95"):
  a decimal point, optional thousands commas, an optional ISO 4217 code before or after.
- "display": what shops print ("$1,299.95", "28,95 €", "1.299,95 zł"): grouping and decimal marks
  are read from the text, and any text they do not explain is refused.

A price that is there but cannot be read ("1.2.3", "∞", "NaN", "1e309", "12,34,56", "0x10", "(5.00)",
"15.00 BTC") is `bad`, never "no price": the caller keeps the stored price. Only an explicit no-price
(empty, "Sold out", "N/A", "Call for price") reads as no price at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

# ISO 4217 codes in use (2026), so "BTC" or "XYZ" is refused instead of stored as a currency.
ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
""".split())

# Symbols that name one currency. "$", "kr", "¥" (and "R", "Rs", "﷼") name several: they need the
# currency the spider or vendor declares (-a currency=...).
UNAMBIGUOUS_SYMBOLS = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "R$": "BRL", "MX$": "MXN", "€": "EUR", "£": "GBP", "₹": "INR", "zł": "PLN", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₴": "UAH", "₪": "ILS", "₫": "VND", "฿": "THB", "₱": "PHP", "Kč": "CZK",
    "Ft": "HUF", "лв": "BGN", "₦": "NGN", "₡": "CRC", "₸": "KZT", "₾": "GEL", "د.إ": "AED", "CN¥": "CNY",
    "JP¥": "JPY", "元": "CNY", "円": "JPY", "lei": "RON",
}
AMBIGUOUS_SYMBOLS = ("$", "kr", "kr.", "¥", "R", "Rs", "Rs.", "﷼")

# Explicit "no price": the product is listed without one.
NO_PRICE_WORDS = frozenset({
    "", "-", "--", "n/a", "na", "none", "null", "sold out", "out of stock", "unavailable", "not available",
    "call for price", "call for pricing", "price on request", "on request", "poa", "tbd", "tba", "coming soon",
})

_CENT = Decimal("0.01")
_MAX_DIGITS = 15  # a price column holds 12 digits; longer numbers are damage, not prices
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_SYMBOL_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(
    (*UNAMBIGUOUS_SYMBOLS, *AMBIGUOUS_SYMBOLS), key=len, reverse=True)))
_CODE = re.compile(r"(?<![A-Za-z])[A-Za-z]{3}(?![A-Za-z])")
_DECIMAL_POINT = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?")
# Display numbers: plain, grouped by "," "." "'" or spaces (removed before matching), Indian lakh
# grouping; the decimal mark is the other of "." and ",".
_DISPLAY = [
    (re.compile(r"\d+"), None, None),
    (re.compile(r"\d+[.,]\d{1,2}"), None, "either"),
    (re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"), ",", "."),
    (re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?"), ".", ","),
    (re.compile(r"[1-9]\d{0,2}(?:'\d{3})+(?:[.,]\d+)?"), "'", "either"),
    (re.compile(r"[1-9]\d?(?:,\d{2})+,\d{3}(?:\.\d+)?"), ",", "."),
    (re.compile(r"\d+\.\d+"), None, "."),
]


@dataclass(frozen=True)
class PriceReading:
    amount: Decimal | None = None
    currency: str | None = None  # from the text itself: an ISO code or an unambiguous symbol
    bad: str | None = None  # why text that is there is not a price we can read
    ambiguous_symbol: str | None = None  # "$", "kr", "¥": the declared currency decides

    @property
    def is_price(self) -> bool:
        return self.amount is not None


NO_PRICE = PriceReading()


def quantize(amount: Decimal) -> Decimal:
    """Prices are stored with two decimals, the precision of the price columns."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def read_price(text: object, style: str = "display") -> PriceReading:
    """Read a price. Numbers (Decimal, int) are taken as they are; text follows style."""
    if text is None:
        return NO_PRICE
    if isinstance(text, bool):
        return PriceReading(bad=f"{text!r} is not a price")
    if isinstance(text, (int, Decimal)):
        return _amount_reading(Decimal(text), None, str(text))
    if isinstance(text, float):
        return _amount_reading(Decimal(repr(text)), None, repr(text))
    return _read_text(str(text), style)


@lru_cache(maxsize=16384)  # a catalog repeats a few hundred price texts
def _read_text(text: str, style: str) -> PriceReading:
    stripped = text.strip()
    if stripped.lower().rstrip(".!") in NO_PRICE_WORDS:
        return NO_PRICE
    rest, currency, ambiguous, problem = _take_currency(stripped)
    if problem:
        return PriceReading(bad=problem)
    sign = 1
    rest = rest.strip()
    if rest[:1] in ("-", "\u2212"):
        sign, rest = -1, rest[1:].strip()
    elif rest[:1] == "+":
        rest = rest[1:].strip()
    if style == "decimal_point":
        if not _DECIMAL_POINT.fullmatch(rest):
            return PriceReading(bad=f"{text[:40]!r} is not a decimal-point price")
        amount = _decimal(rest.replace(",", ""))
    else:
        amount = _display_amount(rest)
    if amount is None:
        if not any(c.isdigit() for c in rest) and currency is None and ambiguous is None:
            # Words only ("Price on request", "See options"): not a price, and not damage we can name.
            return PriceReading(bad=f"{text[:40]!r} holds no number")
        return PriceReading(bad=f"{text[:40]!r} is not a price")
    return _amount_reading(sign * amount, currency, text, ambiguous)


def _take_currency(text: str) -> tuple[str, str | None, str | None, str | None]:
    """(text without its currency, ISO currency, ambiguous symbol, problem)."""
    currency = ambiguous = None
    codes = [m for m in _CODE.finditer(text)]
    if len(codes) > 1:
        return text, None, None, f"{text[:40]!r} names several currencies"
    if codes:
        code = codes[0].group().upper()
        if code not in ISO_4217:
            return text, None, None, f"{codes[0].group()!r} is not an ISO 4217 currency"
        currency = code
        text = text[:codes[0].start()] + text[codes[0].end():]
    symbols = list(_SYMBOL_PATTERN.finditer(text))
    if len(symbols) > 1:
        return text, None, None, f"{text[:40]!r} names several currencies"
    if symbols:
        symbol = symbols[0].group()
        named = UNAMBIGUOUS_SYMBOLS.get(symbol)
        if named and currency and named != currency:
            return text, None, None, f"{text[:40]!r}: {symbol} and {currency} disagree"
        if named:
            currency = named
        elif currency is None:
            ambiguous = symbol
        text = text[:symbols[0].start()] + text[symbols[0].end():]
    return text, currency, ambiguous, None


def _display_amount(text: str) -> Decimal | None:
    compact = _SPACES.sub("", text)
    if _SPACES.search(text.strip()) and not re.fullmatch(r"\d{1,3}(?:[\s\u00a0\u202f\u2009\u2007]\d{3})+(?:[.,]\d+)?",
                                                         text.strip()):
        return None  # spaces that are not thousands groups: "12 34 5"
    for pattern, group, decimal_mark in _DISPLAY:
        if not pattern.fullmatch(compact):
            continue
        number = compact.replace(group, "") if group else compact
        if decimal_mark in ("either", ","):
            number = number.replace(",", ".")
        return _decimal(number)
    return None


def _decimal(number: str) -> Decimal | None:
    if len(number.replace(".", "")) > _MAX_DIGITS:
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _amount_reading(amount: Decimal, currency: str | None, text: str, ambiguous: str | None = None) -> PriceReading:
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        return PriceReading(bad=f"{text[:40]!r} is not a finite price")
    rounded = quantize(amount)
    if amount != 0 and rounded == 0:
        return PriceReading(bad=f"{text[:40]!r} rounds to 0.00")
    return PriceReading(rounded, currency, None, ambiguous)


def iso_currency(code: object) -> str | None:
    """An ISO 4217 code given in its own field ("eur", " USD "), or None when it is not one."""
    if code is None:
        return None
    text = str(code).strip()
    if text.upper() in ISO_4217:
        return text.upper()
    return UNAMBIGUOUS_SYMBOLS.get(text)


def parse_decimal_point(text: object) -> Decimal | None:
    """A machine-written number ("49.95"), or None when it is empty or not one."""
    reading = read_price(text, "decimal_point")
    return reading.amount
