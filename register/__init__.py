"""The privacy impact and data-sharing register: the Flask application."""

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from core import config as settings
from core.extensions import csrf, db, limiter, login_manager, migrate
from core.types import render_migration_item

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Build the application.

    Settings come from the defaults, then instance/config.py if present,
    then environment variables, then `config` (used by the tests).
    """
    app = Flask(
        __name__,
        instance_path=os.environ.get("REGISTER_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    settings.load_environment(app)
    if config:
        app.config.from_mapping(config)
    # Flask's own defaults leave SameSite unset and Secure off, so they are set
    # here. Cookies are Secure everywhere but local development and tests.
    app.config["SESSION_COOKIE_SECURE"] = app.config["REGISTER_ENV"] == "production"
    if app.config["SESSION_COOKIE_SAMESITE"] is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if app.config["MAX_CONTENT_LENGTH"] is None:
        # Room for the largest attachment plus the rest of its form.
        app.config["MAX_CONTENT_LENGTH"] = (app.config["REGISTER_ATTACHMENT_MAX_MB"] + 1) << 20
    settings.check(app)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to use the register"
    login_manager.login_message_category = "info"

    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)

    _register_parts(app)
    log.info("register app created env=%s", app.config["REGISTER_ENV"])
    return app


def _register_parts(app: Flask) -> None:
    import dpia
    import sharing
    from core import security
    from core.attachments import views as attachments
    from core.audit import history_of, record_type_of, remember_actor
    from core.audit_views import bp as audit_bp
    from core.auth.views import bp as auth_bp
    from core.errors import register_error_handlers
    from core.policy import check_access
    from core.projects.views import bp as projects_bp
    from register import backup, cli, models, review_views, templating  # noqa: F401
    from register.api import admin as api_admin
    from register.api import views as api_views
    from register.attachments import register_attachment_owners
    from register.dashboard import bp as main_bp
    from register.exports import cli as exports_cli
    from register.exports.views import bp as exports_bp
    from register.imports import views as imports_views
    from register.pages import bp as pages_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(projects_bp)
    dpia.init_app(app)
    sharing.init_app(app)
    app.register_blueprint(main_bp)
    review_views.init_app(app)
    app.register_blueprint(pages_bp)
    app.register_blueprint(audit_bp)
    attachments.init_app(app)
    register_attachment_owners(app)
    app.add_template_global(history_of, "audit_history")
    app.add_template_global(record_type_of, "audit_record_type")
    security.init_app(app)
    app.register_blueprint(exports_bp)
    app.register_blueprint(imports_views.bp)
    app.register_blueprint(api_admin.bp)
    api_views.init_app(app)
    app.before_request(check_access)
    app.before_request(remember_actor)
    register_error_handlers(app)
    templating.init_app(app)
    cli.init_app(app)
    backup.init_app(app)
    app.cli.add_command(exports_cli.data_cli)
    imports_views.init_app(app)
