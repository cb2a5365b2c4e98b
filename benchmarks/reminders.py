"""Time the reminder job over a built register, dry and against a real SMTP server."""

import socket
import statistics
import time

from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import delete

from benchmarks.database import QueryCounter
from core.extensions import db
from core.timeutil import local_today
from register.models import Reminder
from register.reminders import send_reminders


class CountingHandler:
    """An SMTP handler that accepts every message and counts them."""

    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clear_ledger() -> None:
    """Delete the reminder ledger's rows, so that the next run sends every due reminder again.

    The job sends each reminder once and records it, so without this only
    the first timed run would send anything.
    """
    db.session.execute(delete(Reminder))
    db.session.commit()


def time_run(app: Flask, dry_run: bool, runs: int) -> dict:
    samples, cpu_samples, queries, digests, items = [], [], 0, 0, 0
    with app.app_context():
        counter = QueryCounter(db.engine)
        try:
            for _ in range(runs):
                clear_ledger()
                counter.count = 0
                cpu_started = time.process_time()
                started = time.perf_counter()
                summary = send_reminders(local_today(), dry_run=dry_run)
                samples.append(time.perf_counter() - started)
                # Includes the loopback SMTP server's thread, which runs in this process.
                cpu_samples.append(time.process_time() - cpu_started)
                queries = counter.count
                digests = len(summary.sent)
                items = sum(len(digest.lines) for digest in summary.sent)
                db.session.remove()
        finally:
            counter.close()
            clear_ledger()
    return {
        "median_ms": statistics.median(samples) * 1000,
        "cpu_median_ms": statistics.median(cpu_samples) * 1000,
        "queries": queries,
        "digests": digests,
        "items": items,
    }


def measure_reminders(app: Flask, runs: int) -> dict:
    """Time a dry run, then a real send to an SMTP server on loopback."""
    result = {"dry_run": time_run(app, dry_run=True, runs=runs)}
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", controller.port
    try:
        result["send"] = time_run(app, dry_run=False, runs=runs)
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
        controller.stop()
    result["send"]["messages_per_run"] = handler.received / runs
    return result
