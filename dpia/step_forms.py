"""Forms for screening and steps 1 to 4 of a DPIA, one form per page."""

from core.forms import DateField, RegisterForm, long_text, optional_text, submit
from dpia.fields import CheckboxesField, RadioField, yes_no_radio
from dpia.vocabulary import (
    ART6_BASES,
    ICO_HIGH_RISK_TYPES,
    LE_BASES,
    LOGGED_OPERATIONS,
    MANDATORY_CASES,
    SCHEDULE_8_CONDITIONS,
    SPECIAL_CATEGORIES,
    WP248_CRITERIA,
)


class ScreeningForm(RegisterForm):
    mandatory_cases = CheckboxesField(
        "Which of the cases that always need a DPIA apply?",
        choices=MANDATORY_CASES,
        description="UK GDPR Article 35(3). Select all that apply",
    )
    ico_types = CheckboxesField(
        "Which of the ICO's high-risk processing types apply?",
        choices=ICO_HIGH_RISK_TYPES,
        description=(
            "Innovative technology, biometric data and genetic data count only alongside "
            "a criterion below. Select all that apply"
        ),
    )
    wp248_criteria = CheckboxesField(
        "Which of the nine WP248 criteria apply?",
        choices=WP248_CRITERIA,
        description="Two or more make a DPIA likely to be required. Select all that apply",
    )
    involves_sharing = yes_no_radio(
        "Does the processing involve sharing data with other organisations?",
        "Select whether the processing involves sharing data",
        description="The ICO advises a DPIA before sharing data, even when it is not mandatory",
    )
    is_dpia_required = yes_no_radio("Is a DPIA required?", "Select whether a DPIA is required")
    rationale = long_text(
        "Reasons for the screening outcome",
        "Explain the screening outcome",
        max_length=5000,
    )
    override_reason = long_text(
        "Reason a DPIA is not needed despite the answers above",
        max_length=5000,
        description=(
            "Only the DPO can record that a DPIA is not required when the answers show it is"
        ),
    )
    submit = submit("Save and return to the task list")


class NeedForm(RegisterForm):
    need_summary = long_text(
        "Why does the project need a DPIA?",
        "Explain why the project needs a DPIA",
        description=(
            "What the project aims to achieve, the processing involved, and why a DPIA is needed"
        ),
    )
    submit = submit("Save and return to the task list")


class DescriptionForm(RegisterForm):
    nature = long_text(
        "Nature of the processing",
        description="How you collect, use, store and delete the data, and who it is shared with",
    )
    data_sources = long_text("Sources of the data", max_length=5000)
    data_categories = long_text("Categories of personal data", max_length=5000)
    special_categories = CheckboxesField(
        "Which special categories of data are processed?",
        choices=SPECIAL_CATEGORIES,
        description="UK GDPR Article 9(1). Select all that apply",
    )
    has_criminal_offence_data = yes_no_radio(
        "Is criminal offence data processed?", "Select whether criminal offence data is processed"
    )
    volume = optional_text("Volume of data and how often it is collected", max_length=500)
    individuals_affected = optional_text("Number of people affected", max_length=500)
    retention = optional_text("How long the data is kept", max_length=500)
    geography = optional_text("Geographical area covered", max_length=500)
    context = long_text(
        "Context of the processing",
        description=(
            "Your relationship with the people, how much control they have, what they "
            "would expect, and any public concern or known security flaws"
        ),
    )
    involves_vulnerable_people = yes_no_radio(
        "Does the processing involve children or other vulnerable people?",
        "Select whether the processing involves children or other vulnerable people",
    )
    purposes = long_text(
        "Purposes of the processing",
        description="What you want to achieve and the effect on people",
    )
    benefits = long_text("Benefits of the processing", max_length=5000)
    go_live_on = DateField(
        "Planned start of the processing",
        description="Measures must be in place by this date. For example, 27 3 2027",
    )
    submit = submit("Save and return to the task list")


class ConsultationForm(RegisterForm):
    views_sought = yes_no_radio(
        "Were the views of individuals or their representatives sought?",
        "Select whether views were sought",
    )
    consultation_method = long_text(
        "How were views sought?", max_length=5000, description="Required if views were sought"
    )
    views_not_sought_reason = long_text(
        "Why were views not sought?",
        max_length=5000,
        description=(
            "Required if views were not sought, for example "
            "because it would prejudice an investigation"
        ),
    )
    consultees = long_text(
        "Who else was consulted?",
        max_length=5000,
        description=(
            "Teams inside the organisation, processors and experts such as information security"
        ),
    )
    submit = submit("Save and return to the task list")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.views_sought.data == "yes" and not self.consultation_method.data:
            self.consultation_method.errors.append("Describe how views were sought")
            valid = False
        if self.views_sought.data == "no" and not self.views_not_sought_reason.data:
            self.views_not_sought_reason.errors.append("Explain why views were not sought")
            valid = False
        return valid


class NecessityForm(RegisterForm):
    art6_basis = RadioField(
        "UK GDPR Article 6 lawful basis",
        choices={"": "Not applicable", **ART6_BASES},
        message="Select the Article 6 lawful basis",
    )
    le_basis = RadioField(
        "DPA 2018 section 35 lawful basis (law enforcement)",
        choices={"": "Not applicable", **LE_BASES},
        message="Select the section 35 lawful basis",
    )
    is_sensitive_processing = yes_no_radio(
        "Is there sensitive processing under DPA 2018 Part 3?",
        "Select whether there is sensitive processing under Part 3",
    )
    schedule8_condition = RadioField(
        "DPA 2018 Schedule 8 condition",
        choices={"": "Not applicable", **SCHEDULE_8_CONDITIONS},
        message="Select the Schedule 8 condition",
    )
    policy_document_reference = optional_text(
        "Appropriate policy document reference",
        description="Required for sensitive processing under Part 3",
    )
    logged_operations = CheckboxesField(
        "Which operations does the system log?",
        choices=LOGGED_OPERATIONS,
        description="DPA 2018 section 62, for automated processing systems. Select all that apply",
    )
    is_new_filing_system = yes_no_radio(
        "Does the processing create a new filing system?",
        "Select whether the processing creates a new filing system",
        description=(
            "Under Part 3, a new filing system with a high "
            "risk needs prior consultation with the ICO"
        ),
    )
    necessity = long_text(
        "Necessity and proportionality",
        description=(
            "Whether the processing achieves its purpose, any less intrusive way, how you "
            "prevent function creep, and how you keep the data accurate and to a minimum"
        ),
    )
    safeguards = long_text(
        "Rights, information and safeguards",
        description=(
            "Privacy information, how people use their rights, how processors comply, "
            "transfer safeguards and, under Part 3, the safeguards and security mechanisms"
        ),
    )
    submit = submit("Save and return to the task list")

    def __init__(self, *args, dpia=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dpia = dpia

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        dpia = self.dpia
        if dpia is not None and dpia.includes_uk_gdpr and not self.art6_basis.data:
            self.art6_basis.errors.append("Select the Article 6 lawful basis")
            valid = False
        if dpia is not None and dpia.includes_part3 and not self.le_basis.data:
            self.le_basis.errors.append("Select the section 35 lawful basis")
            valid = False
        if self.is_sensitive_processing.data == "yes":
            if self.le_basis.data != "consent" and not self.schedule8_condition.data:
                self.schedule8_condition.errors.append(
                    "Select the Schedule 8 condition, unless the basis is consent"
                )
                valid = False
            if not self.policy_document_reference.data:
                self.policy_document_reference.errors.append(
                    "Enter the reference of the appropriate policy document"
                )
                valid = False
        return valid
