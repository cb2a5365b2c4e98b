"""A user's own account: password change and two-factor sign-in."""

import logging

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from core.audit import record_event
from core.auth import two_factor as totp
from core.auth.blueprint import bp
from core.auth.forms import ChangePasswordForm, CodeForm
from core.auth.models import User
from core.extensions import db
from core.forms import RegisterForm, submit
from core.policy import READERS, allow, public
from core.security import start_session_clock

log = logging.getLogger(__name__)


class ConfirmForm(RegisterForm):
    submit = submit("Turn off two-factor sign-in")


@bp.route("/account")
@allow(*READERS)
def account():
    """Show the user's account and how they sign in."""
    return render_template(
        "auth/account.html",
        required=totp.required_for(current_user),
        turn_off_form=ConfirmForm(),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*READERS)
def change_password():
    """Change the user's own password; the current one must be given."""
    user = db.session.get(User, current_user.id)
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        user.set_password(form.new_password.data)
        # Every other session of this user ends; this one carries on with the new token.
        user.rotate_session_token()
        record_event("password_change", user, summary="Changed own password")
        db.session.commit()
        session.clear()
        login_user(user)
        start_session_clock()
        log.info("password changed user_id=%s", user.id)
        flash("Your password has been changed. Other devices have been signed out.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/password_form.html", form=form)


def _setup_user() -> User | None:
    """Return the user setting up a second factor: signed in, or half-way through sign-in."""
    if current_user.is_authenticated:
        return db.session.get(User, current_user.id)
    from core.auth.views import pending_user

    return pending_user()


@bp.route("/account/two-factor", methods=["GET", "POST"])
@public
def set_up_two_factor():
    """Link an authenticator app to the account, then show the recovery codes once."""
    user = _setup_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if user.totp_secret:
        # Replacing a second factor needs the old one or an administrator's reset.
        if current_user.is_authenticated:
            flash("Two-factor sign-in is already set up", "info")
            return redirect(url_for("auth.account"))
        return redirect(url_for("auth.two_factor"))
    secret = session.get("totp_setup_secret")
    if not isinstance(secret, str) or len(secret) != 32:
        secret = totp.new_secret()
        session["totp_setup_secret"] = secret
    form = CodeForm()
    form.code.description = "The 6-digit code your authenticator app shows for this account"
    if form.validate_on_submit():
        step = totp.matched_step(secret, form.code.data)
        if step is not None:
            codes, hashes = totp.new_recovery_codes()
            user.totp_secret = secret
            # The code that set the app up cannot then be used to sign in.
            user.totp_last_step = step
            user.recovery_code_hashes = hashes
            # Sessions that signed in without the second factor end here.
            user.rotate_session_token()
            record_event("two_factor", user, summary="Set up two-factor sign-in")
            db.session.commit()
            session.pop("totp_setup_secret", None)
            if current_user.is_authenticated:
                session.clear()
                login_user(user)
                start_session_clock()
                next_url = url_for("auth.account")
            else:
                from core.auth.views import complete_sign_in

                next_url = session.get("pending_next")
                complete_sign_in(user, next_url)
                next_url = next_url or url_for("main.dashboard")
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
        form.code.errors.append("Enter the code your authenticator app shows now")
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        uri=totp.provisioning_uri(secret, user.email),
        required=totp.required_for(user),
    )


@bp.route("/account/two-factor/turn-off", methods=["POST"])
@allow(*READERS)
def turn_off_two_factor():
    """Remove the user's second factor, where their role does not require one."""
    user = db.session.get(User, current_user.id)
    if totp.required_for(user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user.totp_secret = None
    user.recovery_code_hashes = None
    record_event("two_factor", user, summary="Turned off two-factor sign-in")
    db.session.commit()
    flash("Two-factor sign-in is turned off", "success")
    return redirect(url_for("auth.account"))
