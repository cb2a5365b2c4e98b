"""Data-sharing agreements between teams and with other organisations."""


def init_app(app) -> None:
    from core.projects.views import add_project_panel
    from core.reviewable import ReviewSource, add_review_source, standard_rows
    from sharing import views  # noqa: F401  (routes register on import)
    from sharing.blueprint import bp
    from sharing.models import Agreement
    from sharing.panels import project_panel

    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
    add_review_source(
        app,
        ReviewSource(
            "agreement",
            "Data-sharing agreement",
            "sharing.agreement",
            "agreement_id",
            lambda: standard_rows(Agreement, Agreement.reference + ": " + Agreement.title),
            review_policy="agreement",
        ),
    )
