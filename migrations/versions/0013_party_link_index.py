"""Index each party's links with their agreements

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:50:00

"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agreement_parties") as batch_op:
        batch_op.create_index(
            "ix_agreement_parties_party_id_agreement_id", ["party_id", "agreement_id"]
        )


def downgrade():
    with op.batch_alter_table("agreement_parties") as batch_op:
        batch_op.drop_index("ix_agreement_parties_party_id_agreement_id")
