"""The assessment migration fills the new required columns of existing rows."""

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import text

from core.extensions import db
from tests.test_migrations import fresh_app

ROWS_BEFORE_UPGRADE = [
    "INSERT INTO users (id, email, name, role, password_hash, is_active, session_token, "
    "created_at, updated_at) "
    "VALUES (7, 'lead@example.org', 'Liam Hart', 'lead', 'x', :yes, 'token', :at, :at)",
    "INSERT INTO projects (id, name, description, owning_unit, lead_id, status, "
    "created_at, updated_at) "
    "VALUES (3, 'Dorothy', '', 'MO3', 7, 'active', :at, :at)",
    "INSERT INTO decisions (id, reference, reference_key, title, decision_maker, issuing_body, "
    "summary, link, created_at, updated_at) "
    "VALUES (5, 'PCD 974', 'PCD 974', 'Grant', 'DMPC', 'MOPAC', '', '', :at, :at)",
    "INSERT INTO pbd_assessments (id, project_id, decision_id, title, status, summary, "
    "owner_id, created_at, updated_at) "
    "VALUES (11, 3, 5, 'Old', 'draft', '', 7, :at, :at)",
]


def test_existing_assessment_gets_assessor_and_date(app_config):
    app = fresh_app(app_config)
    with app.app_context():
        upgrade(revision="0001")
        created = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)
        with db.engine.begin() as connection:
            for statement in ROWS_BEFORE_UPGRADE:
                connection.execute(text(statement), {"at": created, "yes": True})

        upgrade()

        with db.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT assessor_id, assessed_on, stage, techniques, is_law_enforcement "
                    "FROM pbd_assessments WHERE id = 11"
                )
            ).one()
        db.engine.dispose()
    assert row.assessor_id == 7
    assert str(row.assessed_on) == "2026-03-14"
    assert row.stage == "design"
    assert not row.is_law_enforcement
