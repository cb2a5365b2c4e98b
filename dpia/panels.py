"""DPIA panels on other pages: a project's page and the dashboard."""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import String, func, select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.projects.access import restrict_to_visible
from dpia.models import Dpia, PbdAssessment
from dpia.risks import Measure, Risk
from dpia.screening import Screening

# States in which a DPIA describes processing that is going ahead or may.
CURRENT_STATUSES = (
    "draft",
    "awaiting_dpo_advice",
    "awaiting_signoff",
    "prior_consultation",
    "approved",
    "approved_with_conditions",
    "under_review",
)


def project_panel(project) -> str:
    dpias = db.session.scalars(
        select(Dpia).where(Dpia.project_id == project.id).order_by(Dpia.id)
    ).all()
    assessments = db.session.scalars(
        select(PbdAssessment)
        .where(PbdAssessment.project_id == project.id)
        .order_by(PbdAssessment.id)
    ).all()
    screenings = db.session.scalars(
        select(Screening)
        .where(Screening.project_id == project.id, Screening.dpia_id.is_(None))
        .order_by(Screening.id)
    ).all()
    return render_template(
        "dpia/_project_panel.html",
        project=project,
        dpias=dpias,
        assessments=assessments,
        screenings=screenings,
    )


def measures_in_projects(project_ids):
    """Return a condition keeping the measures of DPIAs of these projects."""
    risks = select(Risk.id).join(Dpia, Dpia.id == Risk.dpia_id)
    return Measure.risk_id.in_(risks.where(Dpia.project_id.in_(project_ids)))


def measure_rows():
    """Return the open DPIA measures that have an owner and a due date, as review rows.

    Measures already in place, and those of superseded DPIAs, need no action.
    The DPIA and its project are read by subqueries, not joins, so a count
    of the rows reads one index of measures and the few risks of ended DPIAs.
    """
    ended_risks = (
        select(Risk.id)
        .join(Dpia, Dpia.id == Risk.dpia_id)
        .where(Dpia.status.in_(("superseded", "not_proceeding")))
    )
    dpia_id = select(Risk.dpia_id).where(Risk.id == Measure.risk_id).scalar_subquery()
    project_id = (
        select(Dpia.project_id)
        .join(Risk, Risk.dpia_id == Dpia.id)
        .where(Risk.id == Measure.risk_id)
        .scalar_subquery()
    )
    return select(
        Measure.id.label("record_id"),
        dpia_id.label("page_id"),
        func.substr(Measure.description, 1, 120, type_=String).label("title"),
        project_id.label("project_id"),
        Measure.owner_id.label("owner_id"),
        Measure.due_on.label("due_on"),
    ).where(
        Measure.owner_id.is_not(None),
        Measure.due_on.is_not(None),
        Measure.status != "in_place",
        Measure.risk_id.not_in(ended_risks),
    )


@dataclass(frozen=True)
class Panel:
    """The first page of one dashboard panel's DPIAs, oldest first, and how many in all."""

    dpias: list
    total: int


def _panel(*conditions, order=None) -> Panel:
    query = restrict_to_visible(select(Dpia), Dpia.project_id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    dpias = db.session.scalars(
        query.options(selectinload(Dpia.project))
        .order_by(*(order or (Dpia.updated_at,)), Dpia.id)
        .limit(current_app.config["REGISTER_PAGE_SIZE"])
    ).all()
    return Panel(list(dpias), total)


def dashboard_panels() -> str:
    """Render the DPIA panels of the dashboard for the signed-in user, as safe HTML.

    Each panel shows one page and a count, so the dashboard stays the same
    size however large the register grows.
    """
    panels = {
        "advice": _panel(Dpia.status == "awaiting_dpo_advice"),
        "signoff": _panel(Dpia.status == "awaiting_signoff"),
        "confirmation": _panel(
            Dpia.status.in_(("approved", "approved_with_conditions")),
            Dpia.confirmed_at.is_(None),
            order=(Dpia.approved_on, Dpia.signed_off_on),
        ),
        "consultation": _panel(Dpia.status == "prior_consultation"),
        # residual_risk is kept up to date by Dpia.refresh_residual_risk.
        "high_residual": _panel(Dpia.status.in_(CURRENT_STATUSES), Dpia.residual_risk == "high"),
    }
    # The template escapes every value it inserts, so its output is safe to mark.
    html = render_template("dpia/_dashboard_panels.html", panels=panels, user=current_user)
    return Markup(html)  # noqa: S704
