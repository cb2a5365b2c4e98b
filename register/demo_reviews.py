"""Demo data: past reviews of Project Dorothy's records, with their follow-up actions."""

from datetime import date, timedelta

from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from dpia.models import Dpia
from register.models import Review, ReviewAction
from sharing.models import Agreement


def add_demo_reviews(today: date) -> None:
    """Add reviews of the Dorothy records that register.demo loads. The caller commits."""
    db.session.flush()
    dpo = db.session.scalar(select(User).where(User.email == "dpo@example.org"))
    lead = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    dpia = db.session.scalar(select(Dpia).where(Dpia.title.startswith("Project Dorothy")))
    agreements = {
        agreement.reference: agreement
        for agreement in db.session.scalars(
            select(Agreement).where(Agreement.reference.like("ISA-MO3-%"))
        )
    }

    def review(record, kind: str, **fields) -> Review:
        defaults = {
            "record_kind": kind,
            "record_id": record.id,
            "project_id": record.project_id,
            "record_title": str(record),
            "reviewer": dpo,
            "recorded_by": dpo,
            "is_processing_as_recorded": True,
            "is_risk_changed": False,
            "is_dpo_consulted": True,
        }
        return Review(**(defaults | fields))

    db.session.add_all(
        [
            review(
                dpia,
                "dpia",
                review_type="triggered",
                trigger="new_recipient_or_processor",
                reviewed_on=today - timedelta(days=100),
                findings=(
                    "The national online network joined as a recipient of deconfliction "
                    "data. The flows match the DPIA, but the retention rule is still "
                    "applied by hand by MO3 supervisors."
                ),
                outcome="minor_update",
                next_review_on=dpia.next_review_on,
                actions=[
                    ReviewAction(
                        description="Describe the national network flow in the DPIA",
                        owner=dpo,
                        due_on=today - timedelta(days=70),
                        completed_on=today - timedelta(days=75),
                    ),
                    ReviewAction(
                        description="Apply the 6-year retention rule automatically",
                        owner=lead,
                        due_on=today + timedelta(days=5),
                    ),
                ],
            ),
            review(
                agreements["ISA-MO3-001"],
                "agreement",
                review_type="scheduled",
                trigger="scheduled",
                reviewer=lead,
                reviewed_on=today - timedelta(days=245),
                findings=(
                    "Tasking, gathered material and assessed intelligence still pass "
                    "between the three MO3 teams as the agreement describes."
                ),
                outcome="no_change",
                is_dpo_consulted=False,
                next_review_on=agreements["ISA-MO3-001"].next_review_on,
            ),
            review(
                agreements["ISA-MO3-003"],
                "agreement",
                review_type="scheduled",
                trigger="scheduled",
                reviewed_on=today - timedelta(days=405),
                findings=(
                    "Evidence reaches the Crown Prosecution Service through the secure "
                    "portal only. Two disclosures by email were found and stopped."
                ),
                is_risk_changed=True,
                new_risk_level="medium",
                outcome="minor_update",
                next_review_on=agreements["ISA-MO3-003"].next_review_on,
            ),
        ]
    )
