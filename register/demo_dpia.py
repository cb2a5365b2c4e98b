"""Demo data: Project Dorothy's DPIA, taken through all seven steps.

The DPIA is screened, drafted, advised on by the DPO, approved with
conditions and confirmed by the project lead, with dates spread over the
months before the day the data is loaded.
"""

from datetime import UTC, datetime, time, timedelta

from core.auth.models import User
from dpia.models import Dpia
from dpia.risks import Measure, Risk
from dpia.scoring import overall_level
from dpia.screening import Screening
from dpia.signoff import sign_off
from dpia.workflow import confirm_completion, record_advice, record_creation, submit

RISKS = (
    (
        "Officers deployed covertly online collect more about bystanders, such as friends and "
        "family of a suspect who appear in the same groups, than the investigation needs.",
        "People who are not suspected of anything have their messages and images held in "
        "police systems, which intrudes on their private and family life.",
        "probable",
        "significant",
        (
            (
                "Deployment logs record what was captured and why; supervisors check each "
                "capture within 7 days and delete material about people outside the "
                "investigation's scope.",
                "reduced",
                "low",
                "in_place",
                None,
            ),
            (
                "Refresher training for deployed officers on collateral intrusion and the "
                "limits set in each authorisation.",
                "reduced",
                "medium",
                "in_progress",
                40,
            ),
        ),
    ),
    (
        "Evidential material passed to the Crown Prosecution Service is sent in bulk by "
        "unencrypted email or on removable media.",
        "A misdirected email or a lost device discloses victims' and witnesses' identities and "
        "sensitive material, exposing them to harm and undermining the prosecution.",
        "possible",
        "severe",
        (
            (
                "Evidential transfers go only through the secure digital case file system, "
                "with a transfer record checked against the disclosure schedule.",
                "reduced",
                "low",
                "in_place",
                None,
            ),
        ),
    ),
    (
        "Intelligence shared with the national online network is kept by other forces longer "
        "than MO3 keeps it, or used for purposes beyond deconfliction.",
        "People stay on other forces' systems after MO3 has deleted their data, and may face "
        "police attention based on stale or ungraded intelligence.",
        "possible",
        "significant",
        (
            (
                "A written information sharing agreement with the network fixes purpose, "
                "grading, retention and deletion, and is reviewed every year.",
                "reduced",
                "low",
                "in_place",
                None,
            ),
            (
                "Quarterly audit of what was shared with the network against the agreement, "
                "reported to the DPO.",
                "reduced",
                "low",
                "planned",
                12,
            ),
        ),
    ),
    (
        "Deployment identities and their online accounts are linked to the officers behind "
        "them through weak separation of devices and networks.",
        "Officers and the people they engage with could be identified and put at risk of "
        "physical harm.",
        "remote",
        "severe",
        (
            (
                "Dedicated attributable-free devices and networks, with access limited to "
                "named staff and reviewed monthly.",
                "reduced",
                "low",
                "in_place",
                None,
            ),
        ),
    ),
)


def _steps(dpia: Dpia) -> None:
    dpia.reference = "DPIA-MO3-2020-01"
    dpia.regime = "both"
    dpia.controller = "Commissioner of Police of the Metropolis"
    dpia.processors = (
        "Case system supplier, as processor under a contract with data protection terms"
    )
    dpia.dpo_contact = "Dana Okafor, Data Protection Officer, dpo@example.org"
    dpia.need_summary = (
        "The grant upgrades how MO3 gathers, assesses and shares material from online sources "
        "during covert deployments. The processing is invisible to the people concerned, covers "
        "criminal offence data and may touch vulnerable people, so a DPIA is required."
    )
    dpia.nature = (
        "Deployed officers capture posts, messages and images from online platforms. "
        "Supervisors review captures, analysts grade and assess them in the case system, and "
        "operational teams act on assessed intelligence. Relevant material goes to the national "
        "online network for deconfliction and to the CPS as evidence."
    )
    dpia.data_sources = "Open and closed online groups, platforms' responses to lawful requests."
    dpia.data_categories = (
        "Names, online identifiers, images, messages, location clues, associations."
    )
    dpia.special_categories = ["racial_ethnic", "religious", "sex_life"]
    dpia.has_criminal_offence_data = True
    dpia.volume = "About 400 deployments a year, each with tens to hundreds of captures"
    dpia.individuals_affected = "Several thousand a year, most of them bystanders"
    dpia.retention = "6 years after the case closes, or 1 year for material not used"
    dpia.geography = "London, with material about people anywhere in the UK"
    dpia.context = (
        "People do not know they are observed and would not expect it. Some are children or "
        "victims of exploitation. Covert online policing draws public concern."
    )
    dpia.involves_vulnerable_people = True
    dpia.purposes = "Preventing and detecting serious crime committed or arranged online."
    dpia.benefits = "Earlier disruption of offenders and better evidence for prosecutions."
    dpia.views_sought = False
    dpia.views_not_sought_reason = (
        "Asking the people concerned would reveal covert tactics and prejudice investigations. "
        "The independent advisory group was briefed on the capability in general terms."
    )
    dpia.consultees = "MO3 supervisors and intelligence, information security, legal services."
    dpia.art6_basis = "e_public_task"
    dpia.le_basis = "le_task"
    dpia.is_sensitive_processing = True
    dpia.schedule8_condition = "1"
    dpia.policy_document_reference = "APD-MPS-LE-2020"
    dpia.logged_operations = [
        "collection",
        "alteration",
        "consultation",
        "disclosure",
        "combination",
        "erasure",
    ]
    dpia.is_new_filing_system = False
    dpia.necessity = (
        "Covert online deployment is authorised only where overt means would not work, and "
        "each authorisation limits what may be captured. Captures outside scope are deleted."
    )
    dpia.safeguards = (
        "Privacy information describes the capability in general. Rights requests go through "
        "the force's rights team, with Part 3 restrictions applied case by case."
    )


