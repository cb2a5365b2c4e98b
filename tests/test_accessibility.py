"""Accessibility basics that need no browser: statement, titles, ids and selects."""

import re

import pytest


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)


def test_statement_public(client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Accessibility statement for the privacy impact and data-sharing register" in html
    assert "Known limitations" in html
    assert "What we test and how" in html


def test_statement_linked_from_footer(client, world, login):
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/accessibility"' in sign_in_page
    login(world.dpo)
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in dashboard


def test_footer_without_crown_copyright(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert "govuk-footer__crown" not in html
    assert "govuk-footer__copyright-logo" not in html


def test_form_with_placeholder_select_renders(client, world, login):
    login(world.dpo)
    response = client.get("/dpias/new")
    assert response.status_code == 200
    assert re.search(r'<option value="" selected>\s*Select the project', response.text)


def test_date_input_id_unique(client, world, login):
    login(world.dpo)
    html = client.get("/dpias/new").get_data(as_text=True)
    assert html.count('id="next_review_on"') == 1
    assert 'id="next_review_on-date"' in html


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/decisions/new", "Error: Record a decision - Governing decisions - Privacy register"),
        ("/parties/new", "Error: Record a party - Parties - Privacy register"),
    ],
)
def test_title_prefixed_on_errors(client, world, login, path, title):
    login(world.dpo)
    assert not title_of(client.get(path)).startswith("Error: ")
    assert title_of(client.post(path, data={})) == title


def test_edit_titles_name_record(client, world, login):
    login(world.dpo)
    first = title_of(client.get(f"/decisions/{world.decision.id}/edit"))
    second = title_of(client.get(f"/decisions/{world.other_decision.id}/edit"))
    assert "PCD 974" in first
    assert "PCD 1502" in second


def test_form_posts_to_path_without_fragment(client, world, login):
    login(world.dpo)
    html = client.get(f"/dpias/new?project={world.dorothy.id}").get_data(as_text=True)
    assert f'action="/dpias/new?project={world.dorothy.id}"' in html
