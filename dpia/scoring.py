"""Risk scoring: the likelihood and severity matrix, set by DPIA_RISK_MATRIX.

The ICO sets no formula for the overall risk. The default below is the
matrix commonly reproduced from the ICO's illustration, and a body with its
own risk policy can replace it in instance/config.py.
"""

from flask import current_app

from core.config import ConfigError
from dpia.vocabulary import LIKELIHOODS, RISK_LEVELS, RISK_RANK, SEVERITIES

MATRIX_SETTING = "DPIA_RISK_MATRIX"

# Rows are severities, columns likelihoods.
DEFAULT_MATRIX = {
    "minimal": {"remote": "low", "possible": "low", "probable": "medium"},
    "significant": {"remote": "low", "possible": "medium", "probable": "high"},
    "severe": {"remote": "medium", "possible": "high", "probable": "high"},
}


def check_matrix(matrix) -> None:
    """Raise ConfigError unless `matrix` gives a level for every severity and likelihood."""
    if not isinstance(matrix, dict):
        raise ConfigError(f"{MATRIX_SETTING} must be a mapping of severity to likelihood")
    for severity in SEVERITIES:
        row = matrix.get(severity)
        if not isinstance(row, dict):
            raise ConfigError(f"{MATRIX_SETTING} has no row for severity {severity!r}")
        for likelihood in LIKELIHOODS:
            level = row.get(likelihood)
            if level not in RISK_LEVELS:
                raise ConfigError(
                    f"{MATRIX_SETTING}[{severity!r}][{likelihood!r}] must be one of "
                    f"{', '.join(RISK_LEVELS)}, not {level!r}"
                )


def risk_matrix() -> dict[str, dict[str, str]]:
    return current_app.config[MATRIX_SETTING]


def overall_level(likelihood: str, severity: str) -> str:
    """Return the overall risk level the configured matrix gives."""
    return risk_matrix()[severity][likelihood]


def highest(levels) -> str | None:
    """Return the highest of `levels`, or None when there are none."""
    levels = [level for level in levels if level in RISK_RANK]
    if not levels:
        return None
    return max(levels, key=RISK_RANK.__getitem__)
