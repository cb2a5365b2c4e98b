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
    ("ix_dpias_review_status", "dpias", ["next_review_on", "status"]),
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


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
