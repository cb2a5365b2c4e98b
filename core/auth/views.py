"""Sign-in, sign-out and the administrator's account pages."""

import functools
import logging
import secrets
from urllib.parse import unquote, urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from core.audit import record_event, set_request_actor
from core.auth import two_factor as totp
from core.auth.blueprint import bp
from core.auth.forms import CodeForm, SignInForm, UserForm
from core.auth.models import Role, User, normalise_email
from core.extensions import db, limiter, login_manager
from core.locking import save_versioned
from core.policy import READERS, allow, public
from core.security import security_event, start_session_clock
from core.timeutil import utc_now

log = logging.getLogger(__name__)

# How long the second sign-in step stays open after the password was accepted.
PENDING_SECONDS = 300


@functools.cache
def _dummy_hash() -> str:
    """Return a hash to check against when the email is unknown.

    A wrong address then costs the same time as a wrong password, so the
    two cannot be distinguished.
    """
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    if user is None or not user.is_active:
        return None
    return user


def _is_local_path(target: str) -> bool:
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    return target.startswith("/") and not target.startswith("//")


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, otherwise None.

    Browsers treat "/\\evil.example" and "//evil.example" as other hosts, so
    both are rejected. The value is checked again after each of up to three
    rounds of percent-decoding, so "/%2F%2Fevil.example" is rejected too.
    """
    if not target or len(target) > 2000:
        return None
    decoded = target
    for _ in range(3):
        if not _is_local_path(decoded):
            return None
        decoded = unquote(decoded)
    return target if _is_local_path(decoded) else None


def _account_key() -> str:
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def _pending_key() -> str:
    return f"pending:{session.get('pending_user_id', '-')}"


def _failed(response) -> bool:
    """Count only attempts that did not sign in (a redirect means success)."""
    return response.status_code != 302


def complete_sign_in(user: User, next_url: str | None):
    """Start a fresh session for `user` and send them on."""
    session.clear()
    login_user(user)
    start_session_clock()
    set_request_actor(user)
    record_event("sign_in", user, user=user, summary="Signed in")
    db.session.commit()
    log.info("sign-in user_id=%s", user.id)
    return redirect(safe_next(next_url) or url_for("main.dashboard"))


def reject_sign_in(email: str, reason: str) -> None:
    """Log and audit a failed sign-in; the user sees the same message whatever the reason."""
    security_event("rejected sign-in", reason=reason)
    record_event(
        "sign_in_failed", label=email[:254] or "(no email)", summary=f"Failed sign-in: {reason}"
    )
    db.session.commit()


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["REGISTER_SIGN_IN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    lambda: current_app.config["REGISTER_SIGN_IN_ACCOUNT_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def sign_in():
    """Sign a user in with email address and password, then a code if they use one."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)
            valid, reason = False, "unknown email"
        else:
            valid = user.check_password(form.password.data) and user.is_active
            reason = "wrong password" if user.is_active else "account deactivated"
        if valid:
            next_url = safe_next(request.args.get("next"))
            if user.totp_secret or totp.required_for(user):
                session.clear()
                session["pending_user_id"] = user.id
                session["pending_since"] = utc_now().timestamp()
                session["pending_next"] = next_url
                endpoint = "auth.two_factor" if user.totp_secret else "auth.set_up_two_factor"
                return redirect(url_for(endpoint))
            return complete_sign_in(user, next_url)
        reject_sign_in(email, reason)
        form.password.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


def pending_user() -> User | None:
    """Return the user whose password was accepted in this session a moment ago."""
    user_id = session.get("pending_user_id")
    since = session.get("pending_since")
    if not isinstance(user_id, int) or not isinstance(since, float):
        return None
    if utc_now().timestamp() - since > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return user


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["REGISTER_SIGN_IN_ACCOUNT_LIMIT"],
    key_func=_pending_key,
    methods=["POST"],
    deduct_when=_failed,
)
def two_factor():
    """Ask for the code from the user's authenticator app, or a recovery code."""
    user = pending_user()
    if user is None or not user.totp_secret:
        flash("Sign in again: the sign-in was not finished in time", "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.check_code(user, form.code.data):
            return complete_sign_in(user, session.get("pending_next"))
        reject_sign_in(user.email, "wrong code")
        form.code.errors.append("Enter a correct code from your authenticator app")
    return render_template("auth/two_factor.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@allow(*READERS)
def sign_out():
    """Sign the user out everywhere by replacing their session token."""
    user = db.session.get(User, current_user.id)
    user.rotate_session_token()
    record_event("sign_out", user, summary="Signed out")
    db.session.commit()
    log.info("sign-out user_id=%s", user.id)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/users")
@allow(Role.ADMIN)
def users():
    """List every account."""
    accounts = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("auth/users.html", users=accounts)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_user():
    """Create an account."""
    form = UserForm()
    del form.reset_two_factor
    if request.method == "GET":
        form.is_active.data = True
    if form.validate_on_submit():
        user = User(
            email=normalise_email(form.email.data),
            name=form.name.data,
            role=form.role.data,
            is_active=form.is_active.data,
        )
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        log.info("account created user_id=%s by=%s", user.id, current_user.id)
        flash(f"Account created for {user.name}", "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_user(user_id: int):
    """Change an account's details, role, password or whether it can sign in."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, user=user)
    if request.method == "GET":
        form.password.data = ""
    if form.validate_on_submit():
        reset_two_factor = form.reset_two_factor.data and user.totp_secret is not None
        access_changed = (
            user.role != form.role.data
            or user.is_active != form.is_active.data
            or bool(form.password.data)
            or reset_two_factor
        )

        def apply():
            user.email = normalise_email(form.email.data)
            user.name = form.name.data
            user.role = form.role.data
            user.is_active = form.is_active.data
            if form.password.data:
                user.set_password(form.password.data)
            if reset_two_factor:
                user.totp_secret = None
                user.recovery_code_hashes = None
            if access_changed:
                # Sessions opened under the old role or password end here.
                user.rotate_session_token()

        if not save_versioned(form, user, apply):
            return render_template("auth/user_form.html", form=form, user=user), 409
        log.info("account changed user_id=%s by=%s", user.id, current_user.id)
        flash(f"Account saved for {user.name}", "success")
        if user.id == current_user.id and access_changed:
            return redirect(url_for("auth.sign_in"))
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user)


from core.auth import account  # noqa: E402, F401  (its routes join this blueprint)
