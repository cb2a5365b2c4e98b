"""Form base class and GOV.UK fields that report errors in the design system's words."""

import re
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import Choice
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

# C0 control characters other than tab, line feed and carriage return. They
# cannot be typed, PostgreSQL rejects NUL in text, and they can break mail
# headers and exports, so text fields drop them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", value).replace("\r\n", "\n").strip()


def clean_line(value):
    value = clean_text(value)
    if isinstance(value, str):
        value = re.sub(r"\s*[\r\n]+\s*", " ", value)
    return value


class RegisterForm(FlaskForm):
    """Base form: every text field but a password is cleaned of control characters.

    Every form also carries `record_version`, the version of the record it
    was opened on (see core.locking), filled in from `obj` when the form is
    first shown; forms without a record leave it empty.
    """

    record_version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = kwargs.get("obj")
        if not self.is_submitted() and getattr(record, "version_id", None) is not None:
            self.record_version.data = str(record.version_id)

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            extra = ()
            if issubclass(field_class, PasswordField):
                # Passwords are checked exactly as typed, spaces included.
                extra = ()
            elif issubclass(field_class, TextAreaField):
                extra = (clean_text,)
            elif issubclass(field_class, StringField):
                extra = (clean_line,)
            filters = tuple(unbound_field.kwargs.get("filters", ())) + extra
            return unbound_field.bind(form=form, filters=filters, **options)


def required_text(label: str, message: str, max_length: int = 200, **kwargs):
    """Return a one-line text field that must be filled in."""
    return StringField(
        label,
        validators=[
            DataRequired(message=message),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
        widget=GovTextInput(),
        **kwargs,
    )


def optional_text(label: str, max_length: int = 200, validators=(), **kwargs):
    return StringField(
        label,
        validators=[
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
            *validators,
        ],
        widget=GovTextInput(),
        **kwargs,
    )


def long_text(label: str, message: str | None = None, max_length: int = 20000, **kwargs):
    """Return a multi-line text field; required when `message` is given."""
    validators = [
        Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")
    ]
    if message:
        validators.insert(0, DataRequired(message=message))
    return TextAreaField(label, validators=validators, widget=GovTextArea(), **kwargs)


def submit(label: str):
    return SubmitField(label, widget=GovSubmitInput())


def blank_as_none(coerce):
    """Wrap `coerce` so the empty prompt option reads as None instead of failing.

    WTForms coerces every option's value when it renders a select, so an
    `int` coerce would otherwise fail on the "" of a "Select ..." prompt.
    """

    def convert(value):
        return None if value in ("", None) else coerce(value)

    return convert


class ChoiceField(SelectField):
    """A select whose invalid or missing value gets the given message.

    The empty "Select ..." prompt reads as None whatever `coerce` is, and a
    value that `coerce` cannot convert gets the message instead of an error.
    """

    widget = GovSelect()

    def __init__(
        self,
        label=None,
        validators=None,
        message="Select an option",
        coerce=str,
        allow_empty=False,
        **kwargs,
    ):
        super().__init__(
            label, validators, coerce=blank_as_none(coerce), validate_choice=False, **kwargs
        )
        self.message = message
        # With allow_empty, the empty choice (such as "All projects") is valid.
        self.allow_empty = allow_empty

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError):
                self.data = None

    def iter_choices(self):
        # A placeholder choice such as "" cannot be coerced to int, and
        # WTForms 3.3 raises ValueError while marking the selected option.
        return [
            Choice(
                value=choice.value,
                label=choice.label,
                selected=self._coerced(choice.value) == self.data,
                render_kw=choice.render_kw,
            )
            for choice in self._choices_from_input(self.choices) or []
        ]

    def _coerced(self, value):
        try:
            return self.coerce(value)
        except (ValueError, TypeError):
            return None

    def pre_validate(self, form):
        allowed = set()
        for choice in self._choices_from_input(self.choices):
            try:
                value = self.coerce(choice.value)
            except (ValueError, TypeError):
                continue
            if value not in (None, ""):
                allowed.add(value)
        if self.data in (None, ""):
            if self.allow_empty:
                return
            raise StopValidation(self.message)
        if self.data not in allowed:
            raise StopValidation(self.message)


class DateWidget(GovDateInput):
    """The GOV.UK date input, with the day box carrying the field's id.

    The error summary links to the field's id, so the link lands on the
    first box. The wrapper around the three boxes gets another id, because
    with two elements sharing one id the link would find the wrapper, which
    cannot take focus.
    """

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["id"] = f"{field.id}-date"
        params["items"][0]["id"] = field.id
        return params


class DateField(Field):
    """A date typed as day, month and year in three boxes.

    Errors follow the GOV.UK pattern: "Enter the review date", "Review date
    must include a month", "Review date must be a real date".
    """

    widget = DateWidget()

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def process_formdata(self, valuelist):
        parts = [str(value).strip() for value in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        name = self.label.text
        missing = [
            unit for unit, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValueError(f"{name} must include a {' and '.join(missing)}")
        if not all(part.isdigit() and part.isascii() for part in parts):
            raise ValueError(f"{name} must be a real date")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(year, month, day)
        except ValueError:
            raise ValueError(f"{name} must be a real date") from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required_message:
            raise StopValidation(self.required_message)

    def _value(self):
        return ""


def http_link(form, field):
    """Accept only an empty value or an http(s) address."""
    if field.data and not re.match(r"^https?://[^\s/]+", field.data, re.IGNORECASE):
        raise ValidationError("Enter a link that starts with http:// or https://")
