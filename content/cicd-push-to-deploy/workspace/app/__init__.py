"""checkout-web: the shop's checkout front page."""

__version__ = "1.0.0"
