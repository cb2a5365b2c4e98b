"""The administrator's pages for issuing and revoking API tokens."""

import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.auth.models import Role, User
from core.extensions import db
from core.forms import ChoiceField, RegisterForm, required_text, submit
from core.policy import allow
from core.timeutil import utc_now
from register.api.models import ApiToken

bp = Blueprint("api_tokens", __name__, url_prefix="/api-tokens")
log = logging.getLogger(__name__)


class TokenForm(RegisterForm):
    user_id = ChoiceField("User", coerce=int, message="Select the user the token acts for")
    name = required_text(
        "Token name",
        "Enter a name that says where the token is used",
        max_length=120,
        description="For example: nightly copy to the records system",
    )
    submit = submit("Create token")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = db.session.scalars(
            select(User).where(User.is_active.is_(True)).order_by(User.name)
        ).all()
        self.user_id.choices = {"": "Select a user"} | {
            str(user.id): f"{user.name} ({user.role_label})" for user in users
        }


class RevokeForm(RegisterForm):
    submit = submit("Revoke")


@bp.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def tokens():
    """List API tokens and issue a new one; the token is shown once, on this page."""
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        record, issued = ApiToken.issue(user, form.name.data, current_user)
        db.session.add(record)
        db.session.commit()
        log.info("api token issued id=%s user_id=%s by=%s", record.id, user.id, current_user.id)
        form = TokenForm(formdata=None)
    records = db.session.scalars(
        select(ApiToken)
        .options(selectinload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
    return render_template(
        "api/tokens.html", form=form, tokens=records, issued=issued, revoke_form=RevokeForm()
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke(token_id: int):
    """Revoke a token, so that it no longer opens the API."""
    record = db.get_or_404(ApiToken, token_id)
    if not RevokeForm().validate_on_submit():
        abort(400)
    if record.is_revoked:
        flash(f"Token {record.name} was already revoked", "info")
    else:
        record.revoked_at = utc_now()
        record.revoked_by_id = current_user.id
        db.session.commit()
        log.info("api token revoked id=%s by=%s", record.id, current_user.id)
        flash(f"Token {record.name} revoked", "success")
    return redirect(url_for("api_tokens.tokens"))
