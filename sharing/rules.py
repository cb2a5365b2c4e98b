"""The consistency rules an agreement must meet, shared by forms and the lifecycle.

Each check takes plain objects: a model, or a form's data in a namespace. It
returns messages keyed by the field the user must change. A form shows them
beside the field, and the lifecycle lists them before activation.
"""

from datetime import date
from typing import NamedTuple

from sharing import bases, choices


def purpose_problems(agreement, purpose) -> dict[str, str]:
    """Check one purpose's lawful bases against the agreement's data and regime."""
    problems = {}
    in_gdpr = agreement.regime in choices.GDPR_REGIMES
    in_part3 = agreement.regime in choices.PART3_REGIMES
    if in_gdpr and not purpose.art6_basis:
        problems["art6_basis"] = "Select the Article 6 lawful basis for sharing under UK GDPR"
    if (
        purpose.art6_basis in bases.PUBLIC_TASK_EXCLUDED_ART6
        and not purpose.outside_public_tasks_reason
    ):
        problems["outside_public_tasks_reason"] = (
            "A public authority cannot rely on Article 6(1)(ea) or (f) for its public tasks. "
            "Explain why this processing falls outside those tasks, or select another basis"
        )
    if in_gdpr and agreement.special_categories:
        if not purpose.art9_condition:
            problems["art9_condition"] = (
                "Select an Article 9 condition, because the agreement shares special category data"
            )
        else:
            allowed = bases.ART9_NEEDS_SCHEDULE_1.get(purpose.art9_condition)
            paragraph = purpose.art9_schedule_1_paragraph
            if allowed is not None and paragraph not in allowed:
                problems["art9_schedule_1_paragraph"] = schedule_1_message(purpose.art9_condition)
    if in_gdpr and agreement.is_criminal_offence_data:
        if purpose.art10_basis == "official_authority" and not purpose.art10_law:
            problems["art10_law"] = "Name the law that gives official authority for Article 10"
        elif purpose.art10_basis == "schedule_1" and not purpose.art10_schedule_1_paragraph:
            problems["art10_schedule_1_paragraph"] = (
                "Select the Schedule 1 condition for criminal offence data"
            )
        elif purpose.art10_basis not in bases.ART10_BASES:
            problems["art10_basis"] = (
                "Select the Article 10 basis, because the agreement shares criminal offence data"
            )
    if in_part3 and not purpose.le_basis:
        problems["le_basis"] = "Select the s.35(2) basis for law enforcement processing"
    if (
        in_part3
        and agreement.is_sensitive_processing
        and purpose.le_basis != "consent"
        and not purpose.schedule_8_condition
    ):
        problems["schedule_8_condition"] = (
            "Select a Schedule 8 condition, because the agreement involves sensitive processing "
            "without consent"
        )
    return problems


def schedule_1_message(condition: str) -> str:
    if condition == "g_substantial_public_interest":
        return "Article 9(2)(g) needs a Schedule 1 condition from paragraphs 6 to 28"
    allowed = sorted(bases.ART9_NEEDS_SCHEDULE_1[condition])
    label = bases.ART9_CONDITIONS[condition].split(" ", 1)[0]
    return f"Article {label} needs Schedule 1 paragraph {allowed[0]}"


def record_problems(agreement) -> dict[str, str]:
    """Check the agreement's own fields for contradictions, whatever its status."""
    problems = {}
    if agreement.relationship_kind == "joint_controllers" and not (
        agreement.joint_arrangement_reference
    ):
        problems["joint_arrangement_reference"] = (
            "Enter the reference of the joint controller arrangement (Article 26 or s.58)"
        )
    if agreement.relationship_kind == choices.PROCESSOR and not (
        agreement.processor_contract_reference
    ):
        problems["processor_contract_reference"] = (
            "Enter the reference of the processor contract (Article 28 or s.59)"
        )
    sensitive = agreement.is_sensitive_processing and agreement.regime in choices.PART3_REGIMES
    if sensitive and not agreement.apd_reference:
        problems["apd_reference"] = (
            "Enter the reference of the appropriate policy document, because the agreement "
            "involves sensitive processing under Part 3"
        )
    if agreement.start_on and agreement.end_on and agreement.end_on <= agreement.start_on:
        problems["end_on"] = "End date must be after the start date"
    if (
        agreement.start_on
        and agreement.next_review_on
        and (agreement.next_review_on <= agreement.start_on)
    ):
        problems["next_review_on"] = "Next review date must be after the start date"
    problems.update(transfer_problems(agreement))
    return problems


