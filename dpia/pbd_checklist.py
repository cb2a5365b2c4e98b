"""The privacy-by-design checklist: its items, principles, stages and answers.

The twelve general items follow the ICO's checklist for data protection by
design and by default (UK GDPR Article 25). The three law-enforcement items
apply to processing under Part 3 of the Data Protection Act 2018, where by
default data is processed only for a specified purpose, is not made
available to an indefinite number of people, and is logged (section 62).
Each item is tagged with the principles of Ann Cavoukian's "Privacy by
Design" that it serves, so the assessment can be summarised by principle.
"""

from dataclasses import dataclass

STAGES = {
    "concept": "Concept",
    "design": "Design",
    "build": "Build",
    "test": "Test",
    "pre_live": "Pre-deployment",
    "live_change": "Live change",
    "decommission": "Decommission",
}

PRINCIPLES = {
    "proactive": "Proactive not reactive, preventative not remedial",
    "default": "Privacy as the default setting",
    "embedded": "Privacy embedded into design",
    "positive_sum": "Full functionality: positive-sum, not zero-sum",
    "lifecycle": "End-to-end security: full lifecycle protection",
    "transparency": "Visibility and transparency",
    "user_centric": "Respect for user privacy: keep it user-centric",
}

PRINCIPLE_SHORT_LABELS = {
    "proactive": "Proactive",
    "default": "By default",
    "embedded": "Embedded",
    "positive_sum": "Positive-sum",
    "lifecycle": "End-to-end",
    "transparency": "Transparency",
    "user_centric": "User-centric",
}

ITEM_STATUSES = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
}

# Statuses that leave work to do, so the item needs an action.
STATUSES_NEEDING_ACTION = ("partly_met", "not_met")

ACTION_STATUSES = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
}

# Action statuses that still count as work outstanding.
OPEN_ACTION_STATUSES = ("open", "in_progress")

TECHNIQUES = {
    "pseudonymisation": "Pseudonymisation",
    "encryption_at_rest": "Encryption at rest",
    "encryption_in_transit": "Encryption in transit",
    "anonymisation": "Anonymisation",
    "role_based_access": "Role-based access control",
    "data_minimisation_controls": "Data minimisation controls",
    "other": "Other",
}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: str
    question: str
    principles: tuple[str, ...]
    is_law_enforcement: bool = False

    @property
    def principle_labels(self) -> list[str]:
        return [PRINCIPLES[code] for code in self.principles]


CHECKLIST = (
    ChecklistItem(
        "considered",
        "Considered from the start",
        "Was data protection weighed at the design stage and carried through implementation?",
        ("proactive", "embedded"),
    ),
    ChecklistItem(
        "core_function",
        "Part of the core function",
        "Is data protection built into what the system does, not added on afterwards?",
        ("embedded", "positive_sum"),
    ),
    ChecklistItem(
        "risks_prevented",
        "Risks foreseen and prevented",
        "Were the privacy risks foreseen, and are there controls that stop them happening?",
        ("proactive",),
    ),
    ChecklistItem(
        "necessary_data",
        "Only the data needed",
        "Does the system collect only the personal data its purpose needs, "
        "and use it only for that purpose?",
        ("default",),
    ),
    ChecklistItem(
        "automatic_protection",
        "Protected without effort from individuals",
        "Are people's data protected by the system itself, with nothing for them to do?",
        ("default", "lifecycle"),
    ),
    ChecklistItem(
        "contacts_published",
        "Responsible contacts published",
        "Are the names or contact details of those responsible for the data made public?",
        ("transparency",),
    ),
    ChecklistItem(
        "plain_language",
        "Plain-language information",
        "Are policies and privacy information written so that the public can understand them?",
        ("transparency", "user_centric"),
    ),
    ChecklistItem(
        "individual_tools",
        "Individuals can see their data's use",
        "Can people find out how their data is used and check that the body complies?",
        ("transparency", "user_centric"),
    ),
    ChecklistItem(
        "strong_defaults",
        "Strong defaults and simple controls",
        "Are the most protective settings the default, with controls that are easy to use?",
        ("default", "user_centric"),
    ),
    ChecklistItem(
        "processor_guarantees",
        "Processors give guarantees",
        "Do processors offer enough guarantees that they build data protection into their work?",
        ("lifecycle", "transparency"),
    ),
    ChecklistItem(
        "third_party_products",
        "Products chosen with care",
        "Were bought-in products and services chosen from suppliers that design for "
        "data protection?",
        ("embedded", "lifecycle"),
    ),
    ChecklistItem(
        "techniques",
        "Privacy-enhancing techniques",
        "Does the system use privacy-enhancing techniques such as pseudonymisation or encryption?",
        ("lifecycle", "positive_sum"),
    ),
    ChecklistItem(
        "purpose_limitation",
        "Purpose limited by default",
        "By default, is data processed only for the specified law-enforcement purpose "
        "and only as far as that purpose needs?",
        ("default",),
        is_law_enforcement=True,
    ),
    ChecklistItem(
        "limited_audience",
        "No disclosure to an indefinite audience",
        "By default, is data kept from an indefinite number of people unless "
        "the individual acts to share it?",
        ("default", "lifecycle"),
        is_law_enforcement=True,
    ),
    ChecklistItem(
        "logging",
        "Logging of processing",
        "Does the system log collection, alteration, consultation, disclosure, combination "
        "and erasure (Data Protection Act 2018 section 62)?",
        ("lifecycle", "transparency"),
        is_law_enforcement=True,
    ),
)

ITEMS_BY_CODE = {item.code: item for item in CHECKLIST}


def checklist_for(is_law_enforcement: bool) -> tuple[ChecklistItem, ...]:
    """Return the items an assessment answers, in checklist order."""
    return tuple(item for item in CHECKLIST if is_law_enforcement or not item.is_law_enforcement)
