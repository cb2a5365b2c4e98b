"""Benchmark the register as it grows: `python -m benchmarks.run` (or `make bench`).

Each register is built in a fresh database: SQLite, or the database that
DATABASE_URL names, which is emptied first. The run times every page, the
list pages' floors and the reminder job, then runs a bounded load test with
gunicorn and wrk. It prints a table and writes the figures as JSON to
benchmarks/results/.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import machine
from benchmarks.builders import NOT_BUILT
from benchmarks.database import build_register
from benchmarks.load import load_run
from benchmarks.pages import measure_pages
from benchmarks.reminders import measure_reminders
from benchmarks.report import check_targets, format_table
from core.extensions import db

RESULTS = Path(__file__).resolve().parent / "results"


def parse_sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a list of whole numbers") from None
    if not sizes or sizes[0] < 20:
        raise argparse.ArgumentTypeError("each size must be at least 20 records")
    return sizes


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1000, 100000],
        help="register sizes whose pages are timed, in records (default 1000,100000)",
    )
    parser.add_argument(
        "--reminder-sizes",
        type=parse_sizes,
        default=[10000, 100000],
        help="register sizes over which the reminder job is timed (default 10000,100000)",
    )
    parser.add_argument(
        "--due", type=int, default=1000, help="records due for review in each reminder run"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument(
        "--load-seconds", type=int, default=10, help="length of each wrk run; 0 skips the load run"
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="JSON file to write (default in results/)"
    )
    return parser.parse_args(argv)


def run(options: argparse.Namespace, work_dir: Path) -> dict:
    """Run every measurement and return the report."""
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "sizes": options.sizes,
            "reminder_sizes": options.reminder_sizes,
            "due": options.due,
            "runs": options.runs,
            "warmup": options.warmup,
        },
        "not_built": NOT_BUILT,
        "builds": {},
        "pages": {},
        "notes": [],
        "reminders": {},
    }
    for size in options.sizes:
        register = build_register(work_dir, size, due=max(1, size // 100), in_child=True)
        report["builds"][str(size)] = _build_info(register)
        if "machine" not in report:
            with register.app.app_context():
                report["machine"] = machine.describe(db.engine)
        timings, notes = measure_pages(register.app, options.runs, options.warmup)
        report["pages"][str(size)] = [timing.as_dict() for timing in timings]
        report["notes"] = notes
        if size in options.reminder_sizes and register.due == options.due:
            report["reminders"][str(size)] = measure_reminders(register.app, options.runs // 4 or 1)
        _print_progress(f"pages timed at {size} records")
        # Sizes run in ascending order, so the last register is the largest,
        # which the load run serves.
        if size == options.sizes[-1] and options.load_seconds:
            report["load"] = {
                "size": size,
                **load_run(register.uri, ["/", "/dpias?page=1"], options.load_seconds),
            }
        register.close()
    for size in options.reminder_sizes:
        if str(size) in report["reminders"]:
            continue
        register = build_register(work_dir, size, due=options.due, name="reminders", in_child=True)
        report["builds"][f"{size} (reminders)"] = _build_info(register)
        report["reminders"][str(size)] = measure_reminders(register.app, options.runs // 4 or 1)
        register.close()
        _print_progress(f"reminders timed at {size} records")
    report["machine"]["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["targets"] = check_targets(report)
    return report


def _build_info(register) -> dict:
    return {
        "records": register.size,
        "due": register.due,
        "rows": register.counts,
        "seconds": round(register.build_seconds, 2),
    }


def _print_progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    options = arguments(argv)
    work_dir = Path(tempfile.mkdtemp(prefix="register-bench-"))
    try:
        report = run(options, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    print(format_table(report))
    dialect = report["machine"]["database"].split()[0].lower()
    output = options.output or RESULTS / f"latest-{dialect}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nWrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
