"""Settings: defaults, then instance/config.py, then environment variables.

Every setting named here can be set by an environment variable of the same
name. The README lists each one with its unit and default.
"""

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULTS = {
    "REGISTER_ENV": "production",
    "REGISTER_BASE_URL": "http://127.0.0.1:5000",
    "REGISTER_TIMEZONE": "Europe/London",
    "REGISTER_DPO_MAILBOX": "",
    "REGISTER_REMINDER_DAYS": 30,
    # Days before the due date on which reminders go out; 0 is the due date.
    "REGISTER_REMINDER_OFFSETS": "30,7,0",
    # Days between overdue reminders, the first one this many days after the due date.
    "REGISTER_REMINDER_REPEAT_DAYS": 7,
    # Minutes after which a reminder claimed by a run that never finished may be claimed again.
    "REGISTER_REMINDER_CLAIM_MINUTES": 60,
    # Default months from a review to the next one, by residual risk level.
    "REGISTER_REVIEW_MONTHS_HIGH": 6,
    "REGISTER_REVIEW_MONTHS_MEDIUM": 12,
    "REGISTER_REVIEW_MONTHS_LOW": 24,
    "REGISTER_REVIEW_MONTHS_DEFAULT": 12,
    "REGISTER_AGREEMENT_MAX_REVIEW_MONTHS": 12,
    "REGISTER_AGREEMENT_FIRST_REVIEW_MONTHS": 6,
    "REGISTER_PAGE_SIZE": 25,
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_DEFAULT_SENDER": "privacy-register@localhost",
    "MAIL_TIMEOUT": 10.0,
    "REGISTER_SESSION_IDLE_MINUTES": 30,
    "REGISTER_SESSION_MAX_HOURS": 12,
    "REGISTER_TRUSTED_HOSTS": "",
    "REGISTER_PROXY_COUNT": 0,
    "REGISTER_SIGN_IN_ACCOUNT_LIMIT": "5 per 15 minutes",
    "REGISTER_SIGN_IN_ADDRESS_LIMIT": "30 per 15 minutes",
    "RATELIMIT_STORAGE_URI": "memory://",
    "REGISTER_TWO_FACTOR_ROLES": "admin,dpo",
    "REGISTER_ATTACHMENT_DIR": "",
    "REGISTER_ATTACHMENT_MAX_MB": 20,
}

MIN_SECRET_KEY_LENGTH = 32
WEAK_SECRET_KEYS = {"dev", "secret", "changeme", "change-me", "development", "test"}

BOOLEAN_WORDS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
    "": False,
}


class ConfigError(RuntimeError):
    """The configuration cannot be used. The message names the setting."""


def _convert(name: str, raw: str, default):
    if isinstance(default, bool):
        try:
            return BOOLEAN_WORDS[raw.strip().lower()]
        except KeyError:
            raise ConfigError(f"{name} must be true or false, not {raw!r}") from None
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    return raw


def database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'register.sqlite3'}"
    # psycopg 3 is the PostgreSQL driver; plain URLs name the older psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_environment(app) -> None:
    """Copy the settings listed in DEFAULTS from the environment into `app.config`."""
    for name, default in DEFAULTS.items():
        if name in os.environ:
            app.config[name] = _convert(name, os.environ[name], default)
    if "SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if "SQLALCHEMY_DATABASE_URI" not in app.config or "DATABASE_URL" in os.environ:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(Path(app.instance_path))


def development_secret_key(instance_path: Path) -> str:
    """Return the development key kept in the instance folder, made once."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def check(app) -> None:
    """Reject a configuration the register cannot run safely with."""
    config = app.config
    if config["REGISTER_ENV"] not in ("production", "development", "testing"):
        raise ConfigError(
            "REGISTER_ENV must be production, development or testing, "
            f"not {config['REGISTER_ENV']!r}"
        )
    if not config.get("SECRET_KEY"):
        if config["REGISTER_ENV"] == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value, for example the "
                "output of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        config["SECRET_KEY"] = development_secret_key(Path(app.instance_path))
    try:
        ZoneInfo(config["REGISTER_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"REGISTER_TIMEZONE {config['REGISTER_TIMEZONE']!r} is not a known time zone; "
            "use a name such as Europe/London"
        ) from None
    if config["REGISTER_PAGE_SIZE"] < 1:
        raise ConfigError("REGISTER_PAGE_SIZE must be at least 1")
    config["REGISTER_REMINDER_OFFSETS"] = reminder_offsets(config["REGISTER_REMINDER_OFFSETS"])
    for name in (
        "REGISTER_REMINDER_REPEAT_DAYS",
        "REGISTER_REMINDER_CLAIM_MINUTES",
        "REGISTER_REVIEW_MONTHS_HIGH",
        "REGISTER_REVIEW_MONTHS_MEDIUM",
        "REGISTER_REVIEW_MONTHS_LOW",
        "REGISTER_REVIEW_MONTHS_DEFAULT",
        "REGISTER_AGREEMENT_MAX_REVIEW_MONTHS",
        "REGISTER_AGREEMENT_FIRST_REVIEW_MONTHS",
    ):
        if config[name] < 1:
            raise ConfigError(f"{name} must be at least 1, not {config[name]!r}")
    for name in ("REGISTER_SESSION_IDLE_MINUTES", "REGISTER_SESSION_MAX_HOURS"):
        if config[name] < 1:
            raise ConfigError(f"{name} must be at least 1")
    if config["REGISTER_ENV"] == "production":
        check_production(config)


def reminder_offsets(value) -> tuple[int, ...]:
    """Parse reminder offsets such as "30,7,0" into whole days, largest first."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        offsets = {int(str(part).strip()) for part in parts if str(part).strip()}
    except ValueError:
        raise ConfigError(
            f"REGISTER_REMINDER_OFFSETS must be whole numbers of days separated by commas, "
            f"such as 30,7,0, not {value!r}"
        ) from None
    if not offsets or min(offsets) < 0:
        raise ConfigError(
            f"REGISTER_REMINDER_OFFSETS needs at least one number of days, none negative, "
            f"not {value!r}"
        )
    return tuple(sorted(offsets, reverse=True))


def check_production(config) -> None:
    """Reject settings that are fine on a laptop and unsafe on a server."""
    if config.get("DEBUG"):
        raise ConfigError("Debug mode must be off in production; unset FLASK_DEBUG")
    key = str(config["SECRET_KEY"])
    if len(key) < MIN_SECRET_KEY_LENGTH or key.lower() in WEAK_SECRET_KEYS:
        raise ConfigError(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters, "
            "for example the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        raise ConfigError("SESSION_COOKIE_SECURE must be on in production, so cookies need HTTPS")
    if not config.get("SESSION_COOKIE_HTTPONLY"):
        raise ConfigError("SESSION_COOKIE_HTTPONLY must be on in production")
    if str(config.get("SESSION_COOKIE_SAMESITE")).lower() not in ("lax", "strict"):
        raise ConfigError("SESSION_COOKIE_SAMESITE must be Lax or Strict in production")
