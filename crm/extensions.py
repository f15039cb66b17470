"""Flask extensions, created without an app and bound in :func:`crm.create_app`."""

from flask import has_request_context
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import SelectPagination
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from crm.web.request_args import arg_page

# Stable constraint names let Alembic alter and drop constraints on every database,
# SQLite batch mode included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RowPagination(SelectPagination):
    """A page of a select of named columns: its items are the rows, not only each
    row's first column (what ``db.paginate`` gives, made for selects of a model)."""

    def _query_items(self) -> list:
        select = self._query_args["select"]
        select = select.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, with page numbers read within the range of
    :func:`crm.web.request_args.arg_page` (its own reading takes any number, and a huge
    one makes an offset the database refuses)."""

    def paginate(self, select, *, page=None, **kwargs):
        """``SQLAlchemy.paginate``; ``page`` defaults to ``?page=`` read safely."""
        if page is None and has_request_context():
            page = arg_page()
        return super().paginate(select, page=page, **kwargs)

    def paginate_rows(self, select, *, per_page: int, page=None) -> RowPagination:
        """A page of ``select``'s named rows, read as :meth:`paginate` reads a page
        of ``?page=`` (the first page when out of range, no items past the last)."""
        if page is None and has_request_context():
            page = arg_page()
        return RowPagination(select=select, session=self.session(), page=page,
                             per_page=per_page, max_per_page=per_page, error_out=False)


db = Database(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
