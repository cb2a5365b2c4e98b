"""DPIAs and privacy-by-design assessments."""


def init_app(app) -> None:
    from core.projects.views import add_project_panel
    from dpia import assessment_views, views  # noqa: F401  (routes register on import)
    from dpia.blueprint import bp
    from dpia.panels import project_panel

    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
