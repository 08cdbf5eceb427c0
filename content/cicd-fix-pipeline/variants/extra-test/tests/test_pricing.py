from decimal import Decimal

import pytest

from app.pricing import basket_total, bulk_discount_applies, line_total, to_money


def test_to_money_rounds_half_up():
    assert to_money("2.675") == Decimal("2.68")
    assert to_money("2.674") == Decimal("2.67")


def test_line_total_without_discount():
    assert line_total("4.99", 3) == Decimal("14.97")


def test_small_lines_get_no_bulk_discount():
    assert not bulk_discount_applies(1)
    assert not bulk_discount_applies(9)


def test_bulk_discount_starts_at_ten_units():
    # FIN-112: "10 or more units of one product get 5 % off"
    assert bulk_discount_applies(10)
    assert line_total("2.00", 10) == Decimal("19.00")


def test_big_lines_get_bulk_discount():
    assert line_total("12.50", 40) == Decimal("475.00")


def test_quantity_must_be_positive():
    with pytest.raises(ValueError):
        line_total("1.00", 0)


def test_basket_total_adds_vat():
    assert basket_total([("10.00", 1), ("2.50", 2)]) == Decimal("18.00")


@pytest.mark.parametrize("quantity, discounted", [(9, False), (10, True), (11, True), (100, True)])
def test_bulk_threshold_boundary(quantity, discounted):
    # FIN-112 at and around the boundary
    assert bulk_discount_applies(quantity) is discounted
