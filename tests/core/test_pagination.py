"""Key-first paging returns the rows plain paging does, and the projects list uses it."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from core.pagination import paginate
from core.projects.models import Project
from tests.conftest import counted_queries


def add_projects(world, count: int) -> None:
    """Add projects named out of id order, led in turn by the two leads, some with decisions."""
    for number in range(count):
        lead = world.lead if number % 2 == 0 else world.other_lead
        decisions = [world.decision] if number % 3 == 0 else []
        db.session.add(
            Project(
                name=f"Project {(number * 7) % count:02d}",
                owning_unit="Unit",
                lead=lead,
                decisions=decisions,
            )
        )
    db.session.commit()


def projects_query():
    return (
        select(Project)
        .order_by(Project.name)
        .options(joinedload(Project.lead), selectinload(Project.decisions))
    )


@pytest.mark.parametrize("page", ["1", "2", "4", "5", "99", "abc"])
def test_key_first_page_matches_plain_page(app, world, page):
    add_projects(world, 11)
    app.config["REGISTER_PAGE_SIZE"] = 3
    with app.test_request_context(f"/projects?page={page}"):
        plain = paginate(projects_query())
        key_first = paginate(projects_query(), key=Project.id)
    assert [project.id for project in key_first.items] == [project.id for project in plain.items]
    assert key_first.page == plain.page
    assert key_first.pages == plain.pages
    assert key_first.total == plain.total == 13
    leads = [project.lead.name for project in key_first.items]
    assert leads == [project.lead.name for project in plain.items]
    decisions = [len(project.decisions) for project in key_first.items]
    assert decisions == [len(project.decisions) for project in plain.items]


def test_key_first_page_keeps_query_filter(app, world):
    add_projects(world, 11)
    app.config["REGISTER_PAGE_SIZE"] = 4
    query = projects_query().where(Project.lead_id == world.lead.id)
    names = []
    for number in (1, 2):
        with app.test_request_context(f"/projects?page={number}"):
            page = paginate(query, key=Project.id)
        assert page.total == 7
        names += [project.name for project in page.items]
    expected = db.session.scalars(query.with_only_columns(Project.name)).all()
    assert names == expected


def test_projects_list_walks_every_project_once(app, client, login, world):
    add_projects(world, 11)
    app.config["REGISTER_PAGE_SIZE"] = 4
    login(world.dpo)
    names_shown = []
    for number in (1, 2, 3, 4):
        html = client.get(f"/projects?page={number}").get_data(as_text=True)
        names_shown += re.findall(r'/projects/\d+">([^<]+)</a>', html)
    assert names_shown == sorted(project.name for project in db.session.scalars(select(Project)))


def test_projects_list_pages_before_joining(client, login, world):
    login(world.dpo)
    with counted_queries() as statements:
        response = client.get("/projects?page=1")
    assert response.status_code == 200
    loads = [statement for statement in statements if "LEFT OUTER JOIN users" in statement]
    assert len(loads) == 1
    # The LIMIT sits in the subquery of project ids, so the lead is joined
    # to the page's rows only, not to every row that a deep page skips.
    assert re.search(r"JOIN \(SELECT projects\.id AS id\s+FROM projects .*LIMIT", loads[0], re.S)
