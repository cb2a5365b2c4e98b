"""Sessions and sign-in: copied cookies, timeouts, throttling, passwords, next."""

import re
import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from core.auth import two_factor as totp
from core.auth.models import User
from core.auth.views import safe_next
from core.extensions import db
from core.timeutil import utc_now
from tests.conftest import PASSWORD, sign_in, table_snapshot


def copied_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """Return the dashboard response for a second browser holding a copied cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/")


def test_copied_cookie_works_while_signed_in(app, login, world):
    client = login(world.lead)
    assert replay(app, copied_cookie(client)).status_code == 200


def test_copied_cookie_dead_after_sign_out(app, login, world):
    client = login(world.lead)
    cookie = copied_cookie(client)
    client.post("/sign-out")
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_copied_cookie_dead_after_password_change(app, login, world):
    client = login(world.lead)
    cookie = copied_cookie(client)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a quiet river at dawn",
            "confirm_password": "a quiet river at dawn",
        },
    )
    assert response.status_code == 302
    assert replay(app, cookie).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "change", [{"role": "auditor"}, {"is_active": ""}], ids=["role change", "deactivation"]
)
def test_copied_cookie_dead_after_admin_change(app, client, world, change):
    sign_in(client, world.lead)
    cookie = copied_cookie(client)
    admin = app.test_client()
    sign_in(admin, world.admin)
    data = {
        "email": world.lead.email,
        "name": world.lead.name,
        "role": "lead",
        "is_active": "y",
        "record_version": str(world.lead.version_id),
    }
    data.update(change)
    assert admin.post(f"/users/{world.lead.id}/edit", data=data).status_code == 302
    assert replay(app, cookie).status_code == 302


def test_cookie_flags(app, client, world):
    response = client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires" not in cookie


def test_secure_cookie_in_production(make_app):
    production = make_app(REGISTER_ENV="production", SECRET_KEY="k" * 40)
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_new_session_and_csrf_token_at_sign_in(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "attacker's value"
        before_token = session.get("csrf_token")
    assert before_token
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/sign-in", data={"email": world.dpo.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before_token


@pytest.mark.parametrize(
    ("key", "age"),
    [("seen_at", timedelta(minutes=31)), ("signed_in_at", timedelta(hours=13))],
    ids=["idle", "absolute"],
)
def test_session_times_out(login, world, key, age):
    client = login(world.lead)
    with client.session_transaction() as session:
        session[key] = (utc_now() - age).isoformat()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/").status_code == 302


def test_session_timeout_configurable(app, login, world):
    app.config["REGISTER_SESSION_IDLE_MINUTES"] = 120
    client = login(world.lead)
    with client.session_transaction() as session:
        session["seen_at"] = (utc_now() - timedelta(minutes=31)).isoformat()
    assert client.get("/").status_code == 200


def test_unknown_user_and_wrong_password_look_alike(client, world):
    wrong = client.post("/sign-in", data={"email": world.dpo.email, "password": "not the one!"})
    unknown = client.post(
        "/sign-in", data={"email": "nobody@example.org", "password": "not the one!"}
    )
    assert wrong.status_code == unknown.status_code == 200

    def page(response, email):
        text = response.get_data(as_text=True).replace(email, "EMAIL")
        return re.sub(r'nonce="[^"]+"', "", text)

    assert page(wrong, world.dpo.email) == page(unknown, "nobody@example.org")


def test_deactivated_account_looks_like_wrong_password(client, world):
    world.lead.is_active = False
    db.session.commit()
    response = client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_failed_sign_in_logged_without_password(client, world, caplog):
    client.post("/sign-in", data={"email": world.dpo.email, "password": "s3cret-guess\nFAKE"})
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "rejected sign-in" in messages
    assert "s3cret-guess" not in messages


def test_throttled_per_account(app, client, world):
    app.config["REGISTER_SIGN_IN_ACCOUNT_LIMIT"] = "3 per hour"
    for _ in range(3):
        client.post("/sign-in", data={"email": world.dpo.email, "password": "wrong guess!"})
    response = client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    assert response.status_code == 429
    # Another account from the same address is not locked out.
    assert sign_in(client, world.lead).status_code == 302


def test_throttled_per_address(app, client, world):
    app.config["REGISTER_SIGN_IN_ADDRESS_LIMIT"] = "3 per hour"
    for number in range(3):
        client.post("/sign-in", data={"email": f"guess{number}@example.org", "password": "x"})
    response = client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    assert response.status_code == 429
    other_address = client.post(
        "/sign-in",
        data={"email": world.dpo.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.99"},
    )
    assert other_address.status_code == 302


def test_successful_sign_ins_not_throttled(app, client, world):
    app.config["REGISTER_SIGN_IN_ACCOUNT_LIMIT"] = "2 per hour"
    for _ in range(4):
        assert sign_in(client, world.dpo).status_code == 302


PASSWORD_CASES = {
    "too short": ("eleven char", "Password must be 12 characters or more"),
    "common": ("password1234", "Password is too common"),
    "common with spaces": ("Password 1234", "Password is too common"),
    "same characters": ("aaaaaaaaaaaaaaaa", "must not repeat"),
}


@pytest.mark.parametrize("case", PASSWORD_CASES)
def test_weak_new_password_refused(login, world, case):
    password, message = PASSWORD_CASES[case]
    client = login(world.lead)
    before = table_snapshot()
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": password,
            "confirm_password": password,
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert table_snapshot() == before


def test_password_change_needs_current_password(login, world):
    client = login(world.lead)
    before = table_snapshot()
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": "a quiet river at dawn",
            "confirm_password": "a quiet river at dawn",
        },
    )
    assert "Current password is not correct" in response.get_data(as_text=True)
    assert table_snapshot() == before


def test_unicode_passphrase_kept_as_typed(app, login, world):
    passphrase = "  Größe über Brücken, 東京 🚲  "
    client = login(world.lead)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": passphrase,
            "confirm_password": passphrase,
        },
    )
    assert response.status_code == 302
    client.post("/sign-out")
    response = client.post("/sign-in", data={"email": world.lead.email, "password": passphrase})
    assert response.status_code == 302
    client.post("/sign-out")
    trimmed = client.post(
        "/sign-in", data={"email": world.lead.email, "password": passphrase.strip()}
    )
    assert trimmed.status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%252F%252Fevil.example",
        "javascript:alert(1)",
        "/\tevil",
        "///evil.example",
        "",
    ],
)
def test_next_rejects_other_hosts(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/dpias/3", "/audit?action=create&page=2"])
def test_next_accepts_local_paths(target):
    assert safe_next(target) == target


def test_sign_in_follows_local_next(client, world):
    response = client.post(
        "/sign-in?next=/dpias", data={"email": world.dpo.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/dpias"


def test_sign_in_ignores_encoded_next(client, world):
    response = client.post(
        "/sign-in?next=%2F%252F%252Fevil.example",
        data={"email": world.dpo.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


# Two-factor sign-in


def set_up_totp(client) -> str:
    """Set up TOTP for the signed-in or half-signed-in user; return the secret."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = page.split("<code>")[1].split("</code>")[0]
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert "Your recovery codes" in response.get_data(as_text=True)
    return secret, response.get_data(as_text=True)


