"""The benchmark still builds registers and measures them, at a size small enough for the suite.

No timing is asserted: these tests keep the benchmark script from breaking
as the app changes, and check that no page's query count grows with the
register.
"""

import re

import pytest

from benchmarks.builders import NOT_BUILT
from benchmarks.database import build_register
from benchmarks.load import parse_wrk
from benchmarks.pages import FLOOR_PREFIX, ITEM_RANGE, Timer, discover, last_page, percentile
from benchmarks.report import check_targets, comparisons, format_table
from benchmarks.run import arguments, run

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:20001/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    35.10ms   10.02ms 120.51ms   80.00%
    Req/Sec   114.38     20.11   160.00     70.00%
  Latency Distribution
     50%   33.50ms
     75%   40.01ms
     90%  850.00us
     99%    1.20s
  2283 requests in 10.01s, 32.10MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    228.05
Transfer/sec:      3.21MB
"""


@pytest.fixture
def instance_path(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """Run the whole benchmark once, at tiny sizes, without the load run."""
    work_dir = tmp_path_factory.mktemp("bench")
    options = arguments(
        ["--sizes", "50,120", "--reminder-sizes", "80,120", "--due", "1"]
        + ["--runs", "1", "--warmup", "0", "--load-seconds", "0"]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGISTER_INSTANCE_PATH", str(work_dir / "instance"))
        return run(options, work_dir)


def test_builder_makes_the_mix(instance_path):
    register = build_register(instance_path, 200, due=4)
    register.close()
    counts = register.counts
    assert counts["projects"] == 20
    assert counts["dpias"] == 60
    assert counts["agreements"] == 60
    assert counts["reviews"] == 60
    assert counts["assessments"] == 20
    assert counts["due"] == 4


def test_agreement_queries_do_not_grow_with_parties(instance_path):
    register = build_register(instance_path, 100, due=1)
    timer = Timer(register.app, runs=1, warmup=0)
    # Agreements 1 and 2 both link a DPIA; the first has two parties, the second three.
    two = timer.page("two parties", "detail", "sharing.agreement", "/agreements/1")
    three = timer.page("three parties", "detail", "sharing.agreement", "/agreements/2")
    timer.close()
    register.close()
    assert two.status == three.status == 200
    assert three.queries == two.queries


def test_reviews_floor_shows_the_pages_items(instance_path):
    """The reviews floor lists the page's items, first and last, so the two compare alike."""
    register = build_register(instance_path, 120, due=1)
    register.app.config["REGISTER_PAGE_SIZE"] = 5
    timer = Timer(register.app, runs=1, warmup=0)
    query, number = last_page(timer.client, "/reviews")
    assert query == "?page=last"
    for page_query, floor_number in (("?page=1", 1), (query, number)):
        page = timer.client.get(f"/reviews{page_query}").get_data(as_text=True)
        floor = timer.client.get(f"{FLOOR_PREFIX}reviews.reviews?page={floor_number}")
        floor = floor.get_data(as_text=True)
        links = re.findall(
            r'<td class="govuk-table__cell"><a class="govuk-link" href="([^"]+)"', page
        )
        assert len(links) > 1
        assert links == re.findall(
            r'<td class="govuk-table__cell"><a class="govuk-link" href="([^"]+)"', floor
        )
        assert ITEM_RANGE.search(page).group(0) == ITEM_RANGE.search(floor).group(0)
    timer.close()
    register.close()


def test_every_page_answers(report):
    for size, timings in report["pages"].items():
        for timing in timings:
            assert timing["status"] == 200, (size, timing["path"])


def test_query_counts_do_not_grow(report):
    small = {timing["name"]: timing["queries"] for timing in report["pages"]["50"]}
    large = {timing["name"]: timing["queries"] for timing in report["pages"]["120"]}
    assert small.keys() == large.keys()
    for name, queries in large.items():
        assert queries == small[name], name


def test_pages_found_in_url_map(report):
    names = {timing["name"] for timing in report["pages"]["120"]}
    assert "dashboard" in names
    assert "dpia.dpias last page" in names
    assert "sharing.agreements first page" in names
    assert "dpia.dpia detail" in names
    assert "projects.project detail" in names


