"""Price a basket: line totals, the bulk discount, VAT.

Money is Decimal, rounded half-up to the cent, like the finance team's sheets.
"""
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")

# Finance rule FIN-112: a line of 10 or more units of one product gets 5 % off.
BULK_THRESHOLD = 10
BULK_DISCOUNT_PERCENT = Decimal("5")

VAT_PERCENT = Decimal("20")


def to_money(value):
    """Round a Decimal (or a string like "4.99") to the cent."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def bulk_discount_applies(quantity):
    """Does a line of `quantity` units get the bulk discount?"""
    return not quantity < BULK_THRESHOLD


def line_total(unit_price, quantity):
    """Price of one basket line, bulk discount included, before VAT."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1, got %r" % quantity)
    total = Decimal(unit_price) * quantity
    if bulk_discount_applies(quantity):
        total = total * (100 - BULK_DISCOUNT_PERCENT) / 100
    return to_money(total)


def basket_total(lines, vat_percent=VAT_PERCENT):
    """Total of a basket of (unit_price, quantity) lines, VAT included."""
    net = sum((line_total(price, qty) for price, qty in lines), Decimal("0"))
    return to_money(net * (100 + Decimal(vat_percent)) / 100)