def test_dpo_must_set_up_second_factor(app, client, world):
    app.config["REGISTER_TWO_FACTOR_ROLES"] = "admin,dpo"
    response = client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account/two-factor"
    assert client.get("/").status_code == 302
    set_up_totp(client)
    assert client.get("/").status_code == 200
    assert db.session.get(User, world.dpo.id).totp_secret


def test_second_factor_needed_at_sign_in(app, login, world):
    client = login(world.lead)
    secret, _ = set_up_totp(client)
    client.post("/sign-out")
    response = client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/").status_code == 302
    wrong = client.post("/sign-in/code", data={"code": "000000"})
    assert "Enter a correct code" in wrong.get_data(as_text=True)
    # The code that set the app up is spent, so sign in with the next step's.
    right = client.post("/sign-in/code", data={"code": next_code(secret)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_setup_code_refused_at_sign_in(app, login, world):
    client = login(world.lead)
    secret, _ = set_up_totp(client)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    replay = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert "Enter a correct code" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_totp_code_refused_second_time(app, login, world):
    client = login(world.lead)
    secret, _ = set_up_totp(client)
    code = next_code(secret)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    client.post("/sign-out")
    client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    replay = client.post("/sign-in/code", data={"code": code})
    assert "Enter a correct code" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_earlier_totp_step_refused(app, world):
    secret = pyotp.random_base32()
    user = db.session.get(User, world.lead.id)
    user.totp_secret = secret
    db.session.commit()
    now = datetime.now(UTC)
    later = pyotp.TOTP(secret).at(now + timedelta(seconds=30))
    earlier = pyotp.TOTP(secret).at(now - timedelta(seconds=30))
    assert totp.use_totp(user, later, at=now)
    assert not totp.use_totp(user, earlier, at=now)
    assert not totp.use_totp(user, later, at=now)
    db.session.commit()
    assert db.session.get(User, world.lead.id).totp_last_step == pyotp.TOTP(secret).timecode(
        now + timedelta(seconds=30)
    )


def test_recovery_code_works_once(app, login, world):
    client = login(world.lead)
    _, page = set_up_totp(client)
    code = page.split("<li><code>")[1].split("</code>")[0]
    for expected in (302, 200):
        client.post("/sign-out")
        client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
        response = client.post("/sign-in/code", data={"code": code})
        assert response.status_code == expected


def test_pending_user_cannot_replace_second_factor(app, login, world):
    client = login(world.lead)
    set_up_totp(client)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    before = table_snapshot()
    response = client.get("/account/two-factor")
    assert response.headers["Location"] == "/sign-in/code"
    assert client.post("/account/two-factor", data={"code": "123456"}).status_code == 302
    assert table_snapshot() == before


def test_required_second_factor_cannot_be_turned_off(app, client, world):
    app.config["REGISTER_TWO_FACTOR_ROLES"] = "dpo"
    client.post("/sign-in", data={"email": world.dpo.email, "password": PASSWORD})
    set_up_totp(client)
    assert client.post("/account/two-factor/turn-off").status_code == 403
    user = db.session.scalar(select(User).where(User.id == world.dpo.id))
    assert user.totp_secret


def test_admin_resets_second_factor(app, client, world):
    sign_in(client, world.lead)
    set_up_totp(client)
    admin = app.test_client()
    sign_in(admin, world.admin)
    lead = db.session.get(User, world.lead.id)
    response = admin.post(
        f"/users/{lead.id}/edit",
        data={
            "email": lead.email,
            "name": lead.name,
            "role": "lead",
            "is_active": "y",
            "reset_two_factor": "y",
            "record_version": str(lead.version_id),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.lead.id).totp_secret is None
    assert client.get("/").status_code == 302
