"""Pages for decisions, projects and parties."""

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.archive import add_archive_routes
from core.auth.models import Role
from core.extensions import db
from core.locking import save_versioned
from core.pagination import paginate
from core.policy import READERS, allow, can_view_project, sees_every_project
from core.projects.forms import DecisionForm, PartyForm, ProjectForm
from core.projects.models import Decision, Party, Project

bp = Blueprint("projects", __name__)
log = logging.getLogger(__name__)

PROJECT_PANELS = "register.project_panels"


def add_project_panel(app, render) -> None:
    """Let a higher layer show its records on the project page.

    `render(project)` returns HTML for one panel. The project page calls
    every registered panel in order.
    """
    app.extensions.setdefault(PROJECT_PANELS, []).append(render)


PARTY_PANELS = "register.party_panels"


def add_party_panel(app, render) -> None:
    """Let a higher layer show its records on a party's page.

    `render(party)` returns HTML for one panel, as for `add_project_panel`.
    """
    app.extensions.setdefault(PARTY_PANELS, []).append(render)


def render_panels(key: str, record) -> list[Markup]:
    # Each panel is the output of render_template, escaped there already.
    return [
        Markup(render(record))  # noqa: S704
        for render in current_app.extensions.get(key, [])
    ]


def get_project_or_404(project_id: int) -> Project:
    """Return the project; 404 when missing or when the user may not see it.

    A lead of another project gets 404 rather than 403, so the page does not
    reveal that the project exists.
    """
    project = db.get_or_404(Project, project_id)
    if not can_view_project(current_user, project):
        abort(404)
    return project


def visible_projects_query():
    query = select(Project).order_by(Project.name)
    if not sees_every_project(current_user):
        query = query.where(Project.lead_id == current_user.id)
    return query


# Decisions


@bp.route("/decisions")
@allow(*READERS)
def decisions():
    """List governing decisions by reference."""
    page = paginate(select(Decision).order_by(Decision.reference_key))
    return render_template("projects/decisions.html", page=page)


@bp.route("/decisions/new", methods=["GET", "POST"])
@allow(Role.DPO)
def create_decision():
    """Record a signed governing decision."""
    form = DecisionForm()
    if form.validate_on_submit():
        decision = Decision()
        fill_decision(decision, form)
        db.session.add(decision)
        db.session.commit()
        log.info("decision created id=%s by=%s", decision.id, current_user.id)
        flash(f"Decision {decision.reference} recorded", "success")
        return redirect(url_for("projects.decision", decision_id=decision.id))
    return render_template("projects/decision_form.html", form=form, decision=None)


@bp.route("/decisions/<int:decision_id>")
@allow(*READERS)
def decision(decision_id: int):
    """Show a decision and the projects it governs that the user may see."""
    record = db.get_or_404(Decision, decision_id)
    projects = [p for p in record.projects if can_view_project(current_user, p)]
    return render_template("projects/decision.html", decision=record, projects=projects)


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@allow(Role.DPO)
def edit_decision(decision_id: int):
    """Correct a decision's details."""
    record = db.get_or_404(Decision, decision_id)
    form = DecisionForm(obj=record, decision=record)
    if form.validate_on_submit():
        if not save_versioned(form, record, lambda: fill_decision(record, form)):
            return render_template("projects/decision_form.html", form=form, decision=record), 409
        log.info("decision changed id=%s by=%s", record.id, current_user.id)
        flash(f"Decision {record.reference} saved", "success")
        return redirect(url_for("projects.decision", decision_id=record.id))
    return render_template("projects/decision_form.html", form=form, decision=record)


def fill_decision(decision: Decision, form: DecisionForm) -> None:
    decision.set_reference(form.reference.data)
    decision.title = form.title.data
    decision.decision_maker = form.decision_maker.data
    decision.issuing_body = form.issuing_body.data
    decision.signed_on = form.signed_on.data
    decision.summary = form.summary.data or ""
    decision.link = form.link.data or ""


# Projects


@bp.route("/projects")
@allow(*READERS)
def projects():
    """List the projects the user may see."""
    query = visible_projects_query().options(
        joinedload(Project.lead), selectinload(Project.decisions)
    )
    return render_template("projects/projects.html", page=paginate(query, key=Project.id))


