"""Hostile and random values posted to every form as every role.

No request may end in a server error, and a request that is refused or
sent back with errors must leave every table as it was.
"""

import re
import weakref

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import sign_in, table_snapshot
from tests.test_access import ROLES, changed_tables, endpoint_urls, records  # noqa: F401  (fixture)

# Actions that end or reshape the signed-in session itself.
SKIPPED = {
    "auth.sign_in",
    "auth.sign_out",
    "auth.two_factor",
    "auth.set_up_two_factor",
    "auth.turn_off_two_factor",
}

# Actions that return 200 after a successful POST, because the page shows a
# new secret once, with the tables each may change.
SHOWS_NEW_SECRET = {
    "api_tokens.tokens": frozenset({"api_tokens"}),
    "calendar.create": frozenset({"calendar_feeds"}),
}

HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "30",
    "02",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\r\nSet-Cookie: x=1",
    "%00",
    "../../etc/passwd",
    "javascript:alert(1)",
    "😀" * 50,
    "\u202e",
    " ",
    "",
]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
field_value = st.one_of(values, st.lists(values, min_size=0, max_size=4))


# Field names of each form, read once from the page a DPO sees.
FIELDS: dict[str, list[str]] = {}

# The URLs of each app's forms, built before its first example. Examples
# share one database, so a later example may find a record deleted by an
# earlier one, and building the URLs again would read the deleted record.
URLS: "weakref.WeakKeyDictionary[object, dict[str, str]]" = weakref.WeakKeyDictionary()


def form_fields(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token"}
    return sorted(names) or ["field"]


def discover_fields(client, world, urls: dict[str, str]) -> None:
    if set(urls) <= set(FIELDS):
        return
    sign_in(client, world.dpo)
    for endpoint, url in urls.items():
        FIELDS[endpoint] = form_fields(client, url)
    client.signed_in_as = None


@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_posts(app, client, world, records, role, data):  # noqa: F811
    if app not in URLS:
        URLS[app] = {
            endpoint: url
            for endpoint, (url, methods) in endpoint_urls(app, world, records).items()
            if "POST" in methods and endpoint not in SKIPPED
        }
    urls = URLS[app]
    discover_fields(client, world, urls)
    if getattr(client, "signed_in_as", None) != role:
        sign_in(client, getattr(world, role))
        client.signed_in_as = role
    endpoint = data.draw(st.sampled_from(sorted(urls)), label="endpoint")
    names = FIELDS[endpoint] + ["unexpected_field"]
    form = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, field_value)))
    before = table_snapshot()
    response = client.post(urls[endpoint], data=form)
    assert response.status_code < 500, endpoint
    if response.status_code == 302:
        return
    allowed = frozenset()
    if response.status_code == 200:
        allowed = SHOWS_NEW_SECRET.get(endpoint, frozenset())
    written = changed_tables(before, table_snapshot(), allowed)
    assert not written, (endpoint, response.status_code, sorted(written))
