"""Read-only JSON endpoints: one list and one detail endpoint per register list.

Each endpoint uses the same declared query as the list's downloads, so a
lead's token reads only that lead's projects' records, as on the pages.
"""

from datetime import date

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from core.auth.models import User
from core.extensions import db
from core.policy import API_TOKEN_LOADER, READERS, api_token
from register.api.models import user_for_token
from register.api.openapi import openapi_document
from register.api.serialise import serialise
from register.exports.lists import REGISTER_LISTS, RegisterList
from register.reviews import review_items

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
# Ids are 32-bit on PostgreSQL; a larger number cannot name a record.
MAX_ID = 2**31 - 1


def token_user(req) -> User | None:
    """Return the user of the request's bearer token, or None."""
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())


def error_response(status: int, message: str, details: dict | None = None):
    body = {"error": {"status": status, "message": message}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="privacy-register"'
    return response


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    messages = {
        401: "Send a valid API token in the Authorization header: Bearer <token>",
        403: "Your account's role may not use the API",
        404: "No record with this id that you can see",
    }
    return error_response(error.code or 500, messages.get(error.code, error.description))


def _page_arguments() -> tuple[int, int, dict[str, str]]:
    problems = {}
    values = {}
    for name, default, maximum in (
        ("page", 1, 100000),
        ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
    ):
        raw = request.args.get(name, "")
        if raw == "":
            values[name] = default
        elif raw.isdigit() and raw.isascii() and 0 < int(raw) <= maximum:
            values[name] = int(raw)
        else:
            problems[name] = f"{name} must be a whole number from 1 to {maximum}"
    return values.get("page", 1), values.get("per_page", DEFAULT_PER_PAGE), problems


def _page_body(items: list, page: int, per_page: int, total: int) -> dict:
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": max(1, -(-total // per_page)),
    }


def _list_view(register_list: RegisterList):
    def view():
        page, per_page, problems = _page_arguments()
        query, filter_problems = register_list.select(request.args)
        problems.update(filter_problems)
        if problems:
            return error_response(400, "Invalid query parameters", problems)
        result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
        items = [serialise(record) for record in result.items]
        return _page_body(items, page, per_page, result.total or 0)

    view.__name__ = f"list_{register_list.name}"
    view.__doc__ = f"List the {register_list.title.lower()} the token's user may see."
    return api_token(*register_list.roles)(view)


def _detail_view(register_list: RegisterList):
    def view(record_id: int):
        if record_id > MAX_ID:
            return error_response(404, "No record with this id that you can see")
        model = register_list.model
        record = db.session.scalar(register_list.query().where(model.id == record_id))
        if record is None:
            return error_response(404, "No record with this id that you can see")
        return serialise(record)

    view.__name__ = f"get_{register_list.name}"
    view.__doc__ = f"Show one of the {register_list.title.lower()} by id."
    return api_token(*register_list.roles)(view)


for _list in REGISTER_LISTS.values():
    bp.add_url_rule(f"/{_list.name}", view_func=_list_view(_list))
    bp.add_url_rule(f"/{_list.name}/<int:record_id>", view_func=_detail_view(_list))


@bp.route("/reviews/due")
@api_token(*READERS)
def reviews_due():
    """List the review dates and action due dates the token's user may see, soonest first.

    The recorded reviews themselves are the `reviews` list at /api/v1/reviews.
    """
    page, per_page, problems = _page_arguments()
    until = None
    raw = request.args.get("due_by", "")
    if raw:
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            problems["due_by"] = "due_by must be a date written YYYY-MM-DD"
    if problems:
        return error_response(400, "Invalid query parameters", problems)
    # NOTE: pages are numbered, so a deep page reads and sorts every dated
    # item before it. The Reviews page continues from an item (review_page).
    items, total = review_items(
        current_user, until=until, offset=(page - 1) * per_page, limit=per_page
    )
    body = [
        {
            "kind": item.kind,
            "record_id": item.record_id,
            "title": item.title,
            "project_name": item.project_name,
            "owner_id": item.owner_id,
            "next_review_on": item.next_review_on.isoformat(),
        }
        for item in items
    ]
    return _page_body(body, page, per_page, total)


@bp.route("/openapi.json")
@api_token(*READERS)
def openapi():
    """Describe the API in OpenAPI 3.0."""
    return openapi_document()


@bp.teardown_request
def forget_token_user(_error: BaseException | None) -> None:
    """Drop the token's user once the response is sent.

    Flask-Login keeps the user in `g`, which belongs to the application
    context. When that context outlives the request (as in a test client
    or a CLI command), the token's user would otherwise stay signed in for
    the next request, where the session timeout then signs it out. The
    audit actor set from the token goes for the same reason.
    """
    g.pop("_login_user", None)
    g.pop("audit_actor", None)


def init_app(app) -> None:
    app.extensions[API_TOKEN_LOADER] = token_user
    app.register_blueprint(bp)
