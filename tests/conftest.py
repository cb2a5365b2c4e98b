"""Shared fixtures: an app on a fresh database, users per role, Dorothy's records, SMTP."""

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.security import generate_password_hash

from core.auth.models import Role, User
from core.extensions import db
from core.projects.models import Decision, Party, Project
from core.timeutil import local_today
from register import create_app

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")


def database_uri(tmp_path) -> str:
    """Use DATABASE_URL (PostgreSQL in CI) when set, else a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        from core.config import database_url

        return database_url(tmp_path)
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app_config(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path / "instance"))
    return {
        "REGISTER_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "REGISTER_BASE_URL": "https://register.example.org",
        "REGISTER_DPO_MAILBOX": "dpo-team@example.org",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,
        "MAIL_TIMEOUT": 5.0,
        "MAIL_DEFAULT_SENDER": "register@example.org",
        # Tests of two-factor sign-in turn it on for the roles they need.
        "REGISTER_TWO_FACTOR_ROLES": "",
    }


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context.

    The test body keeps an app context open for database checks. Without
    this, requests would share that context's `g` and database session, so
    the signed-in user cached by Flask-Login and loaded objects would leak
    from one request to the next as they never do in production.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        yield app
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def make_app(app_config):
    """Return a function that builds another app from `app_config` plus overrides.

    Each app's database connections are closed when the test ends.
    """
    apps = []

    def make(**overrides):
        built = create_app(dict(app_config, **overrides))
        built.test_client_class = IsolatedClient
        apps.append(built)
        return built

    yield make
    for built in apps:
        with built.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Return a function that adds a user; every test user has the password PASSWORD."""

    def make(role: str, email: str | None = None, name: str | None = None, **fields) -> User:
        count = db.session.query(User).count()
        user = User(
            email=email or f"{role}{count}@example.org",
            name=name or f"{role.title()} User {count}",
            role=role,
            password_hash=_PASSWORD_HASH,
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@dataclass
class World:
    """The standard cast: one user per role, Dorothy and another project."""

    admin: User
    dpo: User
    lead: User
    other_lead: User
    auditor: User
    decision: Decision
    other_decision: Decision
    dorothy: Project
    kestrel: Project
    supervisors: Party
    network: Party
    cps: Party
    today: date


@pytest.fixture
def world(app, make_user) -> World:
    admin = make_user(Role.ADMIN, "admin@example.org", "Alex Morgan")
    dpo = make_user(Role.DPO, "dpo@example.org", "Dana Okafor")
    lead = make_user(Role.LEAD, "lead@example.org", "Liam Hart")
    other_lead = make_user(Role.LEAD, "lead2@example.org", "Priya Shah")
    auditor = make_user(Role.AUDITOR, "auditor@example.org", "Sam Reid")
    decision = Decision(
        title="Grant Funding Project Dorothy 2020/21",
        decision_maker="Deputy Mayor for Policing and Crime",
        issuing_body="MOPAC",
    )
    decision.set_reference("PCD 974")
    other_decision = Decision(
        title="Body-worn video replacement", decision_maker="Deputy Mayor", issuing_body="MOPAC"
    )
    other_decision.set_reference("PCD 1502")
    dorothy = Project(
        name="Project Dorothy",
        owning_unit="Met Operations 3",
        lead=lead,
        decisions=[decision],
    )
    kestrel = Project(
        name="Project Kestrel",
        owning_unit="Frontline Policing",
        lead=other_lead,
        decisions=[other_decision],
    )
    supervisors = Party(name="MO3 supervisors", kind="internal")
    network = Party(name="National online network", kind="external")
    cps = Party(name="Crown Prosecution Service", kind="external")
    db.session.add_all([dorothy, kestrel, supervisors, network, cps])
    db.session.commit()
    return World(
        admin,
        dpo,
        lead,
        other_lead,
        auditor,
        decision,
        other_decision,
        dorothy,
        kestrel,
        supervisors,
        network,
        cps,
        local_today(),
    )


def sign_in(client, user: User, password: str = PASSWORD):
    client.post("/sign-out")
    return client.post("/sign-in", data={"email": user.email, "password": password})


@pytest.fixture
def login(client):
    """Return a function that signs the test client in as a user."""

    def do(user: User):
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


class Mailbox:
    """Messages received by the loopback SMTP server, as email.message objects."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


class LoopbackController(Controller):
    """An aiosmtpd controller that may listen on a port chosen by the OS.

    aiosmtpd 1.4 checks that the server is up by connecting to the port it
    was given, which fails for port 0, so the bound port is read back first.
    """

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server on loopback and point the app's mail settings at it."""
    mailbox = Mailbox()
    controller = LoopbackController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = controller.port
    yield mailbox
    controller.stop()


def days(n: int) -> timedelta:
    return timedelta(days=n)


def table_snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table, to compare before and after a refused request."""
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(table.select().order_by(*table.primary_key.columns)).all()
        snapshot[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return snapshot


@contextmanager
def counted_queries():
    """Count the SQL statements that the block runs, one entry per statement in the yielded list."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
