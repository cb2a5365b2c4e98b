"""Time pages in-process with the Flask test client, signed in as the DPO.

The pages come from the app's URL map. A GET-only page that a DPO may open
without an argument is a list page, timed at its first and last page. A
GET-only page whose one argument is a record id (`<int:..._id>`) is a detail
page, timed for a record in the middle of its table. Pages with other
arguments, such as a file format, are timed only as listed in EXPORTS.

Each request is timed by the wall clock and by the CPU time of this
process. On SQLite the database runs inside the process, so CPU time covers
all the work and is much less disturbed by other programs on the machine.
"""

import csv
import io
import math
import re
import statistics
import string
import time
from dataclasses import asdict, dataclass

import pyotp
from flask import Flask, current_app, render_template, request
from sqlalchemy import func, select

from benchmarks.builders import BENCH_PASSWORD, DPO_EMAIL, DPO_TOTP_SECRET
from benchmarks.database import QueryCounter
from benchmarks.floors import FLOORS
from core.auth.models import Role
from core.extensions import db
from core.policy import allow

# Endpoints that are not register pages: the health check serves load balancers' probes.
NOT_PAGES = {"main.health"}

# A detail page's id argument names its table as `<table>_id`, except these.
ID_TABLES = {"assessment_id": "pbd_assessments", "party_id": "parties"}

# Filtered searches, as (name, path). Each shows the first page of its matches.
SEARCHES: list[tuple[str, str]] = [
    ("DPIAs due soon", "/dpias?review=due_soon"),
    (
        "active external agreements by review date",
        "/agreements?status=active&scope=external&sort=review",
    ),
    ("assessment actions including done", "/assessments/actions?show=all"),
]

# Downloads of a filtered register list, as (name, endpoint, path). A
# download contains every matching record, not one page. A `{<table>_id}`
# field in the path is filled with the id of a record in the middle of that
# table, as for detail pages. One record in a hundred is due soon, so the
# first download grows with the register by design. The second contains
# the review and action dates of one project, which has the same records
# at every size.
EXPORTS: list[tuple[str, str, str]] = [
    ("DPIAs due soon as CSV", "exports.register_list", "/export/dpias.csv?review=due_soon"),
    (
        "due dates of one project as CSV",
        "exports.due_dates",
        "/export/reviews-due.csv?project={project_id}",
    ),
]

# The read API returns JSON to a bearer token, not HTML pages to a signed-in
# session, so it is not timed.
# NOTE: on the merged code its list of DPIAs fails with HTTP 500 for every
# DPIA, because register/api/serialise.py reads the one-to-one relationships
# Dpia.screening and Dpia.prior_consultation as lists. Time the API once
# that is fixed, with a bearer token for the DPO.
NOT_TIMED_PREFIXES = ("/api/",)

PAGE_LINKS = (
    re.compile(r'aria-label="Page (\d+)" aria-current="page"'),
    re.compile(r"Page (\d+) of \d+"),
)


@dataclass
class Timing:
    name: str
    kind: str
    endpoint: str
    path: str
    status: int
    median_ms: float
    p95_ms: float
    cpu_median_ms: float
    queries: int
    floor_median_ms: float | None = None
    floor_cpu_median_ms: float | None = None
    floor_queries: int | None = None
    # Data rows of a CSV download, without its header row.
    rows: int | None = None

    def as_dict(self) -> dict:
        ratios = {"floor_ratio": None, "floor_cpu_ratio": None}
        if self.floor_median_ms:
            ratios["floor_ratio"] = self.median_ms / self.floor_median_ms
            ratios["floor_cpu_ratio"] = self.cpu_median_ms / self.floor_cpu_median_ms
        return {**asdict(self), **ratios}


