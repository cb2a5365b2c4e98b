"""The register lists that the downloads and the read API serve, by name.

Each area of the register declares its lists in its own module here, and
REGISTER_LISTS is the one registry that the downloads, the API and its
OpenAPI description read.
"""

from register.exports.lists.agreements import AGREEMENTS
from register.exports.lists.assessments import ASSESSMENT_ACTIONS, ASSESSMENT_ITEMS, ASSESSMENTS
from register.exports.lists.audit import AUDIT
from register.exports.lists.base import Column, Filter, RegisterList
from register.exports.lists.dpias import DPIAS, MEASURES, RISKS
from register.exports.lists.projects import DECISIONS, PARTIES, PROJECTS
from register.exports.lists.reviews import REVIEWS

REGISTER_LISTS: dict[str, RegisterList] = {
    item.name: item
    for item in (
        DECISIONS,
        PROJECTS,
        DPIAS,
        RISKS,
        MEASURES,
        ASSESSMENTS,
        ASSESSMENT_ITEMS,
        ASSESSMENT_ACTIONS,
        AGREEMENTS,
        PARTIES,
        REVIEWS,
        AUDIT,
    )
}

__all__ = ["REGISTER_LISTS", "Column", "Filter", "RegisterList"]
