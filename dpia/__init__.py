"""DPIAs and privacy-by-design assessments."""


def init_app(app) -> None:
    from core.projects.views import add_project_panel
    from core.reviewable import ReviewSource, add_review_source, standard_rows
    from dpia import (  # noqa: F401  (routes register on import)
        assessment_views,
        pbd_item_views,
        pbd_open_actions,
        risk_views,
        screening_views,
        step_views,
        views,
        workflow_views,
    )
    from dpia.blueprint import bp
    from dpia.models import Dpia, PbdAssessment
    from dpia.panels import measure_rows, measures_in_projects, project_panel
    from dpia.pbd_workflow import action_rows, actions_in_projects, is_current_assessment
    from dpia.scoring import DEFAULT_MATRIX, MATRIX_SETTING, check_matrix

    app.config.setdefault(MATRIX_SETTING, DEFAULT_MATRIX)
    check_matrix(app.config[MATRIX_SETTING])
    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
    add_review_source(
        app,
        ReviewSource(
            "dpia",
            "DPIA",
            "dpia.dpia",
            "dpia_id",
            lambda: standard_rows(Dpia).where(Dpia.status != "superseded"),
            risk_level=lambda dpia: dpia.residual_risk or None,
        ),
    )
    add_review_source(
        app,
        ReviewSource(
            "dpia_measure",
            "DPIA measure",
            "dpia.dpia",
            "dpia_id",
            measure_rows,
            in_projects=measures_in_projects,
        ),
    )
    add_review_source(
        app,
        ReviewSource(
            "assessment",
            "Privacy-by-design assessment",
            "dpia.assessment",
            "assessment_id",
            lambda: standard_rows(PbdAssessment).where(is_current_assessment()),
        ),
    )
    add_review_source(
        app,
        ReviewSource(
            "pbd_action",
            "Privacy-by-design action",
            "dpia.assessment",
            "assessment_id",
            action_rows,
            in_projects=actions_in_projects,
        ),
    )
