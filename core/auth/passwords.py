"""Password rules: length, variety, and a list of passwords too common to use."""

import functools
from importlib import resources

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, lower-cased."""
    text = resources.files("core.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password_strength(password: str, *, email: str = "", name: str = "") -> str | None:
    """Return what is wrong with a new password, or None when it is acceptable.

    The password is checked exactly as typed: spaces and any Unicode count,
    and nothing is trimmed or normalised.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    if len(set(password)) < 4:
        return "Password must not repeat the same few characters"
    lowered = password.lower()
    if lowered in common_passwords() or lowered.replace(" ", "") in common_passwords():
        return "Password is too common. Choose a longer phrase that is not a well-known password"
    for own in (email.strip().lower(), email.strip().lower().split("@")[0], name.strip().lower()):
        if own and len(own) >= 4 and lowered == own:
            return "Password must not be your email address or name"
    return None
