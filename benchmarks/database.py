"""A fresh, migrated database holding a built register, and an app bound to it."""

import multiprocessing
import os
import secrets
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, text

from benchmarks.builders import build
from core.config import database_url
from core.extensions import db
from core.timeutil import local_today
from register import create_app


@dataclass
class Register:
    """A built register: the app bound to its database, and what was built."""

    app: Flask
    uri: str
    size: int
    due: int
    counts: dict[str, int]
    build_seconds: float

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def database_uri(work_dir: Path, name: str) -> str:
    """Return DATABASE_URL when set (it is emptied first), else a new SQLite file."""
    if os.environ.get("DATABASE_URL"):
        return database_url(work_dir)
    return f"sqlite:///{work_dir / f'register-{name}.sqlite3'}"


def make_app(uri: str) -> Flask:
    return create_app(
        {
            "REGISTER_ENV": "testing",
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": uri,
            "WTF_CSRF_ENABLED": False,
        }
    )


def _fill(uri: str, size: int, due: int) -> tuple[dict[str, int], float]:
    """Migrate the empty database at `uri`, fill it, and return the counts and seconds taken."""
    app = make_app(uri)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        started = time.perf_counter()
        with db.engine.begin() as connection:
            counts = build(
                connection,
                size,
                local_today(),
                due,
                reminder_days=app.config["REGISTER_REMINDER_DAYS"],
            )
        # Fresh planner statistics, as a register that has grown over years would have.
        # PostgreSQL's autovacuum would also have marked the pages all-visible
        # by then, which lets counts and deep pages read indexes alone.
        if db.engine.dialect.name == "postgresql":
            autocommit = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            with autocommit as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        build_seconds = time.perf_counter() - started
        db.engine.dispose()
    return counts, build_seconds


def _fill_and_send(uri: str, size: int, due: int, sender: Connection) -> None:
    sender.send(_fill(uri, size, due))
    sender.close()


def _fill_in_child(uri: str, size: int, due: int) -> tuple[dict[str, int], float]:
    """Fill the database in a new Python process, and return what it built."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_fill_and_send, args=(uri, size, due, sender))
    child.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = None
    child.join()
    if result is None or child.exitcode != 0:
        raise RuntimeError(
            f"building the {size}-record register failed: exit code {child.exitcode}"
        )
    return result


def build_register(
    work_dir: Path, size: int, due: int, name: str = "pages", in_child: bool = False
) -> Register:
    """Migrate an empty database from scratch and fill it with `size` records.

    With `in_child`, a separate process builds the rows, so the process that
    times the pages starts as a server would, without the heap that
    building 100,000 records leaves behind. Timed in the building process,
    pages of a few milliseconds took about twice their CPU time.
    """
    uri = database_uri(work_dir, f"{name}-{size}")
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).unlink(missing_ok=True)
    if in_child:
        counts, build_seconds = _fill_in_child(uri, size, due)
    else:
        counts, build_seconds = _fill(uri, size, due)
    return Register(make_app(uri), uri, size, counts["due"], counts, build_seconds)


class QueryCounter:
    """Counts the SQL statements an engine runs, from a before_cursor_execute listener."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)
