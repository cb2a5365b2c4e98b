"""The dashboard: every record by next review date, overdue first."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import text

from core.extensions import db
from core.policy import READERS, allow, public
from core.timeutil import local_today
from dpia.panels import dashboard_panels
from register.reviews import review_items

bp = Blueprint("main", __name__)


@bp.route("/")
@allow(*READERS)
def dashboard():
    """Show the reviews the user may see and the DPIAs waiting on someone."""
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and len(raw) < 7 and int(raw) > 0 else 1
    per_page = current_app.config["REGISTER_PAGE_SIZE"] * 2
    # No total: counting every dated item would read them all on each visit,
    # so one extra item shows whether a next page exists. The reviews page
    # gives the totals.
    items, _ = review_items(
        current_user, offset=(page - 1) * per_page, limit=per_page + 1, count=False
    )
    has_next = len(items) > per_page
    items = items[:per_page]
    today = local_today()
    return render_template(
        "register/dashboard.html",
        items=items,
        page=page,
        has_next=has_next,
        dpia_panels=dashboard_panels(),
        today=today,
        overdue=sum(1 for item in items if item.next_review_on < today),
    )


@bp.route("/health")
@public
def health():
    """Report whether the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
