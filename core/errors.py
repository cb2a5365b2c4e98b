"""Error pages for every status the register returns, with a plain fallback."""

import logging
import secrets

from flask import render_template
from flask_wtf.csrf import CSRFError
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from core.extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: "The request could not be understood",
    401: "Authentication is required",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    413: "The upload is too large",
    500: "Sorry, there is a problem with the service",
}


def render_error(status: int, **context):
    title = TITLES.get(status, "Something went wrong")
    try:
        return render_template(f"errors/{status}.html", title=title, **context), status
    except TemplateNotFound:
        return render_template("errors/generic.html", title=title, status=status, **context), status


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_expired(error):
        log.warning("rejected form: %s", error.description)
        return render_error(400, csrf=True)

    @app.errorhandler(HTTPException)
    def http_error(error):
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
