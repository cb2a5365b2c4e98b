"""Sign-in, sign-out and the administrator's account pages."""

import functools
import logging
import secrets
from urllib.parse import unquote, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from core.auth.forms import SignInForm, UserForm
from core.auth.models import Role, User, normalise_email
from core.extensions import db, login_manager
from core.policy import READERS, allow, public

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


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


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, otherwise None.

    Backslashes and encoded slashes are refused too, since browsers treat
    "/\\evil.example" and "//evil.example" as other hosts.
    """
    if not target:
        return None
    decoded = unquote(target)
    if "\\" in decoded or any(ord(ch) < 32 for ch in decoded) or decoded.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Sign a user in with email address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)
            valid = False
        else:
            valid = user.check_password(form.password.data) and user.is_active
        if valid:
            session.clear()
            login_user(user)
            log.info("sign-in user_id=%s", user.id)
            return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
        log.warning("rejected sign-in address=%s", request.remote_addr)
        form.password.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@allow(*READERS)
def sign_out():
    """Sign the user out everywhere by replacing their session token."""
    user = db.session.get(User, current_user.id)
    user.rotate_session_token()
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
        access_changed = (
            user.role != form.role.data
            or user.is_active != form.is_active.data
            or bool(form.password.data)
        )
        user.email = normalise_email(form.email.data)
        user.name = form.name.data
        user.role = form.role.data
        user.is_active = form.is_active.data
        if form.password.data:
            user.set_password(form.password.data)
        if access_changed:
            # Sessions opened under the old role or password end here.
            user.rotate_session_token()
        db.session.commit()
        log.info("account changed user_id=%s by=%s", user.id, current_user.id)
        flash(f"Account saved for {user.name}", "success")
        if user.id == current_user.id and access_changed:
            return redirect(url_for("auth.sign_in"))
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user)
