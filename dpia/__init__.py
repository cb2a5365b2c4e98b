"""DPIAs and privacy-by-design assessments."""


def init_app(app) -> None:
    from core.projects.views import add_project_panel
    from core.reviewable import ReviewSource, add_review_source, standard_rows
    from dpia import assessment_views, views  # noqa: F401  (routes register on import)
    from dpia.blueprint import bp
    from dpia.models import Dpia, PbdAssessment
    from dpia.panels import project_panel

    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
    add_review_source(
        app, ReviewSource("dpia", "DPIA", "dpia.dpia", "dpia_id", lambda: standard_rows(Dpia))
    )
    add_review_source(
        app,
        ReviewSource(
            "assessment",
            "Privacy-by-design assessment",
            "dpia.assessment",
            "assessment_id",
            lambda: standard_rows(PbdAssessment),
        ),
    )
