"""Each consistency rule rejects the record with a message, and leaves the database as it was."""

import html

import pytest
from sqlalchemy import func, select

from core.extensions import db
from sharing.models import Agreement, AgreementParty, AgreementPurpose, OneOffDecision
from tests.conftest import days
from tests.sharing.conftest import date_parts


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def purpose_count() -> int:
    return db.session.scalar(select(func.count(AgreementPurpose.id)))


def post_purpose(client, agreement, **data):
    return client.post(f"/agreements/{agreement.id}/purposes/new", data=data)


def stored_status(agreement_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Agreement, agreement_id).status


def activate(client, agreement):
    return client.post(f"/agreements/{agreement.id}/status/activate", data={})


# Lawful bases on a purpose


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the Article 6 lawful basis for sharing under UK GDPR"),
        (
            {"art6_basis": "e_public_task"},
            "Select an Article 9 condition, because the agreement shares special category data",
        ),
        (
            {"art6_basis": "e_public_task", "art9_condition": "h_health_social_care"},
            "Article 9(2)(h) needs Schedule 1 paragraph 2",
        ),
        (
            {
                "art6_basis": "e_public_task",
                "art9_condition": "h_health_social_care",
                "art9_schedule_1_paragraph": "10",
            },
            "Article 9(2)(h) needs Schedule 1 paragraph 2",
        ),
        (
            {
                "art6_basis": "e_public_task",
                "art9_condition": "g_substantial_public_interest",
                "art9_schedule_1_paragraph": "2",
            },
            "Article 9(2)(g) needs a Schedule 1 condition from paragraphs 6 to 28",
        ),
        (
            {
                "art6_basis": "e_public_task",
                "art9_condition": "g_substantial_public_interest",
                "art9_schedule_1_paragraph": "18",
            },
            "Select the Article 10 basis, because the agreement shares criminal offence data",
        ),
        (
            {
                "art6_basis": "e_public_task",
                "art9_condition": "g_substantial_public_interest",
                "art9_schedule_1_paragraph": "18",
                "art10_basis": "official_authority",
            },
            "Name the law that gives official authority for Article 10",
        ),
        (
            {
                "art6_basis": "e_public_task",
                "art9_condition": "g_substantial_public_interest",
                "art9_schedule_1_paragraph": "18",
                "art10_basis": "schedule_1",
            },
            "Select the Schedule 1 condition for criminal offence data",
        ),
        (
            {
                "art6_basis": "f_legitimate_interests",
                "art9_condition": "a_explicit_consent",
                "art10_basis": "schedule_1",
                "art10_schedule_1_paragraph": "29",
            },
            "A public authority cannot rely on Article 6(1)(ea) or (f) for its public tasks",
        ),
        (
            {
                "art6_basis": "ea_recognised_legitimate_interest",
                "art9_condition": "a_explicit_consent",
                "art10_basis": "schedule_1",
                "art10_schedule_1_paragraph": "29",
            },
            "A public authority cannot rely on Article 6(1)(ea) or (f) for its public tasks",
        ),
    ],
)
def test_gdpr_purpose_bases_rejected(client, login, world, make_agreement, data, message):
    agreement = make_agreement(
        regime="uk_gdpr", special_categories="health", is_criminal_offence_data=True, purposes=[]
    )
    login(world.dpo)
    response = post_purpose(client, agreement, description="Safeguarding", **data)
    assert response.status_code == 200
    assert message in page(response)
    assert purpose_count() == 0


def test_gdpr_purpose_with_every_basis_saved(client, login, world, make_agreement):
    agreement = make_agreement(
        regime="uk_gdpr", special_categories="health", is_criminal_offence_data=True, purposes=[]
    )
    login(world.dpo)
    response = post_purpose(
        client,
        agreement,
        description="Safeguarding",
        art6_basis="e_public_task",
        art9_condition="g_substantial_public_interest",
        art9_schedule_1_paragraph="18",
        art10_basis="official_authority",
        art10_law="Children Act 2004",
    )
    assert response.status_code == 302
    assert purpose_count() == 1


def test_legitimate_interests_outside_tasks_saved(client, login, world, make_agreement):
    agreement = make_agreement(regime="uk_gdpr", purposes=[])
    login(world.dpo)
    response = post_purpose(
        client,
        agreement,
        description="Staff car park management",
        art6_basis="f_legitimate_interests",
        outside_public_tasks_reason="Running the car park is not one of our policing tasks",
    )
    assert response.status_code == 302
    assert purpose_count() == 1


def test_part3_purpose_needs_s35_basis(client, login, world, make_agreement):
    agreement = make_agreement(purposes=[])
    login(world.dpo)
    response = post_purpose(client, agreement, description="Deconfliction")
    assert "Select the s.35(2) basis for law enforcement processing" in response.get_data(
        as_text=True
    )
    assert purpose_count() == 0


