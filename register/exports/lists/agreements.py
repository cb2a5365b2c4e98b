"""The list of data-sharing agreements and processor contracts."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, subqueryload

from core.projects.access import restrict_to_visible
from core.timeutil import local_today
from register.exports.lists.base import (
    ID_SCHEMA,
    Column,
    Filter,
    RegisterList,
    choice_filter,
    condition_filter,
    id_filter,
    name_of,
    parse_id,
    project_name_filter,
    review_due_by_filter,
    sort_filter,
)
from sharing import choices
from sharing.models import Agreement, AgreementParty
from sharing.views import REVIEW_WINDOWS, SORTS, review_condition


def _agreements_query() -> Select:
    query = select(Agreement).options(
        joinedload(Agreement.project),
        joinedload(Agreement.decision),
        joinedload(Agreement.dpia),
        joinedload(Agreement.owner),
        subqueryload(Agreement.parties).joinedload(AgreementParty.party),
        subqueryload(Agreement.purposes),
    )
    return restrict_to_visible(query, Agreement.project_id).order_by(*SORTS[""])


def _party_names(agreement: Agreement, role: str) -> str:
    return "; ".join(link.party.name for link in agreement.parties if link.role in (role, "both"))


def _lawful_bases(agreement: Agreement) -> str:
    """Join each purpose's recorded bases, such as "Article 6: 6(1)(e) public task"."""
    return "; ".join(
        f"{heading}: {label}"
        for purpose in agreement.purposes
        for heading, label in purpose.basis_rows()
    )


def _effective_status(agreement: Agreement) -> str:
    status = agreement.effective_status(local_today())
    return choices.AGREEMENT_STATUSES.get(status, status)


def _apply_party(query: Select, raw: str) -> Select | None:
    party_id = parse_id(raw)
    if party_id is None:
        return None
    linked = select(AgreementParty.agreement_id).where(AgreementParty.party_id == party_id)
    return query.where(Agreement.id.in_(linked))


AGREEMENTS = RegisterList(
    name="agreements",
    model=Agreement,
    title="Data-sharing agreements",
    query=_agreements_query,
    columns=(
        Column("Id", lambda a: a.id),
        Column("Reference", lambda a: a.reference),
        Column("Title", lambda a: a.title),
        Column("Version", lambda a: a.version),
        Column("Project", lambda a: a.project.name),
        Column("Decision", lambda a: a.decision.reference),
        Column("DPIA", lambda a: a.dpia.title if a.dpia is not None else None),
        Column("Relationship", lambda a: a.label("relationship_kind")),
        Column("Processor contract", lambda a: a.is_processor_contract),
        Column("Scope", lambda a: a.scope_label),
        Column("Frequency", lambda a: a.label("frequency")),
        Column("Direction", lambda a: a.label("direction")),
        Column("Law", lambda a: a.label("regime")),
        Column("Status", _effective_status),
        Column("Parties", lambda a: "; ".join(link.party.name for link in a.parties)),
        Column("Disclosing parties", lambda a: _party_names(a, "discloser")),
        Column("Receiving parties", lambda a: _party_names(a, "recipient")),
        Column("Lawful bases", _lawful_bases),
        Column("Start date", lambda a: a.start_on),
        Column("End date", lambda a: a.end_on),
        Column("Approved on", lambda a: a.approved_on),
        Column("Owner", lambda a: name_of(a.owner)),
        Column("Next review", lambda a: a.next_review_on),
        Column("Purpose", lambda a: a.purpose),
    ),
    filters=(
        condition_filter(
            "status",
            "Only agreements with this status today; one past its end date counts as expired",
            {
                key: (lambda key=key: Agreement.status_filter(key, local_today()))
                for key in choices.AGREEMENT_STATUSES
            },
        ),
        id_filter("project", "Only agreements of the project with this id", Agreement.project_id),
        project_name_filter(Agreement.project_id),
        id_filter(
            "decision", "Only agreements under the decision with this id", Agreement.decision_id
        ),
        review_due_by_filter(Agreement.next_review_on),
        choice_filter("scope", "Only agreements of this scope", Agreement.scope, choices.SCOPES),
        choice_filter(
            "relationship",
            "Only agreements with this relationship between the parties",
            Agreement.relationship_kind,
            choices.RELATIONSHIPS,
        ),
        choice_filter(
            "regime", "Only agreements under this law", Agreement.regime, choices.REGIMES
        ),
        Filter("party", "Only agreements with the party with this id", _apply_party, ID_SCHEMA),
        condition_filter(
            "review",
            "Only agreements whose next review is overdue, due within 30 or 90 days, or not set",
            {key: (lambda key=key: review_condition(key, local_today())) for key in REVIEW_WINDOWS},
        ),
        sort_filter(
            "Order of the rows, as on the agreements page",
            {key: order for key, order in SORTS.items() if key},
        ),
    ),
)
