"""Remember the time step of the last TOTP code accepted at sign-in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("totp_last_step")
