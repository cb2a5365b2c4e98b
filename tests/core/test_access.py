"""Every endpoint declares who may use it, and anonymous users are sent to sign in."""

import pytest

# The calendar feed is reached by calendar programs without a session; its
# secret token in the address is what authenticates it.
PUBLIC_ENDPOINTS = {
    "static",
    "auth.sign_in",
    "main.health",
    "calendar.feed",
    "pages.accessibility",
    # The second sign-in step: open only to a session that passed the password step.
    "auth.two_factor",
    "auth.set_up_two_factor",
}


def fill_arguments(rule) -> dict:
    """Return a value for each URL argument: 1, or a listed value of an any() converter."""
    values = {}
    for name in rule.arguments:
        items = getattr(rule._converters[name], "items", None)
        values[name] = sorted(items)[0] if items else 1
    return values


def uses_api_token(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "uses_api_token", False)


def test_every_view_declares_access(app):
    undeclared = []
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        if not getattr(view, "is_public", False) and not getattr(view, "allowed_roles", None):
            undeclared.append(endpoint)
    assert undeclared == []


def test_only_allowlisted_views_are_public(app):
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_public", False)
    }
    assert public <= PUBLIC_ENDPOINTS


def test_anonymous_users_sent_to_sign_in(app, client, world):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = rule.build(fill_arguments(rule))[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if uses_api_token(app, rule):
                # API callers get a status to act on, not a sign-in page.
                assert response.status_code == 401, (method, url)
                checked += 1
                continue
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/sign-in"), (method, url)
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("url", ["/health", "/sign-in"])
def test_public_pages_open(client, world, url):
    assert client.get(url).status_code == 200


def test_view_without_declaration_refused(app, client, login, world):
    @app.route("/undeclared")
    def undeclared():
        return "should never be shown"

    login(world.dpo)
    assert client.get("/undeclared").status_code == 403