@bp.route("/projects/new", methods=["GET", "POST"])
@allow(Role.DPO)
def create_project():
    """Record a project and the decisions that govern it."""
    form = ProjectForm()
    if request.method == "GET":
        form.status.data = "active"
        if request.args.get("decision", "").isdigit():
            form.decision_ids.data = [int(request.args["decision"])]
    if form.validate_on_submit():
        project = Project()
        fill_project(project, form)
        db.session.add(project)
        db.session.commit()
        log.info("project created id=%s by=%s", project.id, current_user.id)
        flash(f"Project {project.name} recorded", "success")
        return redirect(url_for("projects.project", project_id=project.id))
    return render_template("projects/project_form.html", form=form, project=None)


@bp.route("/projects/<int:project_id>")
@allow(*READERS)
def project(project_id: int):
    """Show a project with its decisions and the records other parts attach."""
    record = get_project_or_404(project_id)
    panels = render_panels(PROJECT_PANELS, record)
    return render_template("projects/project.html", project=record, panels=panels)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@allow(Role.DPO)
def edit_project(project_id: int):
    """Change a project's details, lead or governing decisions."""
    record = get_project_or_404(project_id)
    form = ProjectForm(obj=record, project=record)
    if request.method == "GET":
        form.decision_ids.data = [d.id for d in record.decisions]
    if form.validate_on_submit():
        current = lambda: {"decision_ids": [d.id for d in record.decisions]}  # noqa: E731
        if not save_versioned(form, record, lambda: fill_project(record, form), current):
            return render_template("projects/project_form.html", form=form, project=record), 409
        log.info("project changed id=%s by=%s", record.id, current_user.id)
        flash(f"Project {record.name} saved", "success")
        return redirect(url_for("projects.project", project_id=record.id))
    return render_template("projects/project_form.html", form=form, project=record)


def fill_project(project: Project, form: ProjectForm) -> None:
    project.name = form.name.data
    project.description = form.description.data or ""
    project.owning_unit = form.owning_unit.data
    project.lead_id = form.lead_id.data
    project.status = form.status.data
    project.decisions = list(
        db.session.scalars(select(Decision).where(Decision.id.in_(form.decision_ids.data or [])))
    )


# Parties


@bp.route("/parties")
@allow(*READERS)
def parties():
    """List internal teams and external organisations that share data."""
    page = paginate(select(Party).order_by(Party.kind, Party.name))
    return render_template("projects/parties.html", page=page)


@bp.route("/parties/new", methods=["GET", "POST"])
@allow(Role.DPO)
def create_party():
    """Record an internal team or an external organisation."""
    form = PartyForm()
    if form.validate_on_submit():
        party = Party(
            name=form.name.data, kind=form.kind.data, description=form.description.data or ""
        )
        db.session.add(party)
        db.session.commit()
        log.info("party created id=%s by=%s", party.id, current_user.id)
        flash(f"Party {party.name} recorded", "success")
        return redirect(url_for("projects.party", party_id=party.id))
    return render_template("projects/party_form.html", form=form, party=None)


@bp.route("/parties/<int:party_id>")
@allow(*READERS)
def party(party_id: int):
    """Show a party and the records other parts attach to it."""
    record = db.get_or_404(Party, party_id)
    panels = render_panels(PARTY_PANELS, record)
    return render_template("projects/party.html", party=record, panels=panels)


@bp.route("/parties/<int:party_id>/edit", methods=["GET", "POST"])
@allow(Role.DPO)
def edit_party(party_id: int):
    """Change a party's name, kind or description."""
    record = db.get_or_404(Party, party_id)
    form = PartyForm(obj=record, party=record)
    if form.validate_on_submit():

        def apply():
            record.name = form.name.data
            record.kind = form.kind.data
            record.description = form.description.data or ""

        if not save_versioned(form, record, apply):
            return render_template("projects/party_form.html", form=form, party=record), 409
        log.info("party changed id=%s by=%s", record.id, current_user.id)
        flash(f"Party {record.name} saved", "success")
        return redirect(url_for("projects.party", party_id=record.id))
    return render_template("projects/party_form.html", form=form, party=record)


add_archive_routes(
    bp, Decision, "decision", "decision", "projects.decision", [Role.DPO], "/decisions"
)
add_archive_routes(bp, Project, "project", "project", "projects.project", [Role.DPO], "/projects")
add_archive_routes(bp, Party, "party", "party", "projects.party", [Role.DPO], "/parties")
