"""Fixtures for reviews, reminders and calendar feeds: records with dates, and mail helpers."""

import socket
import threading
from email import message_from_bytes, policy

import pytest

from core.extensions import db
from dpia.models import Dpia
from register.models import Reminder
from sharing.models import Agreement
from tests.conftest import LoopbackController, Mailbox


@pytest.fixture
def make_dpia(world):
    """Return a function that adds a Dorothy DPIA owned by the lead, due on `due`."""

    def make(due, owner=None, title="Dorothy online investigation", project=None):
        dpia = Dpia(
            project=project or world.dorothy,
            decision=world.decision if project is None else world.other_decision,
            title=title,
            owner=owner or world.lead,
            next_review_on=due,
        )
        db.session.add(dpia)
        db.session.commit()
        return dpia

    return make


@pytest.fixture
def make_agreement(world):
    def make(due, reference="ISA-MO3-002", owner=None):
        agreement = Agreement(
            reference=reference,
            title="Sharing with the national online network",
            project=world.dorothy,
            decision=world.decision,
            scope="external",
            owner=owner or world.lead,
            next_review_on=due,
        )
        db.session.add(agreement)
        db.session.commit()
        return agreement

    return make


def take(mailbox):
    """Return the received messages as (recipients, message) and empty the mailbox."""
    with mailbox.lock:
        messages = list(mailbox.messages)
        mailbox.messages.clear()
    return messages


def summary_of(messages):
    """Return each message as (sorted recipients, subject), sorted.

    The subject is stripped because a folded header keeps the space that
    began its continuation line.
    """
    return sorted((tuple(sorted(rcpts)), subject(message)) for rcpts, message in messages)


def subject(message) -> str:
    return str(message["Subject"]).strip()


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def ledger():
    """Return the ledger as sorted (kind, record id, due, stage, recipient, status) rows."""
    db.session.expire_all()
    rows = db.session.scalars(db.select(Reminder)).all()
    return sorted(
        (r.record_kind, r.record_id, r.due_on, r.stage, r.recipient, r.status) for r in rows
    )


def parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


@pytest.fixture
def closed_port():
    """Return a loopback port with nothing listening, so connections are refused."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def hanging_server():
    """Run a loopback server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


class PickyMailbox(Mailbox):
    """A mailbox whose server rejects the recipients listed in `rejected`."""

    def __init__(self):
        super().__init__()
        self.rejected: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejected:
            return "550 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky_smtp_server(app):
    """Run a loopback SMTP server that can reject chosen recipients."""
    mailbox = PickyMailbox()
    controller = LoopbackController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = controller.port
    yield mailbox
    controller.stop()
