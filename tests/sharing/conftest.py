"""Factories for agreements: a complete one ready to activate, and form data to post."""

import pytest

from core.extensions import db
from core.projects.models import Party
from sharing.lifecycle import record_version
from sharing.models import Agreement, AgreementParty, AgreementPurpose
from tests.conftest import days


def date_parts(value) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


@pytest.fixture
def make_agreement(world):
    """Return a function that adds a draft external agreement that may be activated."""
    intelligence = Party(name="MO3 intelligence", kind="internal")
    db.session.add(intelligence)
    db.session.commit()

    def make(**overrides) -> Agreement:
        count = db.session.query(Agreement).count()
        fields = {
            "reference": f"ISA-TEST-{count + 1:03}",
            "title": "Sharing with the national online network",
            "project": world.dorothy,
            "decision": world.decision,
            "owner": world.lead,
            "relationship_kind": "controller_to_controller",
            "scope": "external",
            "frequency": "routine",
            "direction": "reciprocal",
            "regime": "dpa_part3",
            "status": "draft",
            "purpose": "Deconflicting online deployments",
            "legal_power": "Common-law policing power",
            "data_items": "Online identifiers",
            "security": "Encrypted national network",
            "rights_procedure": "Requests go to the data rights unit",
            "termination": "Three months' notice",
            "start_on": world.today - days(30),
            "next_review_on": world.today + days(150),
        }
        parties = overrides.pop("parties", None)
        purposes = overrides.pop("purposes", None)
        fields.update(overrides)
        agreement = Agreement(**fields)
        if parties is None:
            parties = [
                AgreementParty(
                    party=intelligence,
                    role="both",
                    retention="12 months",
                    signatory_name="R. Adeyemi",
                    signatory_position="Commander",
                    signed_on=world.today - days(40),
                ),
                AgreementParty(
                    party=world.network,
                    role="both",
                    retention="12 months",
                    signatory_name="J. Marsh",
                    signatory_position="National lead",
                    signed_on=world.today - days(35),
                ),
            ]
        agreement.parties = parties
        if purposes is None:
            purposes = [AgreementPurpose(description="Deconfliction", le_basis="le_task")]
        agreement.purposes = purposes
        record_version(agreement, "First draft", "Liam Hart", world.today - days(45))
        db.session.add(agreement)
        db.session.commit()
        return agreement

    make.intelligence = intelligence
    return make


@pytest.fixture
def agreement_form(world):
    """Return a function giving valid agreement form data, with overrides."""

    def build(**overrides) -> dict:
        data = {
            "reference": "ISA-MO3-101",
            "title": "Dorothy sharing with the national online network",
            "project_id": str(world.dorothy.id),
            "decision_reference": "PCD 974",
            "dpia_id": "0",
            "owner_id": str(world.lead.id),
            "relationship_kind": "controller_to_controller",
            "frequency": "routine",
            "direction": "reciprocal",
            "regime": "dpa_part3",
            "marking": "official_sensitive",
            "purpose": "Deconflicting online deployments",
            "data_items": "Online identifiers",
            "transfer_method": "api",
            "recipient_is_relevant_authority": "y",
            "start_on": date_parts(world.today - days(10)),
            "next_review_on": date_parts(world.today + days(170)),
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
