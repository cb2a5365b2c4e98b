"""Demo agreements for Project Dorothy: internal flows, the national network, the CPS, a supplier.

The evidential agreement with the Crown Prosecution Service ended ten days
before the data is loaded and shows as expired, because expiry is worked out
from the end date.
"""

from datetime import date, timedelta

from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from core.projects.models import Decision, Party, Project, reference_key
from dpia.models import Dpia
from sharing.lifecycle import record_version
from sharing.models import Agreement, AgreementParty, AgreementPurpose, OneOffDecision

APD = "MPS appropriate policy document for sensitive processing, version 4"

MO3_CONTACT = "DI Hannah Cole, MO3 online investigations, mo3-online@example.org"
MPS_DPO = "Data Protection Officer, dpo-team@example.org"


def _one(model, *where):
    return db.session.scalars(select(model).where(*where)).one()


def load_sharing(today: date) -> None:
    """Add Dorothy's agreements to the session; the caller commits."""
    day = timedelta(days=1)
    dpo = _one(User, User.email == "dpo@example.org")
    lead = _one(User, User.email == "lead@example.org")
    dorothy = _one(Project, Project.name == "Project Dorothy")
    pcd_974 = _one(Decision, Decision.reference_key == reference_key("PCD 974"))
    dpia = _one(Dpia, Dpia.project_id == dorothy.id)
    party = {p.name: p for p in db.session.scalars(select(Party))}
    supplier = Party(
        name="Stratus Secure Cloud Ltd",
        kind="external",
        description="Hosts the Dorothy case system in UK data centres under contract.",
    )
    council = Party(
        name="Local authority children's services",
        kind="external",
        description="Children's social care teams of the London boroughs.",
    )
    common = {
        "project": dorothy,
        "decision": pcd_974,
        "dpia": dpia,
        "marking": "official_sensitive",
        "is_encrypted_in_transit": True,
        "breach_handling": (
            "Any party that finds a breach tells the others' named contacts and DPOs within "
            "24 hours. The MPS DPO decides with the other controller whether to notify the "
            "Information Commissioner within 72 hours."
        ),
        "transparency": (
            "The MPS privacy notice for law enforcement processing describes online "
            "investigations. Notices are not given to suspects individually, because that "
            "would prejudice investigations (DPA 2018 s.44(4))."
        ),
        "rights_procedure": (
            "Subject access and other requests go to the MPS data rights unit, the single "
            "contact point. Parties pass on any request they receive within 2 working days "
            "and consult each other before applying a restriction under s.45(4)."
        ),
    }

    internal = Agreement(
        reference="ISA-MO3-001",
        title="Dorothy internal flows between MO3 supervisors, intelligence and operations",
        relationship_kind="internal_same_controller",
        scope="internal",
        frequency="routine",
        direction="reciprocal",
        regime="dpa_part3",
        status="active",
        purpose=(
            "Supervisors task covert online deployments and review what officers gather. "
            "Intelligence analysts grade and assess the material, and operational teams act "
            "on assessed intelligence and report results back."
        ),
        benefits="Deployments are authorised and reviewed once; action rests on graded material.",
        legal_power=(
            "Moves within one controller are not sharing between controllers. The MPS processes "
            "for the law enforcement purposes under its common-law policing powers."
        ),
        necessity=(
            "Each team sees only what its part in the deployment needs. Supervisors cannot "
            "authorise without seeing the material, and operational teams cannot act safely "
            "without the assessment."
        ),
        data_subjects="Suspects, victims, witnesses and people in contact with them online.",
        data_items=(
            "Online identifiers and account names\nScreenshots and captured pages\n"
            "Deployment logs and authorisations\nIntelligence reports with 3x5x2 grading\n"
            "Names, dates of birth and addresses of subjects once identified"
        ),
        special_categories="sex_life,racial_ethnic,health",
        is_criminal_offence_data=True,
        is_sensitive_processing=True,
        apd_reference=APD,
        access_controls=(
            "Role-based access in the Dorothy case system: supervisors see their teams' "
            "deployments, analysts see material sent for assessment, operational teams see "
            "disseminated reports only."
        ),
        accuracy="Analysts grade every item and correct the source record when it is wrong.",
        transfer_method="shared_system_access",
        security="MPS network only, multi-factor sign-in, every view and export logged (s.62).",
        deletion_at_end="Material is reviewed at 6 years and deleted unless a case still needs it.",
        termination="Ends when Dorothy closes; the MPS retention schedule then applies.",
        signed_copy_location="MO3 information management SharePoint, folder ISA/Dorothy",
        start_on=today - 400 * day,
        next_review_on=today + 120 * day,
        approved_on=today - 400 * day,
        approved_by=dpo,
        owner=lead,
        parties=[
            AgreementParty(
                party=party["MO3 supervisors"],
                role="both",
                contact=MO3_CONTACT,
                dpo_contact=MPS_DPO,
                retention="MPS retention schedule: 6 years, then review",
            ),
            AgreementParty(
                party=party["MO3 intelligence"],
                role="both",
                contact="Principal analyst, MO3 intelligence cell",
                dpo_contact=MPS_DPO,
                retention="Intelligence reports kept under the MoPI review schedule",
            ),
            AgreementParty(
                party=party["MO3 operational teams"],
                role="both",
                contact="Duty DI, MO3 operations",
                dpo_contact=MPS_DPO,
                retention="Operational logs kept 6 years, then deleted",
            ),
        ],
        purposes=[
            AgreementPurpose(
                description="Tasking, authorising and supervising covert online deployments.",
                le_basis="le_task",
                schedule_8_condition="1",
            ),
            AgreementPurpose(
                description="Assessing gathered material and passing intelligence for action.",
                le_basis="le_task",
                schedule_8_condition="1",
            ),
        ],
        **common,
    )
    record_version(internal, "First approved version", "Dana Okafor, DPO", today - 400 * day)
    record_version(
        internal,
        "Operational teams now report results back to analysts",
        "Dana Okafor, DPO",
        today - 120 * day,
    )

    national = Agreement(
        reference="ISA-MO3-002",
        title="Dorothy sharing with the national online network",
        relationship_kind="controller_to_controller",
        scope="external",
        frequency="routine",
        direction="reciprocal",
        regime="dpa_part3",
        status="active",
        purpose=(
            "Deconflicting online deployments with other forces and sharing intelligence on "
            "targets that more than one force is investigating."
        ),
        benefits="No two forces deploy against the same target unaware of each other.",
        legal_power=(
            "Common-law power of the police to share information for policing purposes, "
            "within the law enforcement purposes of DPA 2018 s.31."
        ),
        necessity="Deconfliction cannot work without identifiers of the accounts deployed on.",
        data_subjects="Suspects and the online accounts they use.",
        data_items=(
            "Online identifiers of targets\nDeploying force and contact officer\n"
            "Date range of the deployment\nGraded intelligence summary"
        ),
        is_criminal_offence_data=True,
        is_sensitive_processing=True,
        apd_reference=APD,
        access_controls="Named deconfliction officers in each force's online unit.",
        accuracy="The force that discloses corrects and re-sends; the others replace their copy.",
        transfer_method="api",
        security="National secure network; records exchanged over an encrypted interface.",
        deletion_at_end="Each force deletes the others' records 12 months after deconfliction.",
        termination="Any force may leave with 3 months' notice to the network's secretariat.",
        signed_copy_location="MPS information sharing register, ISA-MO3-002 signed PDF",
        start_on=today - 300 * day,
        end_on=today + 430 * day,
        next_review_on=today + 25 * day,
        approved_on=today - 300 * day,
        approved_by=dpo,
        owner=dpo,
        parties=[
            AgreementParty(
                party=party["MO3 intelligence"],
                role="both",
                contact=MO3_CONTACT,
                dpo_contact=MPS_DPO,
                retention="12 months after the deconfliction ends",
                signatory_name="Detective Chief Superintendent R. Adeyemi",
                signatory_position="Commander, Met Operations 3",
                signed_on=today - 305 * day,
            ),
            AgreementParty(
                party=party["National online network"],
                role="both",
                contact="Network secretariat, deconfliction desk",
                dpo_contact="Host force DPO, dpo@host-force.example.org",
                retention="12 months after the deconfliction ends",
                signatory_name="Chief Constable J. Marsh",
                signatory_position="National lead for online investigation",
                signed_on=today - 302 * day,
            ),
        ],
        purposes=[
            AgreementPurpose(
                description="Deconflicting deployments on shared targets.",
                le_basis="le_task",
                schedule_8_condition="1",
            ),
            AgreementPurpose(
                description="Passing intelligence on shared targets to the lead force.",
                le_basis="le_task",
                schedule_8_condition="1",
            ),
        ],
        **common,
    )
    record_version(national, "First signed version", "Dana Okafor, DPO", today - 300 * day)

    evidential = Agreement(
        reference="ISA-MO3-003",
        title="Dorothy evidential transfer to the Crown Prosecution Service",
        relationship_kind="controller_to_controller",
        scope="external",
        frequency="routine",
        direction="outbound",
        regime="dpa_part3",
        status="active",
        purpose="Passing evidential material to prosecutors for charging decisions and trial.",
        benefits="Prosecutors receive complete, secure case files on time.",
        legal_power=(
            "Criminal Procedure and Investigations Act 1996 and its Code of Practice on "
            "disclosure; the Director's Guidance on Charging."
        ),
        necessity="Prosecutors cannot decide on charge or disclose to the defence without it.",
        data_subjects="Defendants, victims and witnesses.",
        data_items=(
            "Evidential screenshots and captures with continuity records\n"
            "Officer statements\nSchedules of unused material"
        ),
        special_categories="sex_life",
        is_criminal_offence_data=True,
        is_sensitive_processing=True,
        apd_reference=APD,
        access_controls="The reviewing lawyer and case team of each case.",
        accuracy="Continuity records travel with each item; corrections go as new versions.",
        transfer_method="shared_system_access",
        security="Case files uploaded through the secure police-to-CPS case system.",
        deletion_at_end="The CPS keeps case files under its own retention policy.",
        termination="Replaced by the national police and CPS agreement when it is signed.",
        signed_copy_location="MO3 information management SharePoint, folder ISA/CPS",
        start_on=today - 700 * day,
        end_on=today - 10 * day,
        next_review_on=today - 40 * day,
        approved_on=today - 700 * day,
        approved_by=dpo,
        owner=lead,
        parties=[
            AgreementParty(
                party=party["MO3 operational teams"],
                role="discloser",
                contact="Case progression unit, MO3",
                dpo_contact=MPS_DPO,
                retention="MPS retention schedule for case files",
                signatory_name="Detective Superintendent L. Grant",
                signatory_position="Head of investigations, MO3",
                signed_on=today - 705 * day,
            ),
            AgreementParty(
                party=party["Crown Prosecution Service"],
                role="recipient",
                controller_status="controller",
                contact="CPS London South, area business manager",
                dpo_contact="CPS Data Protection Officer",
                retention="CPS records retention policy for case files",
                signatory_name="Chief Crown Prosecutor, CPS London South",
                signatory_position="Chief Crown Prosecutor",
                signed_on=today - 702 * day,
            ),
        ],
        purposes=[
            AgreementPurpose(
                description="Charging decisions and prosecution.",
                le_basis="le_task",
                schedule_8_condition="2",
            ),
        ],
        **common,
    )
    record_version(evidential, "First signed version", "Dana Okafor, DPO", today - 700 * day)

    hosting = Agreement(
        reference="DPA-MO3-004",
        title="Hosting of the Dorothy case system by Stratus Secure Cloud",
        relationship_kind="controller_to_processor",
        scope="external",
        frequency="routine",
        direction="outbound",
        regime="dpa_part3",
        status="active",
        purpose="Hosting, backing up and supporting the Dorothy case system.",
        data_subjects="Everyone whose data is held in the case system.",
        data_items="All records in the Dorothy case system, encrypted at rest.",
        is_criminal_offence_data=True,
        access_controls="Supplier engineers have no routine access; support sessions are escorted.",
        transfer_method="api",
        security=(
            "UK data centres only, encryption at rest with MPS-held keys, security cleared "
            "staff, annual penetration test."
        ),
        deletion_at_end="Data returned and then deleted within 30 days, with a certificate.",
        termination="At the contract's end or on 6 months' notice.",
        processor_contract_reference="MPS-CON-2021-0457, schedule 7 (Art 28 and s.59 terms)",
        signed_copy_location="MPS commercial services contract register",
        start_on=today - 500 * day,
        end_on=today + 600 * day,
        next_review_on=today + 200 * day,
        approved_on=today - 500 * day,
        approved_by=dpo,
        owner=dpo,
        parties=[
            AgreementParty(
                party=party["MO3 intelligence"],
                role="discloser",
                contact=MO3_CONTACT,
                dpo_contact=MPS_DPO,
                retention="As the MPS retention schedule",
                signatory_name="Director of Commercial Services",
                signatory_position="Director, MPS Commercial Services",
                signed_on=today - 510 * day,
            ),
            AgreementParty(
                party=supplier,
                role="recipient",
                controller_status="processor",
                contact="Account manager, Stratus Secure Cloud",
                dpo_contact="Stratus DPO, privacy@stratus.example.com",
                retention="Only for the contract; returned and deleted at its end",
                signatory_name="Managing Director",
                signatory_position="Managing Director, Stratus Secure Cloud Ltd",
                signed_on=today - 512 * day,
            ),
        ],
        **(common | {"transparency": ""}),
    )
    record_version(hosting, "Contract signed", "Director, MPS Commercial", today - 510 * day)

    one_off = Agreement(
        reference="ISA-MO3-005",
        title="One-off disclosures to children's services about children at risk",
        relationship_kind="controller_to_controller",
        scope="external",
        frequency="one_off",
        direction="outbound",
        regime="part3_to_gdpr",
        status="draft",
        purpose="Telling children's services about a child at risk found during a deployment.",
        legal_power="Children Act 2004 s.11 duty to safeguard and promote children's welfare.",
        data_subjects="Children at risk and their parents or carers.",
        data_items="Child's name, age and location\nNature of the risk found online",
        special_categories="health",
        is_criminal_offence_data=True,
        owner=lead,
        next_review_on=today + 60 * day,
        parties=[
            AgreementParty(party=party["MO3 supervisors"], role="discloser", retention="6 years"),
            AgreementParty(party=council, role="recipient"),
        ],
        purposes=[
            AgreementPurpose(
                description="Safeguarding a child at risk of harm.",
                art6_basis="e_public_task",
                art9_condition="g_substantial_public_interest",
                art9_schedule_1_paragraph="18",
                art10_basis="schedule_1",
                art10_schedule_1_paragraph="18",
                le_basis="le_task",
            ),
        ],
        decision_log=[
            OneOffDecision(
                requested_on=today - 6 * day,
                requester="MO3 supervisor on deployment D-118",
                outcome="approved_in_part",
                reasons="Shared the child's identity and the risk, not the deployment details.",
                decided_by="DI Hannah Cole",
                decided_on=today - 5 * day,
            ),
        ],
        **common,
    )
    record_version(one_off, "First draft", "Liam Hart, project lead", today - 7 * day)
    db.session.add_all([supplier, council, internal, national, evidential, hosting, one_off])
