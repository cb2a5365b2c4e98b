"""Reminder and review interval settings are checked when the app starts."""

import pytest

from core.config import ConfigError, reminder_offsets
from register import create_app


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30,7,0", (30, 7, 0)), (" 7 , 30 ", (30, 7)), ("0", (0,)), ([1, 14], (14, 1))],
)
def test_offsets_parsed(value, expected):
    assert reminder_offsets(value) == expected


@pytest.mark.parametrize("value", ["", "seven", "30,-1", ",,"])
def test_offsets_rejected(value):
    with pytest.raises(ConfigError, match="REGISTER_REMINDER_OFFSETS"):
        reminder_offsets(value)


def test_zero_repeat_rejected(app_config):
    with pytest.raises(ConfigError, match="REGISTER_REMINDER_REPEAT_DAYS must be at least 1"):
        create_app(app_config | {"REGISTER_REMINDER_REPEAT_DAYS": 0})


def test_environment_offsets(app_config, monkeypatch):
    monkeypatch.setenv("REGISTER_REMINDER_OFFSETS", "60,14")
    app = create_app(app_config)
    assert app.config["REGISTER_REMINDER_OFFSETS"] == (60, 14)
