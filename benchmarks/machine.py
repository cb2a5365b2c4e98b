"""A description of the machine and the database a benchmark ran on."""

import os
import platform
import sqlite3
from pathlib import Path

from sqlalchemy import text


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def describe(engine) -> dict:
    """Return the CPU, cores, memory, Python and database versions, and the load average."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            database = connection.execute(text("SHOW server_version")).scalar()
            database = f"PostgreSQL {database}"
        else:
            database = f"SQLite {sqlite3.sqlite_version}"
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "database": database,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
