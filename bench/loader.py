"""Bulk loading of generated rows into SQLite or PostgreSQL.

The schema is built by the app's migrations; rows then go in without the ORM:
PostgreSQL through ``COPY … FROM STDIN`` (psycopg 3), SQLite through ``executemany``
in one large transaction. Secondary indexes and foreign keys are taken off during the
load and put back afterwards, which checks every foreign key and unique index once
over the finished data (PostgreSQL re-adds the constraints, SQLite runs
``PRAGMA foreign_key_check``). CHECK constraints stay on the whole time.

Rows are plain tuples in the column order a :class:`Writer` was opened with.
Timestamps are given as whole seconds since 1970-01-01 UTC and dates as days since
that day; the writer turns them into what each database stores (SQLAlchemy's naive
UTC text on SQLite, ``timestamp without time zone`` on PostgreSQL).
"""

import contextlib
import io
import json
import os
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Boolean, Date
from sqlalchemy.engine import make_url

from crm.db.types import UTCDateTime

BATCH = 20_000
EPOCH = date(1970, 1, 1)
PREFIX = "bench_"


class LoadError(RuntimeError):
    """The database cannot be loaded (not empty, wrong name, broken data)."""


# --- value conversion ------------------------------------------------------------------

_DAY_TEXT: dict[int, str] = {}
# " HH:MM:SS.000000" of every second of a day, made once.
_TIME_TEXT = [f" {h:02d}:{m:02d}:{s:02d}.000000"
              for h in range(24) for m in range(60) for s in range(60)]


def day_text(day: int) -> str:
    """``YYYY-MM-DD`` of a day number (days since 1970-01-01)."""
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = (EPOCH + timedelta(days=day)).isoformat()
    return text


def moment_text(seconds: int) -> str:
    """``YYYY-MM-DD HH:MM:SS.000000`` (naive UTC) of whole seconds since the epoch, the
    form SQLAlchemy stores on SQLite and PostgreSQL parses."""
    day, rest = divmod(seconds, 86_400)
    text = _DAY_TEXT.get(day)
    if text is None:
        text = day_text(day)
    return text + _TIME_TEXT[rest]


def _to_day(value) -> str:
    return value.isoformat() if isinstance(value, date) else day_text(value)


def _converter(column_type, dialect: str):
    if isinstance(column_type, UTCDateTime):
        return moment_text
    if isinstance(column_type, Date):
        return _to_day
    if isinstance(column_type, Boolean) and dialect == "sqlite":
        return int
    if column_type.__class__.__name__ == "JSON":
        return lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return None


# --- writers ---------------------------------------------------------------------------


