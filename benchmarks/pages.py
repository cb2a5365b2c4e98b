"""Time pages in-process with the Flask test client, signed in as the DPO.

The pages come from the app's URL map: every GET-only page a DPO may open
that takes no argument is a list page (measured at its first and last page),
and every GET-only page that takes one record id is a detail page (measured
for the record in the middle of its table).
"""

import math
import re
import statistics
import time
from dataclasses import asdict, dataclass

from flask import Flask, render_template
from flask_login import login_user
from sqlalchemy import func, select

from benchmarks.builders import BENCH_PASSWORD, DPO_EMAIL
from benchmarks.database import QueryCounter
from benchmarks.floors import FLOORS
from core.auth.models import Role, User
from core.extensions import db

# Endpoints that are not register pages: the health check answers probes.
NOT_PAGES = {"main.health"}

# A detail page's id argument names its table as `<table>_id`, except these.
ID_TABLES = {"assessment_id": "pbd_assessments", "party_id": "parties"}

# NOTE: no list page takes a filter yet, so there is no filtered search to
# time. Add each one here as (name, path) when it exists, for example
# ("DPIAs due this month", "/dpias?due=month").
SEARCHES: list[tuple[str, str]] = []

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
    queries: int
    floor_median_ms: float | None = None
    floor_queries: int | None = None

    @property
    def floor_ratio(self) -> float | None:
        if not self.floor_median_ms:
            return None
        return self.median_ms / self.floor_median_ms

    def as_dict(self) -> dict:
        return {**asdict(self), "floor_ratio": self.floor_ratio}


def percentile(samples: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `samples`."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def discover(app: Flask) -> tuple[list, list]:
    """Return the list rules and the detail rules a DPO may open with GET alone."""
    lists, details = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint in NOT_PAGES:
            continue
        if rule.methods - {"GET", "HEAD", "OPTIONS"}:
            continue
        view = app.view_functions[rule.endpoint]
        if Role.DPO not in getattr(view, "allowed_roles", ()):
            continue
        if not rule.arguments:
            lists.append(rule)
        elif len(rule.arguments) == 1 and rule.endpoint.split(".")[0] != "static":
            details.append(rule)
    key = lambda rule: rule.rule  # noqa: E731
    return sorted(lists, key=key), sorted(details, key=key)


def middle_id(argument: str) -> int | None:
    table_name = ID_TABLES.get(argument, argument.removesuffix("_id") + "s")
    table = db.metadata.tables.get(table_name)
    if table is None:
        return None
    count = db.session.scalar(select(func.count()).select_from(table))
    if not count:
        return None
    return db.session.scalar(select(table.c.id).order_by(table.c.id).offset(count // 2).limit(1))


def last_page(client, path: str) -> int:
    """Return the number of the last page, read off the page that a too-high number clamps to."""
    html = client.get(f"{path}?page=999999").get_data(as_text=True)
    for pattern in PAGE_LINKS:
        found = pattern.search(html)
        if found:
            return int(found.group(1))
    return 1


class Timer:
    """Times requests on one signed-in test client and counts their queries."""

    def __init__(self, app: Flask, runs: int, warmup: int):
        self.app = app
        self.runs = runs
        self.warmup = warmup
        self.client = app.test_client()
        response = self.client.post(
            "/sign-in", data={"email": DPO_EMAIL, "password": BENCH_PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {DPO_EMAIL} failed: HTTP {response.status_code}")
        with app.app_context():
            self.counter = QueryCounter(db.engine)

    def page(self, name: str, kind: str, endpoint: str, path: str) -> Timing:
        for _ in range(self.warmup):
            self.client.get(path)
        samples, queries = [], []
        for _ in range(self.runs):
            self.counter.count = 0
            started = time.perf_counter()
            response = self.client.get(path)
            samples.append(time.perf_counter() - started)
            queries.append(self.counter.count)
        return Timing(
            name=name,
            kind=kind,
            endpoint=endpoint,
            path=path,
            status=response.status_code,
            median_ms=statistics.median(samples) * 1000,
            p95_ms=percentile(samples, 0.95) * 1000,
            queries=max(queries),
        )

    def floor(self, timing: Timing, page_number: int) -> None:
        """Time the list page's floor and store it on `timing`."""
        floor = FLOORS[timing.endpoint]
        per_page = self.app.config["REGISTER_PAGE_SIZE"]
        path = f"{timing.path.split('?')[0]}?page={page_number}"
        samples = []
        with self.app.test_request_context(path):
            login_user(db.session.scalar(select(User).where(User.email == DPO_EMAIL)))
            for run in range(self.warmup + self.runs):
                self.counter.count = 0
                started = time.perf_counter()
                template, context = floor(page_number, per_page)
                render_template(template, **context)
                if run >= self.warmup:
                    samples.append(time.perf_counter() - started)
            timing.floor_queries = self.counter.count
            db.session.remove()
        timing.floor_median_ms = statistics.median(samples) * 1000

    def close(self) -> None:
        self.counter.close()


def measure_pages(app: Flask, runs: int, warmup: int) -> tuple[list[Timing], list[str]]:
    """Time every list page (first and last), every detail page and every search.

    Return the timings and notes on what could not be measured.
    """
    timer = Timer(app, runs, warmup)
    timings, notes = [], []
    lists, details = discover(app)
    try:
        for rule in lists:
            path = rule.rule
            if rule.endpoint == "main.dashboard":
                timings.append(timer.page("dashboard", "dashboard", rule.endpoint, path))
                continue
            if "export" in rule.endpoint:
                timings.append(timer.page(rule.endpoint, "export", rule.endpoint, path))
                continue
            last = last_page(timer.client, path)
            for label, number in (("first", 1), ("last", last)):
                timing = timer.page(
                    f"{rule.endpoint} {label} page",
                    "list",
                    rule.endpoint,
                    f"{path}?page={number}",
                )
                if rule.endpoint in FLOORS:
                    timer.floor(timing, number)
                timings.append(timing)
            if rule.endpoint not in FLOORS:
                notes.append(f"{rule.endpoint}: no floor is defined in benchmarks/floors.py")
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
        if not SEARCHES:
            notes.append("filtered search: no list page takes a filter yet, so none is measured")
        exports = [rule for rule in lists + details if "export" in rule.endpoint]
        if not exports:
            notes.append("export: the register has no export endpoint yet, so none is measured")
    finally:
        timer.close()
    return timings, notes
