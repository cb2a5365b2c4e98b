"""The record types that take attachments: DPIAs, assessments and agreements."""

from core.attachments.views import AttachmentOwner, add_attachment_owner
from dpia.models import Dpia, PbdAssessment
from sharing.models import Agreement


def register_attachment_owners(app) -> None:
    add_attachment_owner(app, AttachmentOwner("dpia", Dpia, "dpia.dpia", "dpia_id"))
    add_attachment_owner(
        app,
        AttachmentOwner("assessment", PbdAssessment, "dpia.assessment", "assessment_id"),
    )
    add_attachment_owner(
        app, AttachmentOwner("agreement", Agreement, "sharing.agreement", "agreement_id")
    )
