import pytest
from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from tests.conftest import PASSWORD, sign_in


def test_sign_in_and_out(client, world):
    response = sign_in(client, world.dpo)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_unknown_email_and_wrong_password_look_alike(client, world):
    wrong_password = client.post(
        "/sign-in", data={"email": world.dpo.email, "password": "not the password"}
    )
    unknown_email = client.post(
        "/sign-in", data={"email": "nobody@example.org", "password": "not the password"}
    )
    message = "Enter a correct email address and password"
    assert wrong_password.status_code == 200
    assert unknown_email.status_code == 200
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)


def test_sign_in_email_case_ignored(client, world):
    response = client.post("/sign-in", data={"email": "DPO@Example.org ", "password": PASSWORD})
    assert response.status_code == 302


def test_deactivated_account_cannot_sign_in(client, world):
    world.lead.is_active = False
    db.session.commit()
    response = sign_in(client, world.lead)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_sign_in_empty_fields_show_errors(client, world):
    response = client.post("/sign-in", data={})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your email address" in text
    assert "Enter your password" in text
    assert "<title>Error: Sign in" in text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dpias", "/dpias"),
        ("/projects?page=2", "/projects?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("/%2fevil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
        ("/%5cevil.example", "/"),
        (" //evil.example", "/"),
    ],
)
def test_next_only_local_paths(client, world, target, expected):
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": world.dpo.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_cookie_replayed_after_sign_out_is_anonymous(app, world):
    first = app.test_client()
    sign_in(first, world.dpo)
    cookie = first.get_cookie("session")
    assert cookie is not None
    first.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    response = thief.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_anonymous_sent_to_sign_in_with_next(client, world):
    response = client.get("/dpias?page=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/dpias?page%3D1"


def test_admin_creates_account(client, login, world):
    login(world.admin)
    response = client.post(
        "/users/new",
        data={
            "email": "New.Person@Example.org",
            "name": "New Person",
            "role": "lead",
            "password": "a long enough passphrase",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user is not None
    assert user.role == "lead"
    assert user.check_password("a long enough passphrase")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "", "name": "X", "role": "lead", "password": "a long enough passphrase"},
            "Enter the email address",
        ),
        (
            {
                "email": "not-an-email",
                "name": "X",
                "role": "lead",
                "password": "a long enough pass",
            },
            "Enter an email address in the correct format",
        ),
        (
            {
                "email": "dpo@example.org",
                "name": "X",
                "role": "lead",
                "password": "a long enough pass",
            },
            "An account with this email address already exists",
        ),
        (
            {"email": "n@example.org", "name": "X", "role": "lead", "password": "short"},
            "Password must be 12 characters or more",
        ),
        (
            {
                "email": "n@example.org",
                "name": "X",
                "role": "superuser",
                "password": "long enough pass",
            },
            "Select a role",
        ),
        (
            {"email": "n@example.org", "name": "", "role": "lead", "password": "long enough pass"},
            "Enter the person&#39;s full name",
        ),
        (
            {"email": "n@example.org", "name": "X", "role": "lead", "password": ""},
            "Enter a password for the new account",
        ),
    ],
)
def test_account_form_rejects_bad_input(client, login, world, data, message):
    login(world.admin)
    before = db.session.query(User).count()
    response = client.post("/users/new", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in text
    assert db.session.query(User).count() == before
    if data["email"]:
        assert f'value="{data["email"]}"' in text


def test_role_change_ends_sessions(app, world):
    lead_client = app.test_client()
    sign_in(lead_client, world.lead)
    assert lead_client.get("/").status_code == 200
    admin_client = app.test_client()
    sign_in(admin_client, world.admin)
    response = admin_client.post(
        f"/users/{world.lead.id}/edit",
        data={
            "email": world.lead.email,
            "name": world.lead.name,
            "role": "auditor",
            "password": "",
            "is_active": "y",
            "record_version": str(world.lead.version_id),
        },
    )
    assert response.status_code == 302
    assert lead_client.get("/").status_code == 302


@pytest.mark.parametrize("role", ["dpo", "lead", "auditor"])
def test_only_admin_manages_accounts(client, login, world, role):
    login(getattr(world, {"dpo": "dpo", "lead": "lead", "auditor": "auditor"}[role]))
    assert client.get("/users").status_code == 403
    response = client.post(
        "/users/new",
        data={
            "email": "x@example.org",
            "name": "X",
            "role": "admin",
            "password": "long enough pass",
        },
    )
    assert response.status_code == 403
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None
