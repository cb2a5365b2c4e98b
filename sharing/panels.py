"""Agreement panels on a project's page and on a party's page."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, lazyload

from core.extensions import db
from core.pagination import paginate
from core.policy import sees_every_project
from core.projects.access import restrict_to_visible
from core.projects.models import Project
from core.timeutil import local_today
from sharing import choices
from sharing.models import Agreement, AgreementParty


def split(agreements) -> tuple[list[Agreement], list[Agreement]]:
    """Separate sharing agreements from processor contracts, which are not sharing."""
    sharing = [a for a in agreements if not a.is_processor_contract]
    contracts = [a for a in agreements if a.is_processor_contract]
    return sharing, contracts


def project_panel(project) -> str:
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.project_id == project.id).order_by(Agreement.reference)
    ).all()
    sharing, contracts = split(agreements)
    return render_template(
        "sharing/_project_panel.html",
        project=project,
        agreements=sharing,
        contracts=contracts,
        today=local_today(),
    )


def party_panel(party) -> str:
    """List the agreements the party is in, of the projects the user may see, a page at a time.

    The agreements the party joined last come first. Sharing agreements and
    processor contracts are paged apart, by the query arguments
    `agreements_page` and `contracts_page`.
    """
    sharing_count, contract_count = _count_party_links(party)
    sharing = paginate(
        _party_links(party, is_contract=False), arg="agreements_page", total=sharing_count
    )
    contracts = paginate(
        _party_links(party, is_contract=True), arg="contracts_page", total=contract_count
    )
    return render_template(
        "sharing/_party_panel.html",
        party=party,
        links=sharing,
        contracts=contracts,
        today=local_today(),
    )


def _count_party_links(party) -> tuple[int, int]:
    """Count the party's sharing agreements and processor contracts that the user may see.

    Both counts come from one statement. For a user who sees every project,
    SQLite reads the party's links from the index on (party_id, agreement_id)
    and looks up the contracts among them in the index on relationship_kind,
    without reading table rows. Sharing agreements are the links that are
    not contracts, because a condition `relationship_kind != ...` would read
    the row of every agreement the party is in.
    """
    links = select(func.count()).select_from(AgreementParty)
    if not sees_every_project(current_user):
        # The projects' access rule reads the agreement's project.
        links = links.join(AgreementParty.agreement)
    links = restrict_to_visible(
        links.where(AgreementParty.party_id == party.id), Agreement.project_id
    )
    contracts = restrict_to_visible(
        select(func.count())
        .select_from(AgreementParty)
        .join(AgreementParty.agreement)
        .where(
            AgreementParty.party_id == party.id,
            Agreement.relationship_kind == choices.PROCESSOR,
        ),
        Agreement.project_id,
    )
    link_count, contract_count = db.session.execute(
        select(links.scalar_subquery(), contracts.scalar_subquery())
    ).one()
    return link_count - contract_count, contract_count


def _party_links(party, is_contract: bool):
    """Return a select of the party's links to agreements of one kind, with each agreement."""
    kind = Agreement.relationship_kind
    query = (
        select(AgreementParty)
        .join(AgreementParty.agreement)
        .where(
            AgreementParty.party_id == party.id,
            kind == choices.PROCESSOR if is_contract else kind != choices.PROCESSOR,
        )
        .options(
            # The link's party is the page's party, already in the session.
            lazyload(AgreementParty.party),
            # Only the columns that the panel shows, of agreements with many text columns.
            contains_eager(AgreementParty.agreement).load_only(
                Agreement.reference,
                Agreement.title,
                Agreement.status,
                Agreement.end_on,
                Agreement.relationship_kind,
                Agreement.project_id,
            ),
            contains_eager(AgreementParty.agreement)
            .joinedload(Agreement.project)
            .load_only(Project.name),
        )
    )
    # Newest link first. The party_id index stores each party's links in id
    # order, so a page reads its own rows instead of sorting every link.
    return restrict_to_visible(query, Agreement.project_id).order_by(AgreementParty.id.desc())
