"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from core.extensions import db
from core.types import render_migration_item
from register import create_app


def fresh_app(app_config):
    app = create_app(app_config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
    return app


def test_upgrade_from_empty_matches_models(app_config):
    app = fresh_app(app_config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "render_item": render_migration_item},
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        db.engine.dispose()


def test_downgrade_to_empty_and_back(app_config):
    app = fresh_app(app_config)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert "dpias" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sqlite_enforces_foreign_keys(app, world):
    with db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
