"""What a URL carries: record ids in the path, ids, page numbers and text in the query.

Every value here comes from whoever typed the URL. Ids are database ``integer``
columns (at most 2³¹−1 on PostgreSQL); a larger number, or a NUL byte sent on to the
database, makes the database refuse the statement and the page fail. So:

- ``<int:…>`` in every route is :class:`IdConverter`: a number outside the range of
  ids does not match, and the URL answers 404 like any unknown record;
- views read query arguments through :func:`arg_id`, :func:`arg_page` and
  :func:`arg_text`, which treat a number out of range, or text with control
  characters, as if the argument were absent (what the view does for a missing
  filter or an unknown record).
"""

import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter

# The largest id of a database ``integer`` column (PostgreSQL's int4).
MAX_ID = 2**31 - 1
# Far past any list of the app (25 per page), and an offset any database takes.
MAX_PAGE = 1_000_000
# NUL and the other C0/C1 control characters, DEL and lone surrogates.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class IdConverter(IntegerConverter):
    """``<int:…>`` for record ids: a positive number up to :data:`MAX_ID`."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app: Flask) -> None:
    """Make :class:`IdConverter` the app's ``int`` converter (before any route)."""
    app.url_map.converters["int"] = IdConverter


def parse_id(value: str | None) -> int | None:
    """A positive database id from a query-string value, else None."""
    value = (value or "").strip()
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def arg_id(name: str) -> int | None:
    """The id in ``?name=``; None when missing, not a number or out of range."""
    return parse_id(request.args.get(name))


def arg_page() -> int:
    """The page number in ``?page=``; 1 when missing, not a number or out of range."""
    value = (request.args.get("page") or "").strip()
    if not value or len(value) > 7 or not (value.isascii() and value.isdigit()):
        return 1
    number = int(value)
    return number if 1 <= number <= MAX_PAGE else 1


def clean_text(value: str | None, max_length: int = 100) -> str:
    """``value`` without control characters, trimmed and cut to ``max_length``."""
    return CONTROL_CHARACTERS.sub("", value or "").strip()[:max_length]


def arg_text(name: str, max_length: int = 100) -> str:
    """The text in ``?name=``, cleaned by :func:`clean_text` ("" when missing)."""
    return clean_text(request.args.get(name), max_length)
