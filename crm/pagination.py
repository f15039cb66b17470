"""Pages of lists read together with their count.

``db.paginate`` sends two statements: the page's items and the count for the pager.
A list that reads its page as plain rows (names and figures from several tables, no
objects to build) can carry the count, and other figures of the list, on each row
of the same statement. :class:`FetchedPagination` is Flask-SQLAlchemy's pagination
over such a read: one call gives the page's items and the total.
"""

from collections.abc import Callable

from flask_sqlalchemy.pagination import Pagination

from crm.request_args import arg_page


class FetchedPagination(Pagination):
    """Items and total from ``fetch(limit, offset)``, which reads both in one go."""

    def _query_items(self) -> list:
        items, self._fetched_total = self._query_args["fetch"](self.per_page,
                                                               self._query_offset)
        return items

    def _query_count(self) -> int:
        return self._fetched_total


def paginate_fetched(fetch: Callable[[int, int], tuple[list, int]],
                     per_page: int, page: int | None = None) -> FetchedPagination:
    """The page ``page`` (default: of ``?page=``) read by ``fetch``, as
    ``db.paginate(…, error_out=False)``: the first page when the number is missing,
    not a number or out of range (:func:`crm.request_args.arg_page`), no items past
    the last page."""
    return FetchedPagination(fetch=fetch, page=arg_page() if page is None else page,
                             per_page=per_page, max_per_page=per_page, error_out=False)
