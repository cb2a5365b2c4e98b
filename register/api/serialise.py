"""Records as JSON, read from the mapper so that new columns appear without changes here.

Every column becomes a field (links are the foreign-key ids), and a
many-to-many link becomes a list of ids named `<relationship>_ids`. A child
the record owns (an agreement's parties, a DPIA's screening, its risks and
their measures) is serialised the same way and nested: a list for a
collection, an object or null for a single child.
"""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    TypeDecorator,
    inspect,
)
from sqlalchemy.orm import RelationshipDirection

# Columns never sent out, whichever record contains them.
HIDDEN_COLUMNS = {"password_hash", "session_token", "token_hash"}


def _json_value(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(mapper):
    return [
        attr
        for attr in mapper.column_attrs
        if attr.key not in HIDDEN_COLUMNS and not isinstance(attr.columns[0].type, LargeBinary)
    ]


def _many_to_many(mapper):
    return [
        rel for rel in mapper.relationships if rel.direction is RelationshipDirection.MANYTOMANY
    ]


def _children(mapper):
    return [
        rel
        for rel in mapper.relationships
        if rel.direction is RelationshipDirection.ONETOMANY and "delete-orphan" in rel.cascade
    ]


def serialise(record) -> dict:
    """Return a record's fields, many-to-many ids and owned children as JSON values."""
    mapper = inspect(type(record))
    out = {attr.key: _json_value(getattr(record, attr.key)) for attr in _columns(mapper)}
    for rel in _many_to_many(mapper):
        out[f"{rel.key}_ids"] = sorted(item.id for item in getattr(record, rel.key))
    for rel in _children(mapper):
        value = getattr(record, rel.key)
        if not rel.uselist:
            out[rel.key] = None if value is None else serialise(value)
        else:
            out[rel.key] = [serialise(child) for child in value]
    return out


def _type_schema(kind) -> dict:
    if isinstance(kind, TypeDecorator):
        return _type_schema(kind.impl_instance)
    if isinstance(kind, JSON):
        # A JSON column may contain any JSON value, so its schema sets no type.
        return {}
    if isinstance(kind, Boolean):
        return {"type": "boolean"}
    if isinstance(kind, Integer):
        return {"type": "integer"}
    if isinstance(kind, Numeric) and kind.asdecimal:
        return {"type": "string"}
    if isinstance(kind, Float | Numeric):
        return {"type": "number"}
    if isinstance(kind, DateTime):
        return {"type": "string", "format": "date-time"}
    if isinstance(kind, Date):
        return {"type": "string", "format": "date"}
    schema = {"type": "string"}
    if isinstance(kind, String) and kind.length:
        schema["maxLength"] = kind.length
    return schema


def _column_schema(column) -> dict:
    schema = _type_schema(column.type)
    if column.nullable:
        schema["nullable"] = True
    return schema


def _object_schema(mapper) -> dict:
    properties = {attr.key: _column_schema(attr.columns[0]) for attr in _columns(mapper)}
    for rel in _many_to_many(mapper):
        properties[f"{rel.key}_ids"] = {"type": "array", "items": {"type": "integer"}}
    for rel in _children(mapper):
        child = _object_schema(rel.mapper)
        if rel.uselist:
            properties[rel.key] = {"type": "array", "items": child}
        else:
            properties[rel.key] = child | {"nullable": True}
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
    }


def record_schema(model) -> dict:
    """Return the OpenAPI (3.0) schema of `serialise(record)` for a model."""
    return _object_schema(inspect(model))
