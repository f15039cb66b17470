"""Pages of plain rows.

``db.paginate`` gives the first column of each row (ORM objects); a list read as
plain rows (names and figures from several tables, no objects to build) needs the
whole row. :class:`RowPagination` is Flask-SQLAlchemy's pagination with rows as
items, and it takes the total when the page has already counted it (together with
its other figures, in one statement). :class:`FetchedPagination` takes a page's
items and the total from one call that reads both at once.
"""

from collections.abc import Callable

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select

from crm.extensions import db


class RowPagination(SelectPagination):
    """Items are the rows of the select; ``total``, when given, is not counted again."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))

    def _query_count(self) -> int:
        known = self._query_args.get("total")
        return super()._query_count() if known is None else known


def paginate_rows(select: Select, per_page: int, total: int | None = None) -> RowPagination:
    """The page of ``?page=`` of ``select``'s rows, as ``db.paginate(…,
    error_out=False)``: the first page when the number is missing, not a number or
    below 1, no rows past the last page."""
    return RowPagination(select=select, session=db.session, per_page=per_page,
                         error_out=False, total=total)


class FetchedPagination(Pagination):
    """Items and total from ``fetch(limit, offset)``, which reads both in one go; it
    answers None for the total when the page is empty, and ``count()`` counts then."""

    def _query_items(self) -> list:
        items, self._fetched_total = self._query_args["fetch"](self.per_page,
                                                               self._query_offset)
        return items

    def _query_count(self) -> int:
        if self._fetched_total is not None:
            return self._fetched_total
        return self._query_args["counter"]()


def paginate_fetched(fetch: Callable[[int, int], tuple[list, int | None]],
                     count: Callable[[], int], per_page: int) -> FetchedPagination:
    """The page of ``?page=`` (as :func:`paginate_rows`) read by ``fetch``."""
    return FetchedPagination(fetch=fetch, counter=count, per_page=per_page, error_out=False)