def percentile(samples: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `samples`."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def record_id_argument(rule) -> str | None:
    """Return the rule's argument if it has one argument and that is an integer record id."""
    if len(rule.arguments) != 1:
        return None
    (argument,) = rule.arguments
    if not argument.endswith("_id") or f"<int:{argument}>" not in rule.rule:
        return None
    return argument


def discover(app: Flask) -> tuple[list, list, list]:
    """Return the rules a DPO may open with GET alone: lists, details and the others.

    A list takes no argument and a detail page takes one record id. The
    others take arguments that are not record ids, such as a file format.
    """
    lists, details, others = [], [], []
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint == "static"
            or rule.endpoint in NOT_PAGES
            or rule.rule.startswith(FLOOR_PREFIX)
            or rule.rule.startswith(NOT_TIMED_PREFIXES)
        ):
            continue
        if rule.methods - {"GET", "HEAD", "OPTIONS"}:
            continue
        view = app.view_functions[rule.endpoint]
        if Role.DPO not in getattr(view, "allowed_roles", ()):
            continue
        if not rule.arguments:
            lists.append(rule)
        elif record_id_argument(rule):
            details.append(rule)
        else:
            others.append(rule)
    key = lambda rule: rule.rule  # noqa: E731
    return sorted(lists, key=key), sorted(details, key=key), sorted(others, key=key)


# The builders vary records by their position modulo 2, 3, 4, 20 and 100, so
# records at positions that are multiples of 300 have the same shape (parties,
# links, status) at every register size.
SHAPE_PERIOD = 300


def middle_id(argument: str) -> int | None:
    """Return the id of a record near the middle of its table, of the same shape at every size."""
    table_name = ID_TABLES.get(argument, argument.removesuffix("_id") + "s")
    table = db.metadata.tables.get(table_name)
    if table is None:
        return None
    count = db.session.scalar(select(func.count()).select_from(table))
    if not count:
        return None
    position = count // 2 // SHAPE_PERIOD * SHAPE_PERIOD
    return db.session.scalar(select(table.c.id).order_by(table.c.id).offset(position).limit(1))


def fill_record_ids(path: str) -> str | None:
    """Return `path` with `{<table>_id}` fields set by middle_id(), or None for an empty table."""
    fields = {name for _, name, _, _ in string.Formatter().parse(path) if name}
    ids = {name: middle_id(name) for name in fields}
    if None in ids.values():
        return None
    return path.format(**ids)


def csv_data_rows(response) -> int | None:
    """Return the number of data rows in a CSV response, or None for any other response."""
    if response.mimetype != "text/csv":
        return None
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)


# The range a page that continues from an item shows, with the list's total.
ITEM_RANGE = re.compile(r"Items (\d+) to (\d+) of (\d+)")


