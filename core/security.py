"""Response headers, session timeouts, proxy and host settings, and safe logging."""

import logging
import secrets
from datetime import datetime

from flask import flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from core.timeutil import utc_now

log = logging.getLogger("register.security")

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def csp_nonce() -> str:
    """Return this request's script nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def set_security_headers(response):
    """Add the security headers to every response; an after-request hook."""
    from flask import current_app

    response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["REGISTER_ENV"] == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if g.get("_login_user") is not None and g._login_user.is_authenticated:
        # Pages of a signed-in user must not stay in a shared browser's cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _timestamp(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def start_session_clock() -> None:
    """Record when the session began; call right after signing a user in."""
    now = utc_now().isoformat()
    session["signed_in_at"] = now
    session["seen_at"] = now


def enforce_session_timeouts():
    """Sign out a session idle too long or open too long; a before-request hook.

    REGISTER_SESSION_IDLE_MINUTES bounds the time between two requests and
    REGISTER_SESSION_MAX_HOURS the time since sign-in.
    """
    from flask import current_app

    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "uses_api_token", False):
        # API requests carry a token on every call and have no session to time out.
        return None
    now = utc_now()
    config = current_app.config
    seen = _timestamp(session.get("seen_at"))
    started = _timestamp(session.get("signed_in_at"))
    idle = (
        seen is None or (now - seen).total_seconds() > config["REGISTER_SESSION_IDLE_MINUTES"] * 60
    )
    expired = (
        started is None
        or (now - started).total_seconds() > config["REGISTER_SESSION_MAX_HOURS"] * 3600
    )
    if idle or expired:
        security_event("session timed out", reason="idle" if idle else "maximum age")
        logout_user()
        session.clear()
        g.pop("audit_actor", None)
        flash("You were signed out because your session timed out. Sign in again.", "info")
        return redirect(url_for("auth.sign_in"))
    session["seen_at"] = now.isoformat()
    return None


def neutralise(value) -> str:
    """Return `value` as one log-safe line: line breaks and controls escaped."""
    text = str(value)
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def security_event(event: str, **fields) -> None:
    """Log a security event with time, user, address and endpoint; values made single-line."""
    user = g.get("_login_user")
    user_id = user.id if user is not None and user.is_authenticated else "-"
    details = " ".join(f"{key}={neutralise(value)}" for key, value in fields.items())
    log.warning(
        "%s user_id=%s address=%s endpoint=%s %s",
        neutralise(event),
        user_id,
        neutralise(request.remote_addr),
        neutralise(request.endpoint),
        details,
    )


class SingleLineFilter(logging.Filter):
    """Escape line breaks in every logged message, so no value can forge a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.isprintable():
            record.msg = neutralise(message)
            record.args = None
        return True


def install_log_filter() -> None:
    """Put the single-line filter on every handler of the root logger."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(item, SingleLineFilter) for item in handler.filters):
            handler.addFilter(SingleLineFilter())


def apply_proxy_and_hosts(app) -> None:
    """Trust X-Forwarded-* from REGISTER_PROXY_COUNT proxies and set trusted hosts."""
    count = app.config["REGISTER_PROXY_COUNT"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    hosts = [host.strip() for host in app.config["REGISTER_TRUSTED_HOSTS"].split(",")]
    hosts = [host for host in hosts if host]
    if hosts:
        app.config["TRUSTED_HOSTS"] = hosts


def init_app(app) -> None:
    apply_proxy_and_hosts(app)
    app.after_request(set_security_headers)
    app.before_request(enforce_session_timeouts)
    app.add_template_global(csp_nonce)

    @app.context_processor
    def nonce_for_templates():
        # govuk-frontend-jinja's page template puts cspNonce on its inline script.
        return {"cspNonce": csp_nonce()}

    install_log_filter()
