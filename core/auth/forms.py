"""Sign-in and account forms."""

from email_validator import EmailNotValidError, validate_email
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovPasswordInput, GovTextInput
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from core.auth.models import ROLE_LABELS, User, normalise_email
from core.extensions import db
from core.forms import ChoiceField, RegisterForm, required_text, submit

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


class SignInForm(RegisterForm):
    email = StringField(
        "Email address",
        validators=[
            DataRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(message="Enter your password"),
            Length(max=MAX_PASSWORD_LENGTH, message="Password is too long"),
        ],
        widget=GovPasswordInput(),
    )
    submit = submit("Sign in")


def check_email(form, field):
    try:
        validate_email(field.data or "", check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            "Enter an email address in the correct format, like name@example.org"
        ) from None


def check_password_strength(password: str) -> str | None:
    """Return what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    if len(set(password)) < 4:
        return "Password must not repeat the same few characters"
    return None


class UserForm(RegisterForm):
    """An administrator's form for a new or changed account."""

    email = required_text("Email address", "Enter the email address", max_length=254)
    name = required_text("Full name", "Enter the person's full name", max_length=120)
    role = ChoiceField(
        "Role", choices={"": "Select a role", **ROLE_LABELS}, message="Select a role"
    )
    password = PasswordField(
        "Password",
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters. Leave empty to keep the current password."
        ),
        widget=GovPasswordInput(),
    )
    is_active = BooleanField("Account can sign in", widget=GovCheckboxInput())
    submit = submit("Save account")

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field):
        check_email(self, field)
        clash = db.session.scalar(
            select(User).where(User.email == normalise_email(field.data or ""))
        )
        if clash is not None and clash is not self.user:
            raise ValidationError("An account with this email address already exists")

    def validate_password(self, field):
        if not field.data:
            if self.user is None:
                raise ValidationError("Enter a password for the new account")
            return
        problem = check_password_strength(field.data)
        if problem:
            raise ValidationError(problem)
