from decimal import Decimal

import pytest

from ornaments.normalize import normalize_availability, parse_price, parse_year


@pytest.mark.parametrize("text, expected", [
    ("$1,299.95", (Decimal("1299.95"), "USD")),
    ("28,95 €", (Decimal("28.95"), "EUR")),
    ("USD 15.00", (Decimal("15.00"), "USD")),
    ("15.00 USD", (Decimal("15.00"), "USD")),
    ("1.299,95 €", (Decimal("1299.95"), "EUR")),
    ("£7.5", (Decimal("7.50"), "GBP")),
    ("-5.00", (Decimal("-5.00"), None)),
    ("-$5.00", (Decimal("-5.00"), "USD")),
    ("USD -15.00", (Decimal("-15.00"), "USD")),
    ("Sold out", (None, None)),
    ("", (None, None)),
    (None, (None, None)),
])
def test_prices_are_parsed_to_exact_decimals_and_iso_currencies(text, expected):
    assert parse_price(text) == expected


def test_price_without_currency_takes_the_default():
    assert parse_price("12.99", default_currency="USD") == (Decimal("12.99"), "USD")


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
