"""Agreement panels on a project's page and on a party's page."""

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core.extensions import db
from core.pagination import paginate
from core.projects.access import restrict_to_visible
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
    sharing = paginate(_party_links(party, is_contract=False), arg="agreements_page")
    contracts = paginate(_party_links(party, is_contract=True), arg="contracts_page")
    return render_template(
        "sharing/_party_panel.html",
        party=party,
        links=sharing,
        contracts=contracts,
        today=local_today(),
    )


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
        .options(contains_eager(AgreementParty.agreement).joinedload(Agreement.project))
    )
    # Newest link first. The party_id index stores each party's links in id
    # order, so a page reads its own rows instead of sorting every link.
    return restrict_to_visible(query, Agreement.project_id).order_by(AgreementParty.id.desc())
