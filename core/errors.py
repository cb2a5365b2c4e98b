"""Error pages for every status the register returns, with a plain fallback."""

import logging
import secrets

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, SecurityError

from core.extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: "The request could not be understood",
    401: "Authentication is required",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    413: "The upload is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def render_error(status: int, **context):
    title = TITLES.get(status, "Something went wrong")
    try:
        return render_template(f"errors/{status}.html", title=title, **context), status
    except TemplateNotFound:
        return render_template("errors/generic.html", title=title, status=status, **context), status


# Form fields never shown back: secrets and the form's own machinery.
NOT_KEPT = ("password", "csrf_token", "code", "record_version", "submit")


def kept_input() -> list[tuple[str, str]]:
    """Return the text the user sent with a rejected form, so they can copy it.

    The page shows it as plain escaped text and offers no button to send it
    again, so a form planted by another site cannot be replayed through it.
    """
    kept = []
    for name, value in request.form.items(multi=True):
        if any(part in name.lower() for part in NOT_KEPT) or not value.strip():
            continue
        kept.append((name.replace("_", " ").capitalize()[:100], value[:20000]))
    return kept[:100]


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_expired(error):
        log.warning("rejected form: %s", error.description)
        return render_error(400, csrf=True, kept=kept_input())

    @app.errorhandler(HTTPException)
    def http_error(error):
        if isinstance(error, SecurityError):
            # The host is not trusted, so no URL can be built for a full page.
            log.warning("rejected request: %s", error.description)
            return (
                "Bad request: this host name is not served here.",
                400,
                {"Content-Type": "text/plain; charset=utf-8"},
            )
        return render_error(error.code or 500)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        reference = secrets.token_hex(4)
        log.error(
            "server error reference=%s",
            reference,
            exc_info=getattr(error, "original_exception", None),
        )
        return render_error(500, reference=reference)