class Writer:
    """Buffered rows of one table, sent to the database in batches.

    ``columns`` are the values each row gives, in order. Other columns with a plain
    default in the models (``default=""``, ``default=0`` …) get that default; other
    nullable columns stay NULL. A column that needs a value and has none is refused
    when the writer is opened, so a forgotten NOT NULL column fails early.
    """

    def __init__(self, loader: "Loader", table: str, columns: list[str], stream: bool = False):
        self.loader, self.table, self.stream = loader, table, stream
        model_table = loader.metadata.tables[table]
        known = {c.name for c in model_table.columns}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise LoadError(f"{table}: unknown columns {unknown}")
        extra_names, extra_values = [], []
        for column in model_table.columns:
            if column.name in columns:
                continue
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                convert = _converter(column.type, loader.dialect)
                value = default.arg
                extra_names.append(column.name)
                extra_values.append(convert(value) if convert and value is not None
                                    else value)
            elif column.server_default is not None or column.nullable:
                continue
            else:
                raise LoadError(f"{table}.{column.name} needs a value")
        self.columns = list(columns) + extra_names
        self.extra = tuple(extra_values)
        self.convert = _row_converter(
            [_converter(model_table.columns[name].type, loader.dialect) for name in columns],
            self.extra)
        self.rows: list = []
        self.append = self.rows.append  # for hot loops; call :meth:`flush_if_full` often
        self.count = 0

    def add(self, row) -> None:
        """Queue one row (a tuple in the writer's column order)."""
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def extend(self, rows) -> None:
        """Queue many rows."""
        for row in rows:
            self.add(row)

    def flush_if_full(self) -> None:
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Send the queued rows."""
        if not self.rows:
            return
        convert = self.convert
        self.loader.write(self.table, self.columns,
                          self.rows if convert is None else map(convert, self.rows),
                          self.stream)
        self.count += len(self.rows)
        self.rows.clear()


def _row_converter(converters: list, extra: tuple):
    """A function turning a generated row into the stored one: each column through its
    converter (``None`` stays ``None``), then the defaults appended. Written out as one
    expression per table, which is several times faster than a loop per value."""
    if not any(converters) and not extra:
        return None
    names = {}
    parts = []
    for n, convert in enumerate(converters):
        if convert is None:
            parts.append(f"r[{n}]")
        else:
            names[f"c{n}"] = convert
            parts.append(f"(None if r[{n}] is None else c{n}(r[{n}]))")
    names["extra"] = extra
    source = f"lambda r: ({', '.join(parts)},) + extra"
    return eval(source, names)  # noqa: S307  (source built above from column positions)


# --- the loader --------------------------------------------------------------------------


class Loader:
    """One bulk load: prepares the database, writes rows, then restores and checks
    the constraints."""

    def __init__(self, url: str, metadata, verbose: bool = False):
        self.url = make_url(url)
        self.dialect = "postgresql" if self.url.get_backend_name() == "postgresql" else "sqlite"
        self.metadata = metadata
        self.verbose = verbose
        self.writers: dict[str, Writer] = {}
        self.restore: list[str] = []
        self.conn = None
        self.streams: dict[str, tuple] = {}  # PostgreSQL: table → (connection, copy context)

    # -- connection ------------------------------------------------------------------

    def _pg_dsn(self, database: str | None = None) -> str:
        url = self.url.set(drivername="postgresql")
        if database is not None:
            url = url.set(database=database)
        return url.render_as_string(hide_password=False)

    def open(self) -> None:
        """Connect for the load and take secondary indexes and foreign keys off."""
        if self.dialect == "postgresql":
            import psycopg

            self.conn = psycopg.connect(self._pg_dsn())
            self.conn.execute("SET synchronous_commit = off")
            self.conn.execute("SET maintenance_work_mem = '256MB'")
            self._pg_take_off()
        else:
            self.conn = sqlite3.connect(self.url.database, isolation_level=None)
            for pragma in ("journal_mode = MEMORY", "synchronous = OFF", "foreign_keys = OFF",
                           "cache_size = -200000", "temp_store = MEMORY"):
                self.conn.execute(f"PRAGMA {pragma}")
            self._sqlite_take_off()
            self.conn.execute("BEGIN")

    def writer(self, table: str, columns: list[str], stream: bool = False) -> Writer:
        """The writer of ``table`` (opened once; later calls must give the same columns).

        ``stream``: on PostgreSQL, keep one ``COPY`` open on a connection of its own for
        the whole load, so the server takes rows in while the next ones are generated
        (for the large tables)."""
        found = self.writers.get(table)
        if found is None:
            found = self.writers[table] = Writer(self, table, columns, stream)
        elif found.columns[: len(columns)] != list(columns):
            raise LoadError(f"{table}: opened twice with different columns")
        return found

    def write(self, table: str, columns: list[str], rows, stream: bool = False) -> None:
        """Send rows of ``table`` now."""
        names = ", ".join(f'"{c}"' for c in columns)
        if self.dialect == "postgresql" and stream:
            found = self.streams.get(table)
            if found is None:
                import psycopg
                from psycopg.copy import QueuedLibpqWriter

                conn = psycopg.connect(self._pg_dsn())
                conn.execute("SET synchronous_commit = off")
                cursor = conn.cursor()
                context = cursor.copy(f'COPY "{table}" ({names}) FROM STDIN',
                                      writer=QueuedLibpqWriter(cursor))
                found = self.streams[table] = (conn, context, context.__enter__())
            write_row = found[2].write_row
            for row in rows:
                write_row(row)
        elif self.dialect == "postgresql":
            with self.conn.cursor() as cursor, \
                    cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            self.conn.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608

    def flush_all(self) -> None:
        for writer in self.writers.values():
            writer.flush()

    def counts(self) -> dict[str, int]:
        """Rows written per table."""
        return {name: w.count for name, w in sorted(self.writers.items())}

    # -- PostgreSQL ------------------------------------------------------------------

    def _pg_take_off(self) -> None:
        """Remember and drop foreign keys, primary keys, unique constraints and other
        indexes of the public schema; :meth:`finish` puts them back."""
        conn = self.conn
        constraints = conn.execute("""
            SELECT c.conrelid::regclass::text, c.conname, c.contype,
                   pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('f', 'p', 'u')
              AND c.conrelid::regclass::text <> 'alembic_version'
            ORDER BY c.contype, c.conrelid::regclass::text, c.conname
        """).fetchall()
        indexes = conn.execute("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname <> 'alembic_version'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
        """).fetchall()
        if not any(row[2] == "p" for row in constraints):
            raise LoadError("the database has no primary keys: an earlier load stopped half "
                            "way; load again with --recreate")
        foreign = [row for row in constraints if row[2] == "f"]
        keys = [row for row in constraints if row[2] in ("p", "u")]
        for table, name, _kind, _definition in foreign + keys:
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.commit()
        # Put back: keys first (foreign keys need them), then indexes, then foreign keys.
        keys.sort(key=lambda row: row[2] != "p")
        self.restore = (
            [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, _k, d in keys]
            + [definition for _name, definition in indexes]
            + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, _k, d in foreign]
        )

    def _close_streams(self) -> None:
        for conn, context, _copy in self.streams.values():
            context.__exit__(None, None, None)
            conn.commit()
            conn.close()
        self.streams = {}

    def _pg_finish(self) -> None:
        conn = self.conn
        self._close_streams()
        conn.commit()
        for statement in self.restore:
            started = time.perf_counter()
            try:
                conn.execute(statement)
            except Exception as error:
                conn.rollback()
                raise LoadError(f"restoring failed: {statement}: {error}") from error
            if self.verbose and time.perf_counter() - started > 2:
                print(f"    {time.perf_counter() - started:5.1f}s {statement[:90]}")
        conn.commit()
        tables = conn.execute("""
            SELECT table_name FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'id'
              AND pg_get_serial_sequence(table_name, 'id') IS NOT NULL
            ORDER BY table_name
        """).fetchall()
        for (table,) in tables:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table}"')
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")

    # -- SQLite ----------------------------------------------------------------------

    def _sqlite_take_off(self) -> None:
        rows = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name").fetchall()
        for name, _sql in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
        self.restore = [sql for _name, sql in rows]

    def _sqlite_finish(self) -> None:
        conn = self.conn
        conn.execute("COMMIT")
        conn.execute("BEGIN")
        for statement in self.restore:
            try:
                conn.execute(statement)
            except sqlite3.DatabaseError as error:
                conn.execute("ROLLBACK")
                raise LoadError(f"restoring failed: {statement}: {error}") from error
        conn.execute("COMMIT")
        broken = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
        if broken:
            raise LoadError(f"foreign keys broken (table, rowid, parent, fk): {broken}")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = WAL")

    def finish(self) -> None:
        """Write what is left, put constraints and indexes back (checking the data),
        set the id sequences and refresh the planner statistics."""
        self.flush_all()
        if self.dialect == "postgresql":
            self._pg_finish()
        else:
            self._sqlite_finish()

    def close(self) -> None:
        for conn, _context, _copy in self.streams.values():
            conn.close()  # after a failure: the COPY and its transaction are dropped
        self.streams = {}
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --- preparing the database ---------------------------------------------------------------


