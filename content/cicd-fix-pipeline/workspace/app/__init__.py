"""checkout-pricing: prices a shopping basket for the shop's checkout service."""

__version__ = "1.4.0"
