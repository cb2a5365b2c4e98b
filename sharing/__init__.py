"""Data-sharing agreements between teams and with other organisations, and processor contracts."""


def init_app(app) -> None:
    from core.projects.views import add_party_panel, add_project_panel
    from core.reviewable import ReviewSource, add_review_source, standard_rows
    from sharing import detail_views, views  # noqa: F401  (routes register on import)
    from sharing.blueprint import bp
    from sharing.choices import PROCESSOR
    from sharing.models import Agreement
    from sharing.panels import party_panel, project_panel

    app.register_blueprint(bp)
    add_project_panel(app, project_panel)
    add_party_panel(app, party_panel)
    title = Agreement.reference + ": " + Agreement.title

    def is_routine(agreement) -> bool:
        return agreement.frequency == "routine"

    add_review_source(
        app,
        ReviewSource(
            "agreement",
            "Data-sharing agreement",
            "sharing.agreement",
            "agreement_id",
            lambda: standard_rows(Agreement, title).where(
                Agreement.relationship_kind != PROCESSOR, Agreement.status != "terminated"
            ),
            review_policy="agreement",
            is_routine=is_routine,
        ),
    )
    add_review_source(
        app,
        ReviewSource(
            "processor_contract",
            "Processor contract",
            "sharing.agreement",
            "agreement_id",
            lambda: standard_rows(Agreement, title).where(
                Agreement.relationship_kind == PROCESSOR, Agreement.status != "terminated"
            ),
            review_policy="agreement",
        ),
    )
