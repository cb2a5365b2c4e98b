"""The OpenAPI 3.0 description of the read API, built from the list declarations."""

from core.policy import READERS
from register.api.serialise import record_schema
from register.exports.lists import REGISTER_LISTS

PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100000},
    },
    {
        "name": "per_page",
        "in": "query",
        "description": "Records per page, from 1 to 100 (25 when left out)",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
]

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["status", "message"],
        }
    },
    "required": ["error"],
}

REVIEW_ITEM = {
    "type": "object",
    "properties": {
        "kind": {"type": "string"},
        "record_id": {"type": "integer"},
        "title": {"type": "string"},
        "project_name": {"type": "string"},
        "owner_id": {"type": "integer"},
        "next_review_on": {"type": "string", "format": "date"},
    },
    "required": ["kind", "record_id", "title", "project_name", "owner_id", "next_review_on"],
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _page_schema(item_ref: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
        "required": ["items", "page", "per_page", "total", "pages"],
    }


def _json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _filter_parameter(item) -> dict:
    return {
        "name": item.arg,
        "in": "query",
        "description": item.description,
        "schema": item.json_schema(),
    }


def _roles_note(register_list) -> str:
    if set(register_list.roles) == set(READERS):
        return ""
    return f" Open only to tokens of these roles: {', '.join(register_list.roles)}."


def openapi_document() -> dict:
    """Return the OpenAPI document for every list, detail and due-review endpoint."""
    schemas = {"Error": ERROR, "ReviewItem": REVIEW_ITEM}
    paths = {}
    failures = {
        "400": _error_response("A query parameter is invalid"),
        "401": _error_response("The token is missing, unknown or revoked"),
        "403": _error_response("The token's user has no role that may read the register"),
    }
    for register_list in REGISTER_LISTS.values():
        schema_name = register_list.model.__name__
        schemas[schema_name] = record_schema(register_list.model)
        ref = f"#/components/schemas/{schema_name}"
        paths[f"/api/v1/{register_list.name}"] = {
            "get": {
                "operationId": f"list_{register_list.name}",
                "summary": f"List {register_list.title.lower()}",
                "description": f"The rows of the {register_list.name} download, as JSON records."
                + _roles_note(register_list),
                "parameters": PAGE_PARAMETERS
                + [_filter_parameter(item) for item in register_list.filters],
                "responses": {
                    "200": _json_response("One page of records", _page_schema(ref)),
                    **failures,
                },
            }
        }
        paths[f"/api/v1/{register_list.name}/{{record_id}}"] = {
            "get": {
                "operationId": f"get_{register_list.name}",
                "summary": f"One record of {register_list.title.lower()}",
                "parameters": [
                    {
                        "name": "record_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0},
                    }
                ],
                "responses": {
                    "200": _json_response("The record", {"$ref": ref}),
                    "401": failures["401"],
                    "403": failures["403"],
                    "404": _error_response("No such record, or one the user may not see"),
                },
            }
        }
    paths["/api/v1/reviews/due"] = {
        "get": {
            "operationId": "list_reviews_due",
            "summary": "List review dates and action due dates, soonest first",
            "parameters": PAGE_PARAMETERS
            + [
                {
                    "name": "due_by",
                    "in": "query",
                    "description": "Only items due on or before this date (YYYY-MM-DD)",
                    "schema": {"type": "string", "format": "date"},
                }
            ],
            "responses": {
                "200": _json_response(
                    "One page of review items", _page_schema("#/components/schemas/ReviewItem")
                ),
                **failures,
            },
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Privacy register read API",
            "version": "1",
            "description": "Read-only access to the register with a per-user API token.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}],
    }
