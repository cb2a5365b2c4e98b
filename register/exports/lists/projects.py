"""Lists of decisions, projects and parties.

Only the projects list is limited to the projects the user can see, because
every reader may see every decision and party.
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, subqueryload

from core.projects.access import restrict_to_visible
from core.projects.models import PARTY_KINDS, PROJECT_STATUSES, Decision, Party, Project
from register.exports.lists.base import Column, RegisterList, choice_filter


def _decisions_query() -> Select:
    return select(Decision).order_by(Decision.reference_key)


def _projects_query() -> Select:
    query = select(Project).options(joinedload(Project.lead), subqueryload(Project.decisions))
    return restrict_to_visible(query, Project.id).order_by(Project.name)


def _parties_query() -> Select:
    return select(Party).order_by(Party.kind, Party.name)


DECISIONS = RegisterList(
    name="decisions",
    model=Decision,
    title="Decisions",
    query=_decisions_query,
    columns=(
        Column("Id", lambda d: d.id),
        Column("Reference", lambda d: d.reference),
        Column("Title", lambda d: d.title),
        Column("Decision maker", lambda d: d.decision_maker),
        Column("Issuing body", lambda d: d.issuing_body),
        Column("Date signed", lambda d: d.signed_on),
        Column("Archived", lambda d: d.is_archived),
        Column("Summary", lambda d: d.summary),
        Column("Link", lambda d: d.link),
    ),
)

PROJECTS = RegisterList(
    name="projects",
    model=Project,
    title="Projects",
    query=_projects_query,
    columns=(
        Column("Id", lambda p: p.id),
        Column("Name", lambda p: p.name),
        Column("Owning unit", lambda p: p.owning_unit),
        Column("Lead", lambda p: p.lead.name),
        Column("Status", lambda p: p.status_label),
        Column("Archived", lambda p: p.is_archived),
        Column("Decisions", lambda p: "; ".join(d.reference for d in p.decisions)),
        Column("Description", lambda p: p.description),
    ),
    filters=(
        choice_filter("status", "Only projects with this status", Project.status, PROJECT_STATUSES),
    ),
)

PARTIES = RegisterList(
    name="parties",
    model=Party,
    title="Parties",
    query=_parties_query,
    columns=(
        Column("Id", lambda p: p.id),
        Column("Name", lambda p: p.name),
        Column("Kind", lambda p: p.kind_label),
        Column("Archived", lambda p: p.is_archived),
        Column("Description", lambda p: p.description),
    ),
    filters=(choice_filter("kind", "Only parties of this kind", Party.kind, PARTY_KINDS),),
)
