"""Store whether each privacy-by-design item is a current action, done or not

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 22:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The flag as dpia.pbd_open_actions.current_action_value defines it, with the
# checklist items of this revision that count only for law-enforcement
# processing written out. It is the open-action flag of revision 0010
# without its condition on the action status.
BACKFILL = """
UPDATE pbd_items SET is_current_action = (
    action <> ''
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
            sa.Column("is_current_action", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(BACKFILL)
    with op.batch_alter_table("pbd_items") as batch_op:
        batch_op.create_index(
            "ix_pbd_items_current_action_due",
            ["is_current_action", "action_due_on", "id", "is_open_action"],
        )


def downgrade():
    with op.batch_alter_table("pbd_items") as batch_op:
        batch_op.drop_index("ix_pbd_items_current_action_due")
        batch_op.drop_column("is_current_action")