def last_page(client, path: str) -> tuple[str, int]:
    """Return the query string of a list's last page and the page's number.

    A numbered list clamps a too-high page number to its last page, which
    names its own number. A list whose links continue from an item instead
    has a "Last page" link; its number follows from its first page's size.
    """
    html = client.get(f"{path}?page=999999").get_data(as_text=True)
    for pattern in PAGE_LINKS:
        found = pattern.search(html)
        if found:
            return f"?page={found.group(1)}", int(found.group(1))
    first = client.get(path).get_data(as_text=True)
    found = ITEM_RANGE.search(first)
    if found and "?page=last" in first:
        page_size = int(found.group(2)) - int(found.group(1)) + 1
        return "?page=last", -(-int(found.group(3)) // page_size)
    return "?page=1", 1


FLOOR_PREFIX = "/benchmark-floor/"


def add_floor_routes(app: Flask) -> None:
    """Serve each floor at FLOOR_PREFIX + endpoint on this app only, for the DPO.

    A floor served as a request pays the same session, sign-in and response
    costs as its page, so the two times differ only in fetching the rows.
    """
    for endpoint, floor in FLOORS.items():
        if f"floor {endpoint}" in app.view_functions:
            continue

        def view(floor=floor):
            per_page = current_app.config["REGISTER_PAGE_SIZE"]
            raw = request.args.get("page", "1")
            template, context = floor(int(raw) if raw.isdigit() else 1, per_page)
            return render_template(template, **context)

        app.add_url_rule(FLOOR_PREFIX + endpoint, f"floor {endpoint}", allow(Role.DPO)(view))


class Timer:
    """Times requests on one signed-in test client and counts their queries."""

    def __init__(self, app: Flask, runs: int, warmup: int):
        self.app = app
        self.runs = runs
        self.warmup = warmup
        add_floor_routes(app)
        self.client = app.test_client()
        response = self.client.post(
            "/sign-in", data={"email": DPO_EMAIL, "password": BENCH_PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {DPO_EMAIL} failed: HTTP {response.status_code}")
        code = pyotp.TOTP(DPO_TOTP_SECRET).now()
        response = self.client.post("/sign-in/code", data={"code": code})
        if response.status_code != 302 or "/sign-in" in response.headers.get("Location", ""):
            raise RuntimeError(
                f"the sign-in code step for {DPO_EMAIL} failed: HTTP {response.status_code}, "
                f"redirected to {response.headers.get('Location')}"
            )
        with app.app_context():
            self.counter = QueryCounter(db.engine)

    def page(self, name: str, kind: str, endpoint: str, path: str) -> Timing:
        for _ in range(self.warmup):
            self.client.get(path)
        samples, cpu_samples, queries = [], [], []
        for _ in range(self.runs):
            self.counter.count = 0
            cpu_started = time.process_time()
            started = time.perf_counter()
            response = self.client.get(path)
            samples.append(time.perf_counter() - started)
            cpu_samples.append(time.process_time() - cpu_started)
            queries.append(self.counter.count)
        return Timing(
            name=name,
            kind=kind,
            endpoint=endpoint,
            path=path,
            status=response.status_code,
            median_ms=statistics.median(samples) * 1000,
            p95_ms=percentile(samples, 0.95) * 1000,
            cpu_median_ms=statistics.median(cpu_samples) * 1000,
            queries=max(queries),
            rows=csv_data_rows(response) if kind == "export" else None,
        )

    def floor(self, timing: Timing, number: int) -> None:
        """Time the list page's floor and store it on `timing`."""
        floor = self.page("floor", "floor", "", f"{FLOOR_PREFIX}{timing.endpoint}?page={number}")
        if floor.status != 200:
            raise RuntimeError(f"the floor of {timing.endpoint} returned HTTP {floor.status}")
        timing.floor_median_ms = floor.median_ms
        timing.floor_cpu_median_ms = floor.cpu_median_ms
        timing.floor_queries = floor.queries

    def close(self) -> None:
        self.counter.close()


def measure_pages(app: Flask, runs: int, warmup: int) -> tuple[list[Timing], list[str]]:
    """Time every list page (first and last), every detail page, every search and every export.

    Return the timings and notes on what could not be measured.
    """
    timer = Timer(app, runs, warmup)
    timings, notes = [], []
    lists, details, others = discover(app)
    exported = {endpoint for _, endpoint, _ in EXPORTS}
    try:
        for rule in lists:
            path = rule.rule
            if rule.endpoint == "main.dashboard":
                timings.append(timer.page("dashboard", "dashboard", rule.endpoint, path))
                continue
            if "export" in rule.endpoint:
                timings.append(timer.page(rule.endpoint, "export", rule.endpoint, path))
                continue
            last_query, last = last_page(timer.client, path)
            for label, query, number in (("first", "?page=1", 1), ("last", last_query, last)):
                timing = timer.page(
                    f"{rule.endpoint} {label} page", "list", rule.endpoint, path + query
                )
                if rule.endpoint in FLOORS:
                    timer.floor(timing, number)
                timings.append(timing)
            if rule.endpoint not in FLOORS:
                notes.append(f"{rule.endpoint}: no floor is defined in benchmarks/floors.py")
        for rule in others:
            if rule.endpoint not in exported:
                arguments = ", ".join(sorted(rule.arguments))
                notes.append(
                    f"{rule.endpoint}: takes {arguments}, not one record id, so not measured"
                )
        for rule in details:
            (argument,) = rule.arguments
            with app.app_context():
                record_id = middle_id(argument)
            if record_id is None:
                notes.append(f"{rule.endpoint}: no record to open, so not measured")
                continue
            path = rule.rule.replace(f"<int:{argument}>", str(record_id))
            timings.append(timer.page(f"{rule.endpoint} detail", "detail", rule.endpoint, path))
        for name, path in SEARCHES:
            timings.append(timer.page(name, "search", "", path))
        for name, endpoint, template in EXPORTS:
            with app.app_context():
                path = fill_record_ids(template)
            if path is None:
                notes.append(f"{name}: no record to fill {template} with, so not measured")
                continue
            timings.append(timer.page(name, "export", endpoint, path))
    finally:
        timer.close()
    return timings, notes
