"""Store whether each privacy-by-design item is a current open action

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 20:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The flag as dpia.pbd_open_actions.open_action_value defines it, with the
# values of this revision written out: the open action statuses, and the
# checklist items that count only for law-enforcement processing.
BACKFILL = """
UPDATE pbd_items SET is_open_action = (
    action <> ''
    AND action_status IN ('open', 'in_progress')
    AND (
        code NOT IN ('purpose_limitation', 'limited_audience', 'logging')
        OR (
            SELECT pbd_assessments.is_law_enforcement FROM pbd_assessments
            WHERE pbd_assessments.id = pbd_items.assessment_id
        )
    )
    AND NOT EXISTS (
        SELECT 1 FROM pbd_assessments AS later_stage
        WHERE later_stage.previous_id = pbd_items.assessment_id
    )
)
"""


def upgrade():
    with op.batch_alter_table("pbd_items") as batch_op:
        batch_op.add_column(
            sa.Column("is_open_action", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(BACKFILL)
    with op.batch_alter_table("pbd_items") as batch_op:
        batch_op.create_index(
            "ix_pbd_items_open_action_due", ["is_open_action", "action_due_on", "id"]
        )


def downgrade():
    with op.batch_alter_table("pbd_items") as batch_op:
        batch_op.drop_index("ix_pbd_items_open_action_due")
        batch_op.drop_column("is_open_action")
