"""Command line: python3 -m app.cli 4.99x3 12.50x10  -> prints the basket total."""
import sys

from app.pricing import basket_total


def parse_line(arg):
    price, _, qty = arg.partition("x")
    return price, int(qty or "1")


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python3 -m app.cli PRICExQTY [PRICExQTY ...]", file=sys.stderr)
        return 2
    print(basket_total([parse_line(a) for a in args]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
