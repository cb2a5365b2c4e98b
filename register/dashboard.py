"""The dashboard: every record by next review date, overdue first."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.policy import READERS, allow, public
from core.projects.access import restrict_to_visible
from core.timeutil import local_today
from dpia.models import Dpia
from register.reviews import review_items

bp = Blueprint("main", __name__)


@bp.route("/")
@allow(*READERS)
def dashboard():
    """Show the reviews the user may see, and DPIAs awaiting the user's confirmation."""
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1
    per_page = current_app.config["REGISTER_PAGE_SIZE"] * 2
    items, total = review_items(current_user, offset=(page - 1) * per_page, limit=per_page)
    awaiting_query = restrict_to_visible(select(Dpia), Dpia.project_id).where(
        Dpia.confirmed_at.is_(None), Dpia.signed_off_on.is_not(None)
    )
    # The longest-waiting DPIAs only, so the page stays the same size however many wait.
    awaiting = db.session.scalars(
        awaiting_query.options(selectinload(Dpia.project))
        .order_by(Dpia.signed_off_on, Dpia.id)
        .limit(current_app.config["REGISTER_PAGE_SIZE"])
    ).all()
    awaiting_total = db.session.scalar(
        select(func.count()).select_from(awaiting_query.order_by(None).subquery())
    )
    today = local_today()
    return render_template(
        "register/dashboard.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
        awaiting=awaiting,
        awaiting_total=awaiting_total,
        today=today,
        overdue=sum(1 for item in items if item.next_review_on < today),
    )


@bp.route("/health")
@public
def health():
    """Report whether the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