def test_sensitive_processing_needs_schedule_8(client, login, world, make_agreement):
    agreement = make_agreement(is_sensitive_processing=True, apd_reference="APD v4", purposes=[])
    login(world.dpo)
    response = post_purpose(client, agreement, description="Deconfliction", le_basis="le_task")
    assert "Select a Schedule 8 condition" in page(response)
    assert purpose_count() == 0
    response = post_purpose(client, agreement, description="Consent given", le_basis="consent")
    assert response.status_code == 302
    assert purpose_count() == 1


def test_several_purposes_carry_own_basis(client, login, world, make_agreement):
    agreement = make_agreement(regime="gdpr_to_part3", purposes=[])
    login(world.dpo)
    first = post_purpose(
        client, agreement, description="Tasking", art6_basis="e_public_task", le_basis="le_task"
    )
    second = post_purpose(
        client, agreement, description="Victim care", art6_basis="a_consent", le_basis="consent"
    )
    assert first.status_code == 302
    assert second.status_code == 302
    bases = [(p.art6_basis, p.le_basis) for p in db.session.get(Agreement, agreement.id).purposes]
    assert bases == [("e_public_task", "le_task"), ("a_consent", "consent")]


# Rules on the agreement form


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"relationship_kind": "joint_controllers"},
            "Enter the reference of the joint controller arrangement (Article 26 or s.58)",
        ),
        (
            {"relationship_kind": "controller_to_processor"},
            "Enter the reference of the processor contract (Article 28 or s.59)",
        ),
        (
            {"is_sensitive_processing": "y"},
            "Enter the reference of the appropriate policy document",
        ),
        (
            {"is_international": "y", "regime": "uk_gdpr"},
            "Enter the country or territory the data goes to",
        ),
        (
            {"is_international": "y", "regime": "uk_gdpr", "destination": "Canada"},
            "Select the UK GDPR transfer mechanism",
        ),
        (
            {
                "is_international": "y",
                "regime": "uk_gdpr",
                "destination": "United States",
                "transfer_mechanism": "idta",
            },
            "Enter the transfer risk assessment reference",
        ),
        (
            {"is_international": "y", "destination": "France"},
            "Confirm that the transfer is necessary for a law enforcement purpose (s.73)",
        ),
        (
            {"is_international": "y", "destination": "France", "le_transfer_necessary": "y"},
            "Select the s.73 ground for the transfer",
        ),
        (
            {
                "is_international": "y",
                "destination": "France",
                "le_transfer_necessary": "y",
                "le_transfer_ground": "appropriate_safeguards",
                "recipient_is_relevant_authority": None,
            },
            "Confirm the transfer is documented under s.77",
        ),
        (
            {
                "is_international": "y",
                "destination": "France",
                "le_transfer_necessary": "y",
                "le_transfer_ground": "appropriate_safeguards",
                "recipient_is_relevant_authority": None,
                "s77_documented": "y",
            },
            "Enter the date the Commissioner was informed of the transfer (s.77)",
        ),
    ],
)
def test_agreement_form_rules(client, login, world, agreement_form, overrides, message):
    login(world.lead)
    response = client.post("/agreements/new", data=agreement_form(**overrides))
    body = page(response)
    assert response.status_code == 200
    assert message in body
    assert "There is a problem" in body
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


def test_agreement_form_keeps_input_on_error(client, login, world, agreement_form):
    login(world.lead)
    response = client.post(
        "/agreements/new",
        data=agreement_form(relationship_kind="joint_controllers", title="Kept title"),
    )
    assert 'value="Kept title"' in page(response)


def test_transfer_with_every_condition_saved(client, login, world, agreement_form):
    login(world.lead)
    response = client.post(
        "/agreements/new",
        data=agreement_form(
            is_international="y",
            destination="France",
            le_transfer_necessary="y",
            le_transfer_ground="appropriate_safeguards",
            recipient_is_relevant_authority=None,
            s77_documented="y",
            commissioner_informed_on=date_parts(world.today - days(2)),
        ),
    )
    assert response.status_code == 302
    agreement = db.session.scalar(select(Agreement))
    assert agreement.is_international
    assert agreement.recipient_is_relevant_authority is False
    assert agreement.commissioner_informed_on == world.today - days(2)


def test_end_date_after_start(client, login, world, agreement_form):
    login(world.lead)
    response = client.post(
        "/agreements/new",
        data=agreement_form(end_on=date_parts(world.today - days(20))),
    )
    assert "End date must be after the start date" in page(response)
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


def test_processor_contract_saved_with_reference(client, login, world, agreement_form):
    login(world.dpo)
    response = client.post(
        "/agreements/new",
        data=agreement_form(
            relationship_kind="controller_to_processor",
            processor_contract_reference="CON-2021-0457",
        ),
    )
    assert response.status_code == 302
    agreement = db.session.scalar(select(Agreement))
    assert agreement.is_processor_contract
    assert agreement.scope == "external"


def test_internal_relationship_sets_scope(client, login, world, agreement_form):
    login(world.lead)
    client.post(
        "/agreements/new", data=agreement_form(relationship_kind="internal_same_controller")
    )
    assert db.session.scalar(select(Agreement.scope)) == "internal"