def transfer_problems(agreement) -> dict[str, str]:
    if not agreement.is_international:
        return {}
    problems = {}
    if not agreement.destination:
        problems["destination"] = "Enter the country or territory the data goes to"
    if agreement.regime in choices.GDPR_REGIMES:
        if agreement.transfer_mechanism not in choices.TRANSFER_MECHANISMS:
            problems["transfer_mechanism"] = "Select the UK GDPR transfer mechanism"
        elif agreement.transfer_mechanism in choices.ART46_MECHANISMS and not (
            agreement.tra_reference
        ):
            problems["tra_reference"] = (
                "Enter the transfer risk assessment reference, because the transfer relies on "
                "Article 46 safeguards"
            )
    if agreement.regime in choices.PART3_REGIMES:
        if not agreement.le_transfer_necessary:
            problems["le_transfer_necessary"] = (
                "Confirm that the transfer is necessary for a law enforcement purpose (s.73)"
            )
        if agreement.le_transfer_ground not in choices.LE_TRANSFER_GROUNDS:
            problems["le_transfer_ground"] = "Select the s.73 ground for the transfer"
        if not agreement.recipient_is_relevant_authority:
            if not agreement.s77_documented:
                problems["s77_documented"] = (
                    "Confirm the transfer is documented under s.77, because the recipient is not "
                    "a relevant authority"
                )
            if agreement.commissioner_informed_on is None:
                problems["commissioner_informed_on"] = (
                    "Enter the date the Commissioner was informed of the transfer (s.77)"
                )
    return problems


class ActivationProblem(NamedTuple):
    """A reason an agreement cannot be active, with the field the user must change.

    `field` is the agreement's field, or "parties", "disclosers",
    "recipients", "purposes" or "decision_log" for its related records.
    `party_id` names the party a problem is about, if any.
    """

    field: str
    message: str
    party_id: int | None = None


def activation_problems(agreement, today: date) -> list[str]:
    """List what stops the agreement from being active; empty when it may be."""
    return [problem.message for problem in activation_problem_details(agreement, today)]


def activation_problem_details(agreement, today: date) -> list[ActivationProblem]:
    """List what stops the agreement from being active, each with the field it concerns."""
    problems = [
        ActivationProblem(field, message) for field, message in record_problems(agreement).items()
    ]

    external = [link for link in agreement.parties if link.party.is_external]
    if agreement.scope == "external" and not external:
        problems.append(
            ActivationProblem("parties", "Add at least one external organisation as a party")
        )
    if agreement.direction in ("outbound", "reciprocal") and not any(
        link.receives for link in agreement.parties
    ):
        problems.append(
            ActivationProblem("recipients", "Add at least one party that receives the data")
        )
    if not any(link.discloses for link in agreement.parties):
        problems.append(
            ActivationProblem("disclosers", "Add at least one party that discloses the data")
        )
    if agreement.scope == "external":
        for link in agreement.parties:
            if not link.is_signed:
                problems.append(
                    ActivationProblem(
                        "parties",
                        f"Record the signatory's name, position and date for {link.party.name}",
                        link.party_id,
                    )
                )

    for link in agreement.parties:
        if not link.retention:
            problems.append(
                ActivationProblem(
                    "parties", f"Enter the retention period for {link.party.name}", link.party_id
                )
            )
    required = {
        "purpose": "Enter the purpose of the sharing",
        "data_items": "List at least one data item",
        "security": "Describe the security measures",
        "termination": "Describe how the agreement is terminated",
    }
    if not agreement.is_processor_contract:
        required |= {
            "rights_procedure": "Describe how individuals' rights and complaints are handled",
            "legal_power": "Enter the legal power to share",
        }
    problems += [
        ActivationProblem(field, message)
        for field, message in required.items()
        if not getattr(agreement, field)
    ]

    if agreement.next_review_on is None or agreement.next_review_on <= today:
        problems.append(ActivationProblem("next_review_on", "Set a next review date in the future"))
    if agreement.start_on is None:
        problems.append(ActivationProblem("start_on", "Enter the start date"))
    if agreement.end_on is not None and agreement.end_on < today:
        problems.append(ActivationProblem("end_on", "Move the end date to today or later"))

    if not agreement.is_processor_contract:
        if not agreement.purposes:
            problems.append(
                ActivationProblem("purposes", "Add at least one purpose with its lawful basis")
            )
        for number, purpose in enumerate(agreement.purposes, start=1):
            problems += [
                ActivationProblem("purposes", f"Purpose {number}: {message}")
                for message in purpose_problems(agreement, purpose).values()
            ]
        if agreement.frequency == "one_off" and not agreement.decision_log:
            problems.append(
                ActivationProblem(
                    "decision_log", "Log the decision on the request before sharing one-off"
                )
            )
    return problems
