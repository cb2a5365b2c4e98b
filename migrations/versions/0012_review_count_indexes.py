"""Index the columns that the Reviews page counts, so each count reads one index

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
]


# The open-action index gains the owner, so counting open actions reads it alone.
OPEN_ACTION_INDEX = "ix_pbd_items_open_action_due"
OPEN_ACTION_COLUMNS = ["is_open_action", "action_due_on", "id"]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.drop_index(OPEN_ACTION_INDEX, table_name="pbd_items")
    op.create_index(OPEN_ACTION_INDEX, "pbd_items", [*OPEN_ACTION_COLUMNS, "action_owner_id"])


def downgrade():
    op.drop_index(OPEN_ACTION_INDEX, table_name="pbd_items")
    op.create_index(OPEN_ACTION_INDEX, "pbd_items", OPEN_ACTION_COLUMNS)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