def prepare_database(url: str, recreate: bool) -> None:
    """Make sure the database exists and is empty.

    PostgreSQL: ``recreate`` drops and creates it and a missing database is created,
    both only for names starting with ``bench_``; an existing empty database of any
    name (e.g. one a test made) is filled as it is. SQLite: ``recreate``
    deletes the file. Without ``recreate`` a database holding villages or users is
    refused.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        _prepare_postgres(parsed, recreate)
    elif parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:":
            raise LoadError("SQLite needs a file: sqlite:////path/to/file.sqlite3")
        if recreate:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path + suffix)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if Path(path).exists():
            conn = sqlite3.connect(path)
            try:
                _refuse_if_loaded(conn.execute, parsed.database)
            finally:
                conn.close()
    else:
        raise LoadError(f"unsupported database {parsed.get_backend_name()!r}")


def _refuse_if_loaded(execute, where: str) -> None:
    for table in ("villages", "users"):
        try:
            row = execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()  # noqa: S608
        except Exception:  # no such table: not migrated yet, so empty
            return
        if row is not None:
            raise LoadError(
                f"{where} already holds data ({table} is not empty); use --recreate to "
                "replace it, or give another database")


def _prepare_postgres(parsed, recreate: bool) -> None:
    import psycopg

    name = parsed.database or ""
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False),
                         autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (name,)).fetchone() is not None
        if recreate or not exists:
            if not name.startswith(PREFIX):
                raise LoadError(f"refusing to create or drop database {name!r}: only "
                                f"databases named {PREFIX}… are made by the generator "
                                "(an existing empty database of any name can be filled)")
            if exists:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
            return
    target = parsed.set(drivername="postgresql")
    with psycopg.connect(target.render_as_string(hide_password=False)) as conn:
        def execute(sql):
            try:
                return conn.execute(sql)
            except psycopg.Error:
                conn.rollback()
                raise
        _refuse_if_loaded(execute, name)


def quiet() -> contextlib.AbstractContextManager:
    """Swallow what the migrations log to stderr."""
    return contextlib.redirect_stderr(io.StringIO())
