"""Benchmark the register as it grows: `python -m benchmarks.run` (or `make bench`).

Builds registers of each size in a fresh database (SQLite, or the database
DATABASE_URL names, which is emptied first), times every page, the list
pages' floors and the reminder job, runs a bounded load test with gunicorn
and wrk, prints a table and writes the figures as JSON to benchmarks/results/.
"""

import argparse
import json
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
    largest = None
    for size in options.sizes:
        register = build_register(work_dir, size, due=max(1, size // 100))
        report["builds"][str(size)] = _build_info(register)
        if "machine" not in report:
            with register.app.app_context():
                report["machine"] = machine.describe(db.engine)
        timings, notes = measure_pages(register.app, options.runs, options.warmup)
        report["pages"][str(size)] = [timing.as_dict() for timing in timings]
        report["notes"] = notes
        if size in options.reminder_sizes and register.due == options.due:
            report["reminders"][str(size)] = measure_reminders(register.app, options.runs // 4 or 1)
        largest = register
        _print_progress(f"pages timed at {size} records")
    # Sizes run in ascending order, so the largest register is still in place
    # (PostgreSQL holds one register at a time).
    if options.load_seconds:
        report["load"] = {
            "size": largest.size,
            **load_run(largest.uri, ["/", "/dpias?page=1"], options.load_seconds),
        }
    for size in options.reminder_sizes:
        if str(size) in report["reminders"]:
            continue
        register = build_register(work_dir, size, due=options.due, name="reminders")
        report["builds"][f"{size} (reminders)"] = _build_info(register)
        report["reminders"][str(size)] = measure_reminders(register.app, options.runs // 4 or 1)
        _print_progress(f"reminders timed at {size} records")
    with largest.app.app_context():
        report["machine"]["load_average_after"] = machine.describe(db.engine)["load_average"]
    report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
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


def ratio_basis(report: dict) -> str:
    """Return which time the ratios use: CPU time on SQLite, wall-clock time on PostgreSQL.

    A PostgreSQL server does its work in other processes, which this
    process's CPU time does not include.
    """
    return "cpu" if report["machine"]["database"].startswith("SQLite") else "wall"


def comparisons(report: dict) -> list[dict]:
    """Pair each page at the smallest size with the same page at the largest size."""
    key = "cpu_median_ms" if ratio_basis(report) == "cpu" else "median_ms"
    floor_key = "floor_cpu_ratio" if ratio_basis(report) == "cpu" else "floor_ratio"
    sizes = sorted(int(size) for size in report["pages"])
    small = {timing["name"]: timing for timing in report["pages"][str(sizes[0])]}
    large = {timing["name"]: timing for timing in report["pages"][str(sizes[-1])]}
    rows = []
    for name, big in large.items():
        little = small.get(name)
        rows.append(
            {
                "name": name,
                "small": little,
                "large": big,
                "growth": big[key] / little[key] if little and little[key] else None,
                "floor_ratio": big.get(floor_key),
                "same_queries": little is not None and little["queries"] == big["queries"],
            }
        )
    return rows


def _number(value: float | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.2f}{suffix}" if suffix else f"{value:.1f}"


def format_table(report: dict) -> str:
    sizes = sorted(int(size) for size in report["pages"])
    small, large = sizes[0], sizes[-1]
    header = (
        f"{'page':<34} {'status':>6} "
        f"{f'{small} ms':>9} {'p95':>6} {'cpu':>6} {'q':>3} "
        f"{f'{large} ms':>10} {'p95':>6} {'cpu':>6} {'q':>3} {'growth':>7} {'/floor':>7}"
    )
    lines = [
        f"Times in milliseconds: wall-clock median and 95th percentile, CPU median; "
        f"q = SQL queries. Growth ({large} / {small}) and /floor use "
        f"{'CPU' if ratio_basis(report) == 'cpu' else 'wall-clock'} medians.",
        header,
        "-" * len(header),
    ]
    for row in comparisons(report):
        little, big = row["small"] or {}, row["large"]
        lines.append(
            f"{row['name']:<34.34} {big['status']:>6} "
            f"{_number(little.get('median_ms')):>9} {_number(little.get('p95_ms')):>6} "
            f"{_number(little.get('cpu_median_ms')):>6} {little.get('queries', '-'):>3} "
            f"{_number(big['median_ms']):>10} {_number(big['p95_ms']):>6} "
            f"{_number(big['cpu_median_ms']):>6} {big['queries']:>3} "
            f"{_number(row['growth'], 'x'):>7} {_number(row['floor_ratio'], 'x'):>7}"
        )
    lines.append("")
    lines.append("Reminder job (median of runs):")
    for size, result in sorted(report["reminders"].items(), key=lambda item: int(item[0])):
        dry, send = result["dry_run"], result["send"]
        lines.append(
            f"  {int(size):>7} records: dry run {dry['median_ms']:.1f} ms "
            f"(CPU {dry['cpu_median_ms']:.1f} ms), {dry['queries']} queries, "
            f"{dry['items']} items for {dry['digests']} owners; "
            f"send {send['median_ms']:.1f} ms (CPU {send['cpu_median_ms']:.1f} ms), "
            f"{send['queries']} queries, {send['messages_per_run']:.0f} messages per run"
        )
    load = report.get("load")
    if load:
        lines.append("")
        lines.append(f"Load run at {load['size']} records ({load.get('server', '')}):")
        if "skipped" in load:
            lines.append(f"  skipped: {load['skipped']}")
        for path, figures in load.items():
            if isinstance(figures, dict):
                lines.append(
                    f"  {path}: {figures['requests_per_second']:.1f} requests/s, "
                    f"p50 {figures.get('p50_ms')} ms, p90 {figures.get('p90_ms')} ms, "
                    f"p99 {figures.get('p99_ms')} ms, "
                    f"{figures['non_2xx_3xx']} non-2xx/3xx responses, "
                    f"{figures['socket_errors']} socket errors"
                )
    lines.append("")
    for note in report["notes"]:
        lines.append(f"note: {note}")
    lines.append(f"note: not built yet: {', '.join(report['not_built'])}")
    return "\n".join(lines)


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