# Rules checked before an agreement becomes active


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no_external_party", "Add at least one external organisation as a party"),
        ("no_recipient", "Add at least one party that receives the data"),
        ("unsigned_party", "Record the signatory's name, position and date for"),
        ("no_retention", "Enter the retention period for"),
        ("no_purpose_text", "Enter the purpose of the sharing"),
        ("no_data_items", "List at least one data item"),
        ("no_security", "Describe the security measures"),
        ("no_rights", "Describe how individuals' rights and complaints are handled"),
        ("no_termination", "Describe how the agreement is terminated"),
        ("no_legal_power", "Enter the legal power to share"),
        ("no_review", "Set a next review date in the future"),
        ("no_purposes", "Add at least one purpose with its lawful basis"),
        ("one_off_without_log", "Log the decision on the request before sharing one-off"),
        ("gdpr_without_art6", "Purpose 1: Select the Article 6 lawful basis"),
    ],
)
def test_activation_rules(client, login, world, make_agreement, change, message):
    agreement = make_agreement()
    links = agreement.parties
    if change == "no_external_party":
        db.session.delete(links[1])
    elif change == "no_recipient":
        agreement.direction = "outbound"
        for link in links:
            link.role = "discloser"
    elif change == "unsigned_party":
        links[1].signed_on = None
    elif change == "no_retention":
        links[0].retention = ""
    elif change == "no_purpose_text":
        agreement.purpose = ""
    elif change == "no_data_items":
        agreement.data_items = ""
    elif change == "no_security":
        agreement.security = ""
    elif change == "no_rights":
        agreement.rights_procedure = ""
    elif change == "no_termination":
        agreement.termination = ""
    elif change == "no_legal_power":
        agreement.legal_power = ""
    elif change == "no_review":
        agreement.next_review_on = None
    elif change == "no_purposes":
        agreement.purposes = []
    elif change == "one_off_without_log":
        agreement.frequency = "one_off"
    elif change == "gdpr_without_art6":
        agreement.regime = "part3_to_gdpr"
    db.session.commit()
    login(world.dpo)
    response = activate(client, agreement)
    assert response.status_code == 200
    assert message in page(response)
    assert stored_status(agreement.id) == "draft"


def test_complete_agreement_activates(client, login, world, make_agreement):
    agreement = make_agreement()
    login(world.dpo)
    response = activate(client, agreement)
    assert response.status_code == 302
    db.session.expire_all()
    record = db.session.get(Agreement, agreement.id)
    assert record.status == "active"
    assert record.approved_by_id == world.dpo.id
    assert record.approved_on == world.today


def test_one_off_with_logged_decision_activates(client, login, world, make_agreement):
    agreement = make_agreement(frequency="one_off")
    login(world.dpo)
    logged = client.post(
        f"/agreements/{agreement.id}/decisions/new",
        data={
            "requested_on": date_parts(world.today - days(3)),
            "requester": "DS Patel, Kent Police",
            "outcome": "approved",
            "reasons": "Necessary to identify a suspect",
            "decided_by": "DI Cole",
            "decided_on": date_parts(world.today - days(2)),
        },
    )
    assert logged.status_code == 302
    assert activate(client, agreement).status_code == 302
    assert stored_status(agreement.id) == "active"


def test_decision_log_rejects_decision_before_request(client, login, world, make_agreement):
    agreement = make_agreement(frequency="one_off")
    login(world.lead)
    response = client.post(
        f"/agreements/{agreement.id}/decisions/new",
        data={
            "requested_on": date_parts(world.today - days(1)),
            "requester": "DS Patel",
            "outcome": "refused",
            "reasons": "Not necessary",
            "decided_by": "DI Cole",
            "decided_on": date_parts(world.today - days(5)),
        },
    )
    assert "Date of the decision must be on or after the date of the request" in (page(response))
    assert db.session.scalar(select(func.count(OneOffDecision.id))) == 0


def test_internal_agreement_needs_no_signatures(client, login, world, make_agreement):
    agreement = make_agreement(
        relationship_kind="internal_same_controller", scope="internal", parties=[]
    )
    agreement.parties = [
        AgreementParty(party=world.supervisors, role="both", retention="6 years"),
        AgreementParty(party=make_agreement.intelligence, role="both", retention="6 years"),
    ]
    db.session.commit()
    login(world.dpo)
    assert activate(client, agreement).status_code == 302
    assert stored_status(agreement.id) == "active"


def test_party_signatory_needs_all_parts(client, login, world, make_agreement):
    agreement = make_agreement(parties=[])
    login(world.lead)
    response = client.post(
        f"/agreements/{agreement.id}/parties/new",
        data={
            "party_id": str(world.cps.id),
            "role": "recipient",
            "controller_status": "controller",
            "retention": "CPS policy",
            "signatory_name": "Chief Crown Prosecutor",
        },
    )
    body = page(response)
    assert "Enter the signatory's position" in body
    assert "Enter the date the signatory signed" in body
    assert db.session.scalar(select(func.count(AgreementParty.id))) == 0
