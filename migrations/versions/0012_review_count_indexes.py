"""Index the columns that the Reviews page and the dashboard count, so each count reads one index

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:45:00

"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_dpias_review_status", "dpias", ["next_review_on", "id", "status"]),
    (
        "ix_agreements_review_kind_status",
        "agreements",
        ["next_review_on", "relationship_kind", "status"],
    ),
    (
        "ix_dpia_measures_due_status_owner",
        "dpia_measures",
        ["due_on", "status", "owner_id", "risk_id"],
    ),
    ("ix_review_actions_due_open", "review_actions", ["due_on", "completed_on"]),
    (
        "ix_agreements_status_scope",
        "agreements",
        ["status", "scope", "end_on", "relationship_kind"],
    ),
]


# Indexes that gain leading or trailing columns, as (name, table, old columns, new columns).
# The open-action index gains the owner, so counting open actions reads it
# alone. The dashboard's DPIAs awaiting confirmation are found by status
# first, where unconfirmed DPIAs of every status matched before.
WIDENED = [
    (
        "ix_pbd_items_open_action_due",
        "pbd_items",
        ["is_open_action", "action_due_on", "id"],
        ["is_open_action", "action_due_on", "id", "action_owner_id"],
    ),
    (
        "ix_dpias_awaiting_confirmation",
        "dpias",
        ["confirmed_at", "signed_off_on"],
        ["status", "confirmed_at", "approved_on", "signed_off_on"],
    ),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, _old, new in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, new)


def downgrade():
    for name, table, old, _new in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, old)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
