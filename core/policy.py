"""Who may use which view: every view declares it, and the rest is refused.

`allow(...)` marks a view with the roles that may use it, `public` marks
the few views open to anyone and `api_token(...)` marks API views, whose
callers authenticate with a bearer token instead of a session. The app
checks the mark before each request, so a view that declares nothing is
refused (deny by default).
"""

from collections.abc import Callable

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from core.auth.models import Role

READERS = (Role.ADMIN, Role.DPO, Role.LEAD, Role.AUDITOR)
RECORD_WRITERS = (Role.DPO, Role.LEAD)
FULL_READERS = (Role.ADMIN, Role.DPO, Role.AUDITOR)

# Key in app.extensions of the function that returns the user of a request's
# API token, or None. The layer that stores tokens registers it.
API_TOKEN_LOADER = "register.api_token_loader"  # noqa: S105 (a key, not a secret)


def allow(*roles: str) -> Callable:
    """Mark a view as open to signed-in users with one of `roles`."""

    def mark(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        return view

    return mark


def api_token(*roles: str) -> Callable:
    """Mark a view as open to holders of an API token whose user has one of `roles`.

    Such a view ignores the session cookie, so a browser cannot be led to it
    on a signed-in user's behalf.
    """

    def mark(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        view.uses_api_token = True
        return view

    return mark


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone, signed in or not."""
    view.is_public = True
    return view


def check_access():
    """Enforce the view's mark; registered as a before-request hook."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False):
        return None
    if getattr(view, "uses_api_token", False):
        return _check_api_token(view)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    roles = getattr(view, "allowed_roles", None)
    if roles is None or current_user.role not in roles:
        abort(403)
    return None


def _check_api_token(view):
    loader = current_app.extensions.get(API_TOKEN_LOADER)
    user = loader(request) if loader is not None else None
    if user is None:
        abort(401)
    # Flask-Login 0.6 reads `current_user` from g._login_user, so the access
    # helpers below see the token's user for this request only, and no
    # session cookie is written.
    g._login_user = user
    if user.role not in getattr(view, "allowed_roles", ()):
        abort(403)
    return None


def sees_every_project(user) -> bool:
    return user.role in FULL_READERS


def can_view_project(user, project) -> bool:
    return sees_every_project(user) or project.lead_id == user.id


def can_edit_project_records(user, project) -> bool:
    """Return whether `user` may draft and update records of `project`."""
    if user.role == Role.DPO:
        return True
    return user.role == Role.LEAD and project.lead_id == user.id
