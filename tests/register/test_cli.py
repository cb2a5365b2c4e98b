from sqlalchemy import select

from core.auth.models import User
from core.extensions import db


def test_create_user_from_stdin(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Ana@Example.org",
            "--name",
            "Ana Lee",
            "--role",
            "dpo",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.role == "dpo"
    assert user.check_password("a long enough passphrase")


def test_create_user_prompts_for_password(runner, app):
    result = runner.invoke(
        args=["users", "create", "bo@example.org", "--name", "Bo", "--role", "lead"],
        input="another long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "bo@example.org")) is not None


def test_create_user_rejects_weak_password_and_duplicates(runner, app):
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "c@example.org",
            "--name",
            "C",
            "--role",
            "lead",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert weak.exit_code != 0
    assert "Password must be 12 characters or more" in weak.output
    assert db.session.scalar(select(User).where(User.email == "c@example.org")) is None
    first = runner.invoke(
        args=[
            "users",
            "create",
            "d@example.org",
            "--name",
            "D",
            "--role",
            "lead",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert first.exit_code == 0
    again = runner.invoke(
        args=[
            "users",
            "create",
            "D@example.org",
            "--name",
            "D",
            "--role",
            "lead",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_create_user_rejects_unknown_role(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "e@example.org",
            "--name",
            "E",
            "--role",
            "root",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 2
    assert db.session.scalar(select(User).where(User.email == "e@example.org")) is None


def test_demo_load_into_empty_register_only(runner, app):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "dpo@example.org" in first.output
    assert "password for each: demo-password-2026" in first.output
    users = db.session.query(User).count()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code != 0
    assert "only loaded into an empty register" in second.output
    skipped = runner.invoke(args=["demo", "load", "--if-empty"])
    assert skipped.exit_code == 0
    assert "nothing was loaded" in skipped.output
    assert db.session.query(User).count() == users


def test_demo_data_tells_dorothy_story(runner, app):
    from core.projects.models import Decision, Party, Project
    from dpia.models import Dpia, PbdAssessment
    from sharing.models import Agreement

    runner.invoke(args=["demo", "load"])
    decision = db.session.scalar(select(Decision).where(Decision.reference_key == "PCD 974"))
    assert decision.title == "Grant Funding Project Dorothy 2020/21"
    assert decision.signed_on is None
    assert "£569,000" in decision.summary
    dorothy = db.session.scalar(select(Project).where(Project.name == "Project Dorothy"))
    assert decision in dorothy.decisions
    names = set(db.session.scalars(select(Party.name)))
    assert {
        "MO3 supervisors",
        "MO3 intelligence",
        "MO3 operational teams",
        "Crown Prosecution Service",
    } <= names
    completed = db.session.scalars(select(Dpia).where(Dpia.project_id == dorothy.id)).all()
    assert any(d.confirmed_at is not None for d in completed)
    assert db.session.query(PbdAssessment).count() >= 1
    scopes = set(db.session.scalars(select(Agreement.scope)))
    assert scopes == {"internal", "external"}
