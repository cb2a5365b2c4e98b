"""The benchmark's report: pages paired across sizes, the targets checked, a printed table."""


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
                "growth_per_row": _growth_per_row(little, big, key),
                "floor_ratio": big.get(floor_key),
                "same_queries": little is not None and little["queries"] == big["queries"],
            }
        )
    return rows


def _growth_per_row(little: dict | None, big: dict, key: str) -> float | None:
    """Return a download's time per data row at the largest size over that at the smallest.

    A download contains every matching record, so its time grows with its
    rows by design, and its time per row leaves that growth out.
    Pages, and downloads with no rows at either size, give None.
    """
    if not little or not little.get("rows") or not big.get("rows") or not little[key]:
        return None
    return (big[key] / big["rows"]) / (little[key] / little["rows"])


def judged_growth(row: dict) -> float | None:
    """Return the growth the 2x target judges: per row for a download with rows, else in all."""
    if row["growth_per_row"] is not None:
        return row["growth_per_row"]
    return row["growth"]


def check_targets(report: dict) -> dict:
    """List the pages that miss each target: same queries, growth within 2x, floor within 1.5x.

    A download that contains every match is judged on its growth per row.
    """
    rows = comparisons(report)
    misses = {
        "queries_grow": [row["name"] for row in rows if not row["same_queries"]],
        "growth_over_2x": [
            row["name"] for row in rows if judged_growth(row) and judged_growth(row) > 2
        ],
        "floor_over_1_5x": [
            row["name"] for row in rows if row["floor_ratio"] and row["floor_ratio"] > 1.5
        ],
    }
    reminders = report["reminders"]
    sizes = sorted(reminders, key=int)
    if len(sizes) > 1:
        key = "cpu_median_ms" if ratio_basis(report) == "cpu" else "median_ms"
        first, last = reminders[sizes[0]], reminders[sizes[-1]]
        misses["reminder_growth"] = {
            run: last[run][key] / first[run][key] for run in ("dry_run", "send")
        }
        misses["reminder_queries_grow"] = any(
            last[run]["queries"] != first[run]["queries"] for run in ("dry_run", "send")
        )
    return misses


def _number(value: float | None, suffix: str = "") -> str:
    if value is None:
        return "-"
    if suffix:
        return f"{value:.2f}{suffix}"
    return f"{value:.1f}"


def format_table(report: dict) -> str:
    """Format the report as a plain-text table of pages, then reminders, targets and load."""
    return "\n".join(
        _page_lines(report) + _reminder_lines(report) + _target_lines(report) + _load_lines(report)
    )


def _page_lines(report: dict) -> list[str]:
    sizes = sorted(int(size) for size in report["pages"])
    small, large = sizes[0], sizes[-1]
    header = (
        f"{'page':<34} {'status':>6} "
        f"{f'{small} ms':>9} {'p95':>6} {'cpu':>6} {'q':>3} "
        f"{f'{large} ms':>10} {'p95':>6} {'cpu':>6} {'q':>3} {'growth':>7} {'/row':>7} "
        f"{'/floor':>7}"
    )
    lines = [
        f"Times in milliseconds: wall-clock median and 95th percentile, CPU median; "
        f"q = SQL queries. Growth ({large} / {small}), /row (a download's growth per "
        f"data row) and /floor use "
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
            f"{_number(row['growth'], 'x'):>7} {_number(row['growth_per_row'], 'x'):>7} "
            f"{_number(row['floor_ratio'], 'x'):>7}"
        )
    return lines


def _reminder_lines(report: dict) -> list[str]:
    lines = ["", "Reminder job (median of runs):"]
    for size, result in sorted(report["reminders"].items(), key=lambda item: int(item[0])):
        dry, send = result["dry_run"], result["send"]
        lines.append(
            f"  {int(size):>7} records: dry run {dry['median_ms']:.1f} ms "
            f"(CPU {dry['cpu_median_ms']:.1f} ms), {dry['queries']} queries, "
            f"{dry['items']} items for {dry['digests']} owners; "
            f"send {send['median_ms']:.1f} ms (CPU {send['cpu_median_ms']:.1f} ms), "
            f"{send['queries']} queries, {send['messages_per_run']:.0f} messages per run"
        )
    targets = check_targets(report)
    if "reminder_growth" in targets:
        growth = targets["reminder_growth"]
        lines.append(
            f"  largest / smallest: dry run {growth['dry_run']:.2f}x, send {growth['send']:.2f}x"
        )
    return lines


def _target_lines(report: dict) -> list[str]:
    targets = check_targets(report)
    lines = ["", "Targets:"]
    for key, label in (
        ("queries_grow", "query count differs between sizes"),
        ("growth_over_2x", "more than 2x slower at the largest size (downloads per row)"),
        ("floor_over_1_5x", "more than 1.5x its floor"),
    ):
        lines.append(f"  {label}: {', '.join(targets[key]) or 'none'}")
    return lines


def _load_lines(report: dict) -> list[str]:
    lines = []
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
    return lines
