from decimal import Decimal

import pytest

from ornaments.normalize import (barcode_digits, clean_text, identifier, normalize_availability, normalize_url, parse_year,
                                 read_gtin, valid_gtin)
from ornaments.prices import PriceReading, read_price


@pytest.mark.parametrize("text, amount, currency", [
    ("$1,299.95", "1299.95", None),  # "$" is ambiguous: the declared currency decides
    ("28,95 €", "28.95", "EUR"),
    ("USD 15.00", "15.00", "USD"),
    ("15.00 USD", "15.00", "USD"),
    ("1.299,95 €", "1299.95", "EUR"),
    ("1 299,95 €", "1299.95", "EUR"),
    ("£7.5", "7.50", "GBP"),
    ("₹ 1,23,456.00", "123456.00", "INR"),
    ("R$ 49,90", "49.90", "BRL"),
    ("49,99 zł", "49.99", "PLN"),
    ("69.9", "69.90", None),
    ("189.049999", "189.05", None),
    ("-5.00", "-5.00", None),
    ("USD -15.00", "-15.00", "USD"),
])
def test_display_prices_are_read_to_exact_decimals_and_iso_currencies(text, amount, currency):
    reading = read_price(text)
    assert (reading.amount, reading.currency, reading.bad) == (Decimal(amount), currency, None)


@pytest.mark.parametrize("text", ["Sold out", "", "N/A", "Call for price", None, "  "])
def test_an_explicit_no_price_is_no_price_and_not_bad(text):
    assert read_price(text) == PriceReading()


@pytest.mark.parametrize("text", ["1.2.3", "∞", "NaN", "1e309", "12,34,56", "0x10", "(5.00)", "15.00 BTC", "0.001",
                                  "1e3", "1_000", "12 34 5", "5 EUR USD"])
@pytest.mark.parametrize("style", ["display", "decimal_point"])
def test_unreadable_prices_are_bad_never_a_guess(text, style):
    reading = read_price(text, style)
    assert reading.amount is None and reading.bad


@pytest.mark.parametrize("text", ["28,95", "1.299,95"])
def test_google_style_prices_take_only_a_decimal_point(text):
    assert read_price(text, "decimal_point").bad and read_price(text).amount is not None


@pytest.mark.parametrize("symbol", ["$", "kr", "¥"])
def test_ambiguous_symbols_name_no_currency(symbol):
    reading = read_price(f"{symbol} 100")
    assert (reading.amount, reading.currency, reading.ambiguous_symbol) == (Decimal("100.00"), None, symbol)


@pytest.mark.parametrize("value, valid", [("4006381333931", True), ("036000291452", True), ("96385074", True),
                                          ("3.65275E+11", False), ("4006381333932", False), ("12345", False)])
def test_gtin_check_digits(value, valid):
    assert valid_gtin(value) is valid


def test_urls_are_made_valid_and_text_loses_control_characters():
    assert normalize_url("https://x.example/img/a b.jpg") == "https://x.example/img/a%20b.jpg"
    assert clean_text("Snow\x00man\x1d 2020") == "Snow man 2020"


@pytest.mark.parametrize("text, expected", [
    ("In Stock", "in_stock"), ("in stock", "in_stock"), ("http://schema.org/InStock", "in_stock"),
    ("https://schema.org/OutOfStock", "out_of_stock"), ("Sold Out", "out_of_stock"), ("out of stock", "out_of_stock"),
    ("Not available", "out_of_stock"), ("Pre-Order", "preorder"), ("preorder", "preorder"),
    ("backorder", "backorder"), ("Discontinued", "discontinued"), ("1", "in_stock"), ("0", "out_of_stock"),
    (True, "in_stock"), (None, "unknown"), ("call us", "unknown"),
])
def test_availability_is_normalized(text, expected):
    assert normalize_availability(text) == expected


@pytest.mark.parametrize("text, expected", [("2020", 2020), ("Ornaments > 1975", 1975), ("no year", None),
                                            ("1850", 1850), (None, None), ("QX12345", None)])
def test_years_are_found_and_left_for_validation_to_judge(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("written, code", [
    ("7.63795899302E+11", "763795899302"),  # a float that kept every digit (a feed tool, a spreadsheet)
    ("7.6379592015E+11", "763795920150"),  # its last 0 was not significant
    ("763795899302.0", "763795899302"), ("7 63795 89930 2", "763795899302"), ("763795-89930-2", "763795899302"),
    ("49631791505", "049631791505"),  # a UPC whose leading 0 was dropped
    ("0049631791505", "0049631791505"),  # an EAN-13 with a leading 0 for a UPC stays as written
    ("7.63795E+11", None), ("3.65275E+11", None),  # the last digits are lost: no barcode
    ("7.637958993021E+11", None),  # not a whole number
    ("Does not apply", None)])
def test_a_barcode_is_read_as_it_was_before_a_spreadsheet_wrote_it(written, code):
    assert barcode_digits(written) == code
    assert read_gtin(written) == code  # each code above has a right check digit
    assert read_gtin("49631791506") is None  # the check digit still decides


@pytest.mark.parametrize("value, kept", [("QX9201", "QX9201"), ("Does not apply", ""), ("DOES NOT APPLY", ""),
                                         ("N/A", ""), ("n.a.", ""), ("none", ""), ("-", ""), ("", ""), (None, ""),
                                         ("NA-1234", "NA-1234"), ("Nana", "Nana")])
def test_an_identifier_field_holding_a_placeholder_holds_none(value, kept):
    assert identifier(value) == kept
