"""Outgoing mail over SMTP, configured with Flask-Mail's setting names.

The standard library's smtplib is used directly because the send must have
an explicit timeout: a mail server that accepts the connection and then
hangs would otherwise hold the reminder job for ever.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


class MailError(Exception):
    """The mail server could not be reached or refused the message."""


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    cc: tuple[str, ...] = ()


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    # Header values never carry line breaks, whatever a title holds: every
    # run of whitespace, line breaks included, becomes one space. The
    # default policy then encodes non-ASCII text as RFC 2047 encoded words.
    message["Subject"] = " ".join(mail.subject.split())
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class SmtpConnection:
    """One SMTP session for a batch of messages; use as a context manager."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        config = self.config
        host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
        timeout = config["MAIL_TIMEOUT"]
        try:
            if config["MAIL_USE_SSL"]:
                self.smtp = smtplib.SMTP_SSL(
                    host, port, timeout=timeout, context=ssl.create_default_context()
                )
            else:
                self.smtp = smtplib.SMTP(host, port, timeout=timeout)
                if config["MAIL_USE_TLS"]:
                    self.smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                self.smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                f"could not connect to the mail server {host}:{port}: {error}"
            ) from error
        return self

    def send(self, mail: Mail) -> None:
        message = build_message(mail, self.config["MAIL_DEFAULT_SENDER"])
        try:
            self.smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"the mail server did not accept the message: {error}") from error

    def __exit__(self, *exc_info):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
        return False


def connect() -> SmtpConnection:
    return SmtpConnection(current_app.config)
