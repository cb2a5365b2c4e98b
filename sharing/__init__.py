"""Data-sharing agreements between teams and with other organisations."""


def init_app(app) -> None:
    from core.projects.views import add_project_panel
    from sharing import views  # noqa: F401  (routes register on import)
    from sharing.blueprint import bp
    from sharing.panels import project_panel

    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
