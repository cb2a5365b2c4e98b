"""Lists that page and order in the database, so they hold as the register grows."""

import re
from datetime import date, timedelta
from html import unescape

from core.extensions import db
from dpia.models import Dpia, PbdAssessment
from register.reviews import ItemFilter, ItemKey, review_items, review_page
from sharing.models import Agreement


def add_dated_records(world):
    """Add DPIAs, assessments and agreements on both projects, several sharing a date."""
    offsets = [-40, 5, 5, 120, -3, 5, 60, 0, 5, -40, 300, 9]
    for number, days in enumerate(offsets):
        project, decision, owner = (
            (world.dorothy, world.decision, world.lead)
            if number % 2 == 0
            else (world.kestrel, world.other_decision, world.other_lead)
        )
        due = world.today + timedelta(days=days)
        fields = {"project": project, "decision": decision, "owner": owner, "next_review_on": due}
        if number % 3 == 0:
            record = Dpia(title=f"DPIA {number}", **fields)
        elif number % 3 == 1:
            record = PbdAssessment(
                title=f"Assessment {number}", assessor=owner, assessed_on=world.today, **fields
            )
        else:
            record = Agreement(
                reference=f"ISA-{number}", title=f"Agreement {number}", scope="internal", **fields
            )
        db.session.add(record)
    undated = Dpia(
        title="Undated DPIA", project=world.dorothy, decision=world.decision, owner=world.lead
    )
    db.session.add(undated)
    db.session.commit()


def test_review_pages_match_full_list(world):
    add_dated_records(world)
    for user in (world.dpo, world.lead):
        everything, total = review_items(user)
        assert total == len(everything)
        for offset in range(len(everything) + 2):
            page, page_total = review_items(user, offset=offset, limit=3)
            assert page == everything[offset : offset + 3], (user.email, offset)
            assert page_total == total


def test_review_page_links_walk_the_full_list(world):
    """Following Next from the first page, and Previous from the last, visits every item once."""
    add_dated_records(world)
    for user in (world.dpo, world.lead):
        everything, total = review_items(user)
        for per_page in (1, 2, 3, 5, total, total + 1):
            forward, listing = [], review_page(user, ItemFilter(), per_page)
            while True:
                assert listing.start == len(forward), (user.email, per_page)
                assert listing.total == total
                forward.extend(listing.items)
                if not listing.has_next:
                    break
                after = ItemKey.parse(listing.next_key, {item.kind for item in everything})
                listing = review_page(user, ItemFilter(), per_page, after=after)
            assert forward == everything, (user.email, per_page)

            backward, listing = [], review_page(user, ItemFilter(), per_page, last=True)
            while True:
                backward[:0] = listing.items
                assert listing.start == total - len(backward), (user.email, per_page)
                if not listing.has_previous:
                    break
                before = ItemKey.parse(listing.previous_key, {item.kind for item in everything})
                listing = review_page(user, ItemFilter(), per_page, before=before)
            assert backward == everything, (user.email, per_page)


def test_review_page_after_removed_item(world):
    add_dated_records(world)
    everything, _total = review_items(world.dpo)
    position, removed = next(
        (number, item)
        for number, item in enumerate(everything)
        if number > 2 and item.kind == "dpia"
    )
    db.session.delete(db.session.get(Dpia, removed.record_id))
    db.session.commit()
    listing = review_page(world.dpo, ItemFilter(), 3, after=removed.key)
    assert listing.items == everything[position + 1 : position + 4]
    assert listing.start == position


def test_item_key_parse_round_trip(world):
    key = ItemKey(date(2027, 3, 1), "dpia_measure", 42)
    kinds = {"dpia", "dpia_measure"}
    assert str(key) == "2027-03-01.dpia_measure.42"
    assert ItemKey.parse(str(key), kinds) == key
    for raw in (
        "",
        "2027-03-01.dpia",
        "2027-03-01.unknown.1",
        "2027-02-30.dpia.1",
        "2027-03-01.dpia.-1",
        "2027-03-01.dpia.1.2",
        "20270301.dpia.1",
        "2027-03-01.dpia." + "9" * 19,
        "2027-03-01.dpia.2147483648",
        "2027-03-01.dpia.999999999999999999",
        "\x00.dpia.1",
    ):
        assert ItemKey.parse(raw, kinds) is None, raw


def test_review_items_sorted_and_limited_to_lead(world):
    add_dated_records(world)
    everything, total = review_items(world.dpo)
    own, own_total = review_items(world.lead)
    keys = [(item.next_review_on, item.kind, item.record_id) for item in everything]
    assert keys == sorted(keys)
    assert total == 12
    assert own_total == 6
    assert {item.project_name for item in own} == {"Project Dorothy"}


def test_review_items_until_counts_due_only(world):
    add_dated_records(world)
    due, total = review_items(until=world.today + timedelta(days=5))
    assert total == 8
    assert len(due) == 8
    assert all(item.next_review_on <= world.today + timedelta(days=5) for item in due)


