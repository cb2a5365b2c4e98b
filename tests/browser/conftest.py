"""Fixtures for the browser tests: the app served on loopback and headless Chromium.

The tests drive the Debian Chromium package at /usr/bin/chromium through
Playwright, never a browser that Playwright downloads. When that binary is
missing, every test marked `browser` is skipped with the reason in the summary.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.serving import WSGIRequestHandler, make_server

from core.extensions import db
from register import create_app
from tests.conftest import database_uri

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SKIP_REASON = f"Chromium not found at {CHROMIUM}: browser tests skipped"

_screenshots: list[Path] = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if _screenshots:
        folder = _screenshots[0].parent
        terminalreporter.write_line(f"{len(_screenshots)} page screenshots saved in {folder}")


class QuietRequestHandler(WSGIRequestHandler):
    """Request handler that does not log every request the browser makes."""

    def log_request(self, code="-", size="-"):
        pass


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a loopback port the OS picks; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def served_app(tmp_path: Path, load) -> Iterator[tuple]:
    """Build the app on a fresh database, call `load()` in its context, and serve it.

    CSRF protection stays on and TESTING off, so the browser gets the same
    pages a user would, error pages included.
    """
    config = {
        "REGISTER_ENV": "testing",
        "SECRET_KEY": "browser-test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
        "REGISTER_BASE_URL": "https://register.example.org",
        "REGISTER_DPO_MAILBOX": "dpo-team@example.org",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,
        # The demo accounts have no second factor set up; the sign-in tests
        # cover the two-factor pages.
        "REGISTER_TWO_FACTOR_ROLES": "",
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path / "instance"))
        app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        load()
        db.session.remove()
    try:
        with serve(app) as base_url:
            yield app, base_url
    finally:
        with app.app_context():
            db.session.remove()
            if db.engine.dialect.name == "postgresql":
                db.drop_all()
            db.engine.dispose()


@pytest.fixture(scope="package")
def chromium():
    """Headless Debian Chromium, shared by the browser tests of this package.

    Package scope closes it before other packages start their own Playwright,
    which the sync API allows only one of at a time.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def save_screenshot(screenshot_dir):
    """Return a function that saves a full-page screenshot and prints its path."""
    used: set[str] = set()

    def save(page, name: str) -> Path:
        stem = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")[:120] or "page"
        candidate, number = stem, 2
        while candidate in used:
            candidate, number = f"{stem}-{number}", number + 1
        used.add(candidate)
        path = screenshot_dir / f"{candidate}.png"
        page.screenshot(path=str(path), full_page=True)
        _screenshots.append(path)
        print(f"screenshot: {path}")
        return path

    return save


def axe_source() -> str:
    path = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci` (or `make setup`) to install axe-core")
    return path.read_text(encoding="utf-8")
