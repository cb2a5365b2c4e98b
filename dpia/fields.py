"""Radios and checkboxes for DPIA forms, with GOV.UK widgets and messages."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect
from wtforms import SelectMultipleField
from wtforms.validators import StopValidation

from core.forms import ChoiceField

YES_NO = {"yes": "Yes", "no": "No"}


class RadioField(ChoiceField):
    """Radios whose missing or unknown value gets the given message.

    A choice with the empty value ("Not applicable") may be selected, and
    when the field is not `required` nothing need be selected at all.
    """

    widget = GovRadioInput()

    def __init__(self, label=None, validators=None, required=True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required

    def pre_validate(self, form):
        allowed = {str(choice.value) for choice in self._choices_from_input(self.choices)}
        if self.data in (None, "") and (not self.required or "" in allowed):
            self.data = ""
            return
        if self.data not in allowed:
            raise StopValidation(self.message)


class CheckboxesField(SelectMultipleField):
    """Checkboxes that accept only the listed values. Leaving all unticked is allowed."""

    widget = GovCheckboxesInput()

    def __init__(self, label=None, choices=None, message="Select options from the list", **kwargs):
        super().__init__(label, choices=choices, validate_choice=False, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        self.data = [str(value) for value in valuelist]

    def pre_validate(self, form):
        allowed = {str(choice.value) for choice in self._choices_from_input(self.choices)}
        if any(value not in allowed for value in self.data or []):
            raise StopValidation(self.message)


def yes_no_radio(label: str, message: str, **kwargs) -> RadioField:
    return RadioField(label, choices=YES_NO, message=message, **kwargs)


def as_bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def as_yes_no(value: bool | None) -> str | None:
    return {True: "yes", False: "no"}.get(value)


class OptionalSelectField(RadioField):
    """A select that may be left on its empty first choice."""

    widget = GovSelect()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, required=False, **kwargs)