def test_floors_run_one_query(report):
    floors = [timing for timing in report["pages"]["120"] if timing["floor_median_ms"]]
    assert {timing["endpoint"] for timing in floors} >= {"dpia.dpias", "sharing.agreements"}
    for timing in floors:
        # The floor's one query, after the query that loads the signed-in user.
        assert timing["floor_queries"] == 2, timing["name"]


def test_reminder_queries_do_not_grow(report):
    small, large = report["reminders"]["80"], report["reminders"]["120"]
    assert small["dry_run"]["items"] == 1
    assert large["dry_run"]["items"] == 1
    assert small["dry_run"]["queries"] == large["dry_run"]["queries"]
    assert large["send"]["messages_per_run"] == large["send"]["digests"] == 1


def test_table_lists_pages_and_gaps(report):
    table = format_table(report)
    assert "dpia.dpias first page" in table
    assert "Reminder job" in table
    assert "Targets:" in table
    assert report["targets"]["queries_grow"] == []
    for missing in NOT_BUILT:
        assert missing in table


def test_discover_skips_forms_and_health(app):
    lists, details, others = discover(app)
    endpoints = {rule.endpoint for rule in lists + details + others}
    assert "dpia.dpias" in endpoints
    assert "dpia.create_dpia" not in endpoints
    assert "dpia.edit_dpia" not in endpoints
    assert "main.health" not in endpoints
    assert "auth.users" not in endpoints


def test_discover_takes_only_ids_as_records(app):
    lists, details, others = discover(app)
    detail_endpoints = {rule.endpoint for rule in details}
    other_endpoints = {rule.endpoint for rule in others}
    assert "dpia.dpia" in detail_endpoints
    assert "exports.dpia_docx" in detail_endpoints
    assert "exports.due_dates" not in detail_endpoints
    assert "exports.due_dates" in other_endpoints
    assert "exports.whole_register" in other_endpoints


def test_exports_measured_with_rows(report):
    for size in ("50", "120"):
        exports = {t["name"]: t for t in report["pages"][size] if t["kind"] == "export"}
        due_dates = exports["due dates of one project as CSV"]
        assert due_dates["endpoint"] == "exports.due_dates"
        assert due_dates["status"] == 200
        assert due_dates["rows"] > 0
        assert exports["DPIAs due soon as CSV"]["rows"] is not None
    assert not [note for note in report["notes"] if "exports.due_dates" in note]


def fake_timing(name: str, cpu_ms: float, rows: int | None = None) -> dict:
    return {
        "name": name,
        "status": 200,
        "median_ms": cpu_ms,
        "p95_ms": cpu_ms,
        "cpu_median_ms": cpu_ms,
        "queries": 5,
        "rows": rows,
    }


def test_downloads_judged_per_row():
    report = {
        "machine": {"database": "SQLite 3.40.1"},
        "reminders": {},
        "notes": [],
        "not_built": [],
        "pages": {
            "1000": [
                fake_timing("download", 10.0, rows=10),
                fake_timing("slow download", 10.0, rows=10),
                fake_timing("page", 4.0),
            ],
            "100000": [
                fake_timing("download", 500.0, rows=1000),
                fake_timing("slow download", 3000.0, rows=1000),
                fake_timing("page", 12.0),
            ],
        },
    }
    rows = {row["name"]: row for row in comparisons(report)}
    assert rows["download"]["growth"] == 50.0
    assert rows["download"]["growth_per_row"] == 0.5
    assert rows["slow download"]["growth_per_row"] == 3.0
    assert rows["page"]["growth_per_row"] is None
    assert check_targets(report)["growth_over_2x"] == ["slow download", "page"]
    assert "0.50x" in format_table(report)


def test_parse_wrk_reads_figures():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["requests_per_second"] == 228.05
    assert figures["requests"] == 2283
    assert figures["p50_ms"] == 33.5
    assert figures["p90_ms"] == 0.85
    assert figures["p99_ms"] == 1200.0
    assert figures["socket_errors"] == 3
    assert figures["non_2xx_3xx"] == 4


def test_percentile_nearest_rank():
    samples = [float(value) for value in range(1, 21)]
    assert percentile(samples, 0.95) == 19.0
    assert percentile(samples, 0.5) == 10.0
    assert percentile([7.0], 0.95) == 7.0
