"""Demo data: Project Dorothy under MOPAC decision PCD 974.

Review dates are set relative to the day the data is loaded, so the
dashboard always shows overdue, due-soon and later items.
"""

from datetime import date, timedelta

from core.auth.models import Role, User
from core.extensions import db
from core.projects.models import Decision, Party, Project
from dpia.models import Dpia
from register.demo_dpia import fill_dorothy_dpia
from register.demo_pbd import add_pbd_demo
from register.demo_reviews import add_demo_reviews
from register.demo_sharing import load_sharing
from register.demo_states import add_state_demo

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = (
    ("admin@example.org", "Alex Morgan", Role.ADMIN),
    ("dpo@example.org", "Dana Okafor", Role.DPO),
    ("lead@example.org", "Liam Hart", Role.LEAD),
    ("lead2@example.org", "Priya Shah", Role.LEAD),
    ("auditor@example.org", "Sam Reid", Role.AUDITOR),
)


def _users() -> dict[str, User]:
    users = {}
    for email, name, role in DEMO_USERS:
        user = User(email=email, name=name, role=role)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users[email] = user
    return users


def load(today: date) -> list[User]:
    """Add the demo records and commit; the database must be empty."""
    users = _users()
    dpo = users["dpo@example.org"]
    lead, other_lead = users["lead@example.org"], users["lead2@example.org"]

    pcd_974 = Decision(
        title="Grant Funding Project Dorothy 2020/21",
        decision_maker="Deputy Mayor for Policing and Crime",
        issuing_body="MOPAC (Mayor's Office for Policing and Crime)",
        signed_on=None,
        summary=(
            "Accepts a grant of £569,000 from Bedfordshire Police for 2020/21 to upgrade "
            "Project Dorothy, the online investigation capability run by Met Operations 3."
        ),
    )
    pcd_974.set_reference("PCD 974")
    kestrel_decision = Decision(
        title="Body-worn video replacement 2024/25",
        decision_maker="Deputy Mayor for Policing and Crime",
        issuing_body="MOPAC (Mayor's Office for Policing and Crime)",
        signed_on=date(2024, 5, 14),
        summary=(
            "Approves the replacement of body-worn video cameras and the evidence store "
            "behind them."
        ),
    )
    kestrel_decision.set_reference("PCD 1502")

    dorothy = Project(
        name="Project Dorothy",
        description=(
            "Upgrade of the online investigation capability: supervisors task covert online "
            "deployments, intelligence analysts assess what is gathered, operational teams act "
            "on it, and material is shared with the national online network and passed to the "
            "Crown Prosecution Service as evidence."
        ),
        owning_unit="Met Operations 3 (MO3)",
        lead=lead,
        status="active",
        decisions=[pcd_974],
    )
    kestrel = Project(
        name="Project Kestrel",
        description="Replacement of body-worn video cameras and their evidence store.",
        owning_unit="Frontline Policing",
        lead=other_lead,
        status="active",
        decisions=[kestrel_decision],
    )

    supervisors = Party(
        name="MO3 supervisors",
        kind="internal",
        description="Detective sergeants and inspectors who authorise and task deployments.",
    )
    intelligence = Party(
        name="MO3 intelligence",
        kind="internal",
        description="Analysts who assess and grade material gathered online.",
    )
    operations = Party(
        name="MO3 operational teams",
        kind="internal",
        description="Officers who act on assessed intelligence.",
    )
    network = Party(
        name="National online network",
        kind="external",
        description="The national network of forces' online investigation units.",
    )
    cps = Party(
        name="Crown Prosecution Service",
        kind="external",
        description="Prosecutors who receive evidential material for charging decisions and trial.",
    )

    dorothy_dpia = Dpia(
        project=dorothy,
        decision=pcd_974,
        title="Project Dorothy online investigation upgrade",
        processing_summary=(
            "Officers collect material about suspects, victims and witnesses from online "
            "sources during covert deployments. Supervisors review it, analysts assess it, and "
            "relevant material is shared with the national online network and disclosed to the "
            "Crown Prosecution Service as evidence."
        ),
        owner=lead,
    )
    fill_dorothy_dpia(dorothy_dpia, users, today)

    kestrel_dpia = Dpia(
        project=kestrel,
        decision=kestrel_decision,
        title="Body-worn video evidence store",
        processing_summary="Recording, storage and disclosure of body-worn video footage.",
        owner=other_lead,
        next_review_on=today - timedelta(days=3),
    )

    db.session.add_all(
        [dorothy, kestrel, kestrel_dpia, supervisors, intelligence, operations]
        + [network, cps, dorothy_dpia]
    )
    load_sharing(today)
    add_pbd_demo(today, dorothy, pcd_974, dorothy_dpia, lead, dpo)
    add_demo_reviews(today)
    add_state_demo(today, users, dorothy, pcd_974, kestrel, kestrel_decision)
    db.session.commit()
    return [users[email] for email, _, _ in DEMO_USERS]
