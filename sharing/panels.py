"""Agreement panels on a project's page and on a party's page."""

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.projects.access import restrict_to_visible
from core.timeutil import local_today
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
    """List every agreement the party is in, of the projects the user may see."""
    links = db.session.scalars(
        restrict_to_visible(
            select(AgreementParty)
            .join(Agreement)
            .where(AgreementParty.party_id == party.id)
            .options(selectinload(AgreementParty.agreement).selectinload(Agreement.project)),
            Agreement.project_id,
        ).order_by(Agreement.reference)
    ).all()
    sharing = [link for link in links if not link.agreement.is_processor_contract]
    contracts = [link for link in links if link.agreement.is_processor_contract]
    return render_template(
        "sharing/_party_panel.html",
        party=party,
        links=sharing,
        contracts=contracts,
        today=local_today(),
    )
