import pytest

from core.config import ConfigError, database_url
from register import create_app


def test_production_requires_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"REGISTER_ENV": "production", "SECRET_KEY": ""})


def test_development_key_generated_once(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"REGISTER_ENV": "development"}).config["SECRET_KEY"]
    second = create_app({"REGISTER_ENV": "development"}).config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert len(first) == 64
    assert first == second
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-0123456789abcdef0123456789")
    app = create_app({"REGISTER_ENV": "production"})
    assert app.config["SECRET_KEY"] == "from-the-environment-0123456789abcdef0123456789"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_database_url_names_psycopg(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url(tmp_path) == expected


def test_database_defaults_to_instance_sqlite(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'register.sqlite3'}"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REGISTER_TIMEZONE", "Europe/Atlantis", "not a known time zone"),
        ("MAIL_PORT", "twenty-five", "MAIL_PORT must be a whole number"),
        ("MAIL_USE_TLS", "perhaps", "MAIL_USE_TLS must be true or false"),
        ("REGISTER_ENV", "staging", "REGISTER_ENV must be"),
    ],
)
def test_bad_settings_rejected(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REGISTER_ENV", "testing")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"SECRET_KEY": "x" * 32})


def test_environment_settings_converted(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "yes")
    monkeypatch.setenv("MAIL_TIMEOUT", "2.5")
    monkeypatch.setenv("REGISTER_TIMEZONE", "UTC")
    app = create_app({"REGISTER_ENV": "testing", "SECRET_KEY": "x" * 32})
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["MAIL_TIMEOUT"] == 2.5
    assert app.config["REGISTER_TIMEZONE"] == "UTC"


def test_instance_config_file_read(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTER_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text('REGISTER_BASE_URL = "https://privacy.example.org"\n')
    app = create_app({"REGISTER_ENV": "testing", "SECRET_KEY": "x" * 32})
    assert app.config["REGISTER_BASE_URL"] == "https://privacy.example.org"
