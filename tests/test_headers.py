"""Security headers, production settings, error pages, logs and escaping."""

import logging
import re

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.config import ConfigError
from core.extensions import db
from core.security import neutralise
from register import create_app
from tests.conftest import PASSWORD, table_snapshot


def test_headers_on_public_page(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_inline_script_carries_the_nonce(client):
    response = client.get("/sign-in")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    page = response.get_data(as_text=True)
    assert f'<script nonce="{nonce}">' in page
    assert page.count("<script") == page.count(f'nonce="{nonce}"') + page.count('type="module"')


def test_nonce_differs_per_request(client):
    first = client.get("/sign-in").headers["Content-Security-Policy"]
    second = client.get("/sign-in").headers["Content-Security-Policy"]
    assert first != second


def test_signed_in_pages_not_cached(login, world):
    client = login(world.dpo)
    assert client.get("/").headers["Cache-Control"] == "no-store"


PRODUCTION = {"REGISTER_ENV": "production", "SECRET_KEY": "k" * 40}


def test_hsts_in_production(make_app):
    app = make_app(**PRODUCTION)
    response = app.test_client().get("/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": True}, "Debug mode"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY"),
        ({"SESSION_COOKIE_SAMESITE": "None"}, "SESSION_COOKIE_SAMESITE"),
    ],
)
def test_production_refuses_unsafe_settings(app_config, overrides, message):
    with pytest.raises(ConfigError, match=message):
        create_app({**app_config, **PRODUCTION, **overrides})


def test_trusted_hosts(make_app):
    app = make_app(REGISTER_TRUSTED_HOSTS="register.example.org")
    client = app.test_client()
    assert client.get("/health", base_url="http://register.example.org").status_code == 200
    assert client.get("/health", base_url="http://evil.example").status_code == 400


def test_proxy_fix_when_configured(make_app):
    app = make_app(REGISTER_PROXY_COUNT=1)
    with app.app_context():
        db.create_all()
        app.test_client().post(
            "/sign-in",
            data={"email": "nobody@example.org", "password": "wrong guess!"},
            headers={"X-Forwarded-For": "203.0.113.5"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        event = db.session.scalar(select(AuditEvent))
        assert event.address == "203.0.113.5"
        db.session.remove()
        db.drop_all()


def test_forwarded_for_ignored_without_proxy(client, world):
    client.post(
        "/sign-in",
        data={"email": "nobody@example.org", "password": "wrong guess!"},
        headers={"X-Forwarded-For": "203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in_failed"))
    assert event.address == "10.0.0.1"


def test_server_error_page_has_reference(app, login, world, caplog):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    boom.allowed_roles = frozenset({"dpo"})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = login(world.dpo)
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    reference = re.search(r"<strong>([0-9a-f]{8})</strong>", page).group(1)
    assert "secret detail" not in page
    assert "Traceback" not in page
    assert any(reference in record.getMessage() for record in caplog.records)


def test_csrf_expired_page_keeps_input(app, login, world):
    client = login(world.dpo)
    app.config["WTF_CSRF_ENABLED"] = True
    before = table_snapshot()
    response = client.post(
        "/parties/new",
        data={"name": "Bedfordshire <Police>", "description": "Line one\nLine two", "kind": "x"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bedfordshire &lt;Police&gt;" in page
    assert "Line one\nLine two" in page
    assert table_snapshot() == before


def test_csrf_expired_page_hides_passwords(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert world.dpo.email in page
    assert PASSWORD not in page


def test_log_lines_cannot_be_forged(client, world, caplog):
    caplog.set_level(logging.INFO)
    client.post(
        "/sign-in",
        data={"email": "x@example.org", "password": "wrong guess!"},
        environ_base={"REMOTE_ADDR": "192.0.2.1\nFAKE sign-in user_id=1"},
    )
    for record in caplog.records:
        assert "\n" not in record.getMessage()


def test_neutralise_escapes_line_breaks():
    assert neutralise("a\r\nb\x00") == "a\\r\\nb\\x00"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "ftp://x", "//x"])
def test_link_fields_accept_only_http(login, world, link):
    client = login(world.dpo)
    before = table_snapshot()
    response = client.post(
        "/decisions/new",
        data={
            "reference": "PCD 1000",
            "title": "Test",
            "decision_maker": "DMPC",
            "issuing_body": "MOPAC",
            "link": link,
        },
    )
    assert "Enter a link that starts with http:// or https://" in response.get_data(as_text=True)
    assert table_snapshot() == before