def _risks(dpia: Dpia, users: dict[str, User], today) -> None:
    for source, harm, likelihood, severity, measures in RISKS:
        risk = Risk(
            source=source,
            harm=harm,
            likelihood=likelihood,
            severity=severity,
            computed_level=overall_level(likelihood, severity),
        )
        for description, effect, residual, status, due_in_days in measures:
            risk.measures.append(
                Measure(
                    description=description,
                    effect=effect,
                    residual_level=residual,
                    is_approved=True,
                    status=status,
                    owner=users["lead@example.org"] if due_in_days else None,
                    due_on=today + timedelta(days=due_in_days) if due_in_days else None,
                )
            )
        dpia.risks.append(risk)


def fill_dorothy_dpia(dpia: Dpia, users: dict[str, User], today) -> None:
    """Take Dorothy's DPIA from screening to the lead's confirmation."""
    dpo, lead = users["dpo@example.org"], users["lead@example.org"]
    _steps(dpia)
    dpia.screening = Screening(
        project=dpia.project,
        mandatory_cases=["large_scale_special_category"],
        ico_types=["invisible_processing", "targeting_vulnerable", "data_matching"],
        wp248_criteria=["systematic_monitoring", "sensitive_data", "vulnerable_subjects"],
        involves_sharing=True,
        is_dpia_required=True,
        rationale="Covert online processing of criminal offence and special category data.",
        decided_by=lead,
    )
    _risks(dpia, users, today)
    dpia.go_live_on = today - timedelta(days=180)
    drafted_on = today - timedelta(days=215)
    dpia.steps_completed_on = {
        step: drafted_on.isoformat()
        for step in ("screening", "need", "description", "consultation", "necessity")
    } | {"risks": drafted_on.isoformat(), "measures": drafted_on.isoformat()}
    dpia.refresh_residual_risk()

    record_creation(dpia, lead)
    submit(dpia, lead)
    record_advice(
        dpia,
        "Proceed with conditions: role-based access to deployment logs, a 6-year retention "
        "rule applied automatically, and a written agreement with the national network "
        "before any sharing starts.",
        today - timedelta(days=200),
        dpo,
    )
    signed_on = today - timedelta(days=190)
    sign_off(
        dpia,
        {
            "measures_approved_by": "Liam Hart",
            "measures_approved_position": "Detective Superintendent, MO3",
            "measures_approved_on": signed_on,
            "residual_approved_by": "Liam Hart",
            "residual_approved_position": "Detective Superintendent, MO3",
            "residual_approved_on": signed_on,
            "advice_response": "accepted",
            "advice_response_by": "Liam Hart, Detective Superintendent, MO3",
            "advice_response_on": signed_on,
            "departs_from_views": False,
            "kept_under_review_by": "MO3 senior leadership team, with the DPO",
            "outcome": "proceed_with_conditions",
            "conditions": (
                "No sharing with the national network until the agreement is signed. "
                "Training for deployed officers completed within the year."
            ),
            "signed_off_on": signed_on,
            "next_review_on": today + timedelta(days=12),
        },
        dpo,
    )
    confirm_completion(dpia, lead)
    moments = [drafted_on, drafted_on, today - timedelta(days=200), signed_on]
    for change, day in zip(dpia.history, moments, strict=True):
        change.changed_at = datetime.combine(day, time(10, 0), tzinfo=UTC)
    dpia.confirmed_at = datetime.combine(signed_on + timedelta(days=2), time(9, 30), tzinfo=UTC)
