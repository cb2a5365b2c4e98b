"""Sign-in and account forms."""

from email_validator import EmailNotValidError, validate_email
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovPasswordInput, GovTextInput
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from core.auth.models import ROLE_LABELS, User, normalise_email
from core.auth.passwords import (  # noqa: F401  (check_password_strength is used by the CLI)
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password_strength,
)
from core.extensions import db
from core.forms import ChoiceField, RegisterForm, required_text, submit


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
    reset_two_factor = BooleanField(
        "Reset two-factor sign-in",
        description="For a lost phone: the person sets up an authenticator app again at sign-in",
        widget=GovCheckboxInput(),
    )
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
        problem = check_password_strength(
            field.data, email=self.email.data or "", name=self.name.data or ""
        )
        if problem:
            raise ValidationError(problem)


def password_field(label: str, message: str, description: str = ""):
    return PasswordField(
        label,
        validators=[
            DataRequired(message=message),
            Length(max=MAX_PASSWORD_LENGTH, message=f"{label} is too long"),
        ],
        description=description,
        widget=GovPasswordInput(),
    )


class ChangePasswordForm(RegisterForm):
    current_password = password_field("Current password", "Enter your current password")
    new_password = password_field(
        "New password",
        "Enter a new password",
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters. A phrase of several words is easiest "
            "to remember; spaces and any characters are fine."
        ),
    )
    confirm_password = password_field("Confirm new password", "Enter the new password again")
    submit = submit("Change password")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field):
        if not self.user.check_password(field.data):
            raise ValidationError("Current password is not correct")

    def validate_new_password(self, field):
        problem = check_password_strength(field.data, email=self.user.email, name=self.user.name)
        if problem:
            raise ValidationError(problem)
        if self.user.check_password(field.data):
            raise ValidationError("New password must be different from the current one")

    def validate_confirm_password(self, field):
        if field.data != self.new_password.data:
            raise ValidationError("Passwords do not match. Enter the new password again")


class CodeForm(RegisterForm):
    code = StringField(
        "Code",
        validators=[
            DataRequired(message="Enter the code from your authenticator app"),
            Length(max=40, message="Code must be 40 characters or fewer"),
        ],
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        widget=GovTextInput(),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
    submit = submit("Continue")
