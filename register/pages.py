"""Pages about the register itself, open to anyone."""

from flask import Blueprint, render_template

from core.policy import public

bp = Blueprint("pages", __name__)


@bp.route("/accessibility")
@public
def accessibility():
    """Show the accessibility statement: what is tested, how, and known limitations."""
    return render_template("register/accessibility.html")