def signed_off_dpia(world, title: str, signed_off_on: date) -> Dpia:
    return Dpia(
        title=title,
        project=world.dorothy,
        decision=world.decision,
        owner=world.lead,
        dpo_advice="Proceed.",
        dpo_advice_on=signed_off_on,
        signed_off_on=signed_off_on,
        approved_on=signed_off_on,
        status="approved",
    )


def test_dashboard_pages_without_total(app, client, login, world):
    add_dated_records(world)
    app.config["REGISTER_PAGE_SIZE"] = 3
    login(world.dpo)
    # Twelve dated items, six to a page.
    first = client.get("/").get_data(as_text=True)
    assert "Page 1" in first
    assert "page=2" in first
    assert "12 records" not in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert "page=1" in second
    assert "page=3" not in second


def test_dashboard_shows_one_page_of_awaiting(app, client, login, world):
    app.config["REGISTER_PAGE_SIZE"] = 2
    for days, title in ((3, "Newest waiting"), (30, "Oldest waiting"), (10, "Middle waiting")):
        db.session.add(signed_off_dpia(world, title, world.today - timedelta(days=days)))
    db.session.commit()
    login(world.dpo)
    text = client.get("/").get_data(as_text=True)
    assert "Oldest waiting" in text
    assert "Middle waiting" in text
    assert "Newest waiting" not in text
    assert "Showing 2 of 3." in text


def test_dashboard_awaiting_has_no_note_when_all_fit(client, login, world):
    db.session.add(signed_off_dpia(world, "Only waiting", world.today))
    db.session.commit()
    login(world.dpo)
    text = client.get("/").get_data(as_text=True)
    assert "Only waiting" in text
    assert "Showing 1 of 1" not in text


def test_dpia_list_puts_undated_last(client, login, world):
    add_dated_records(world)
    login(world.dpo)
    text = client.get("/dpias").get_data(as_text=True)
    # DPIAs 0, 3, 6 and 9 are due in -40, 120, 0 and -40 days.
    order = [text.index(title) for title in ("DPIA 0<", "DPIA 9<", "DPIA 6<", "DPIA 3<")]
    assert order == sorted(order)
    assert text.index("DPIA 3<") < text.index("Undated DPIA")


def test_assessment_pages_split_equal_dates_by_id(app, client, login, world):
    app.config["REGISTER_PAGE_SIZE"] = 1
    due = world.today + timedelta(days=5)
    for number in range(3):
        db.session.add(
            PbdAssessment(
                title=f"Same-day assessment {number}",
                assessor=world.lead,
                assessed_on=world.today,
                project=world.dorothy,
                decision=world.decision,
                owner=world.lead,
                next_review_on=due,
            )
        )
    db.session.commit()
    login(world.dpo)
    for page in (1, 2, 3):
        text = client.get(f"/assessments?page={page}").get_data(as_text=True)
        assert f"Same-day assessment {page - 1}<" in text, page


def test_list_pages_ignore_non_ascii_page_numbers(app, client, login, world):
    """A page number in digits that int() rejects, such as superscript two, gives page one."""
    app.config["REGISTER_PAGE_SIZE"] = 1
    add_dated_records(world)
    login(world.dpo)
    for path in ("/dpias", "/agreements", "/assessments", "/audit", "/projects"):
        for page in ("²", "١"):
            response = client.get(path, query_string={"page": page})
            assert response.status_code == 200, (path, page)
            assert 'aria-current="page">1<' in response.get_data(as_text=True), (path, page)


# Query argument names that url_for takes itself, and whether page links keep them.
# The download links set `name` and `file_format` themselves, so only they drop those.
LINK_ARGUMENT_NAMES = [
    ("endpoint", False),
    ("_method", False),
    ("_anchor", False),
    ("_external", False),
    ("name", True),
    ("file_format", True),
]


def test_list_links_drop_link_argument_names(app, client, login, world):
    """Query arguments named like url_for's arguments break no link and set none of its parts."""
    app.config["REGISTER_PAGE_SIZE"] = 1
    add_dated_records(world)
    login(world.dpo)
    for path in ("/dpias", "/agreements", "/assessments", "/audit", "/projects"):
        for name, kept in LINK_ARGUMENT_NAMES:
            response = client.get(path, query_string={name: "x", "page": "1"})
            assert response.status_code == 200, (path, name)
            html = unescape(response.get_data(as_text=True))
            next_page = re.search(r'href="([^"]+)" rel="next"', html).group(1)
            assert next_page.startswith(f"{path}?"), (path, name)
            assert "page=2" in next_page, (path, name)
            assert (f"{name}=x" in next_page) == kept, (path, name)
            assert "#x" not in html, (path, name)
            csv = re.search(r'href="([^"]+)" download>Download CSV', html).group(1)
            assert csv.startswith("/export/"), (path, name)
            assert f"{name}=x" not in csv, (path, name)
