"""Review sources filtered by project give the same items as the full list filtered by hand.

Some sources read their project through a subquery and filter projects on
their own table instead (`in_projects`). The built register has items of
every source, so each filter is checked against every kind.
"""

import pytest
from sqlalchemy import select

from benchmarks.database import build_register
from core.auth.models import Role, User
from core.extensions import db
from core.projects.models import Project
from register.reviews import ItemFilter, review_items


@pytest.fixture
def register(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path / "instance"))
    built = build_register(tmp_path, 300, due=3)
    with built.app.test_request_context():
        yield built
    built.close()


def test_every_source_has_items(register):
    everything, _total = review_items()
    kinds = {item.kind for item in everything}
    assert kinds >= {"dpia", "dpia_measure", "assessment", "pbd_action", "agreement"}
    assert "review_action" in kinds


def test_project_filter_matches_full_list(register):
    everything, _total = review_items()
    kinds = set()
    for project_id in sorted({item.project_id for item in everything}):
        expected = [item for item in everything if item.project_id == project_id]
        found, total = review_items(where=ItemFilter(project_id=project_id))
        assert found == expected, project_id
        assert total == len(expected)
        kinds |= {item.kind for item in found}
    assert kinds >= {"dpia_measure", "pbd_action", "review_action"}


def test_project_name_filter_matches_full_list(register):
    everything, _total = review_items()
    name = db.session.scalar(select(Project.name).order_by(Project.id).limit(1))
    part = name[-3:].upper()
    expected = [item for item in everything if part.lower() in item.project_name.lower()]
    found, total = review_items(where=ItemFilter(project_name=part))
    assert found == expected
    assert total == len(expected)


def test_lead_sees_own_projects_items(register):
    everything, _total = review_items()
    lead = db.session.scalars(select(User).where(User.role == Role.LEAD).order_by(User.id)).first()
    led = set(db.session.scalars(select(Project.id).where(Project.lead_id == lead.id)))
    expected = [item for item in everything if item.project_id in led]
    found, total = review_items(lead)
    assert expected
    assert found == expected
    assert total == len(expected)
