"""The project filter of the list pages: one project by id, or projects by part of their name.

A select of every project would grow with the register, so the pages take
a text input instead. `?project=<id>` still selects one project, as links
from a project's page do, and the input then shows that project's name.
"""

from dataclasses import dataclass

from flask import request
from flask_login import current_user
from sqlalchemy import select

from core.extensions import db
from core.policy import can_view_project
from core.projects.models import Project

# Maximum length of the name text that the filter reads. Longer text is cut to this length.
MAX_NAME_LENGTH = 200

# Largest id the filter accepts: ids are 32-bit integers on PostgreSQL.
MAX_PROJECT_ID = 2**31 - 1


@dataclass(frozen=True)
class ProjectFilter:
    """The project chosen by id, or the text that project names must contain."""

    project: Project | None = None
    name: str = ""

    @property
    def is_set(self) -> bool:
        return self.project is not None or bool(self.name)

    @property
    def shown_name(self) -> str:
        """The text for the filter's input: the chosen project's name, or the text entered."""
        return self.project.name if self.project is not None else self.name

    def condition(self, project_column):
        """Return a condition on `project_column` for this filter, or None when it is not set."""
        if self.project is not None:
            return project_column == self.project.id
        if self.name:
            return project_column.in_(matching_project_ids(self.name))
        return None


def contains_text(column, text: str):
    """Return a condition true where `column` contains `text`, ignoring case.

    LIKE's wildcards in `text` match only themselves.
    """
    # PostgreSQL rejects a NUL character in any text parameter, and no stored
    # text contains one, so it is dropped rather than matched.
    text = text.replace("\x00", "")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def matching_project_ids(text: str):
    """Return a select of the ids of projects whose name contains `text`, ignoring case."""
    return select(Project.id).where(contains_text(Project.name, text))


def project_filter(args=None) -> ProjectFilter:
    """Read the project filter from `args` (the query string by default).

    An id of a project that is missing or hidden from the user is ignored,
    so the page lists what it would list without it.
    """
    args = request.args if args is None else args
    raw_id = args.get("project", "")
    if raw_id.isascii() and raw_id.isdigit() and int(raw_id) <= MAX_PROJECT_ID:
        project = db.session.get(Project, int(raw_id))
        if project is not None and can_view_project(current_user, project):
            return ProjectFilter(project=project)
    return ProjectFilter(name=args.get("project_name", "").strip()[:MAX_NAME_LENGTH])
