"""Time-based one-time passwords (TOTP) and recovery codes for the second sign-in step."""

import hashlib
import secrets

import pyotp
from flask import current_app

RECOVERY_CODE_COUNT = 10
ISSUER = "Privacy register"


def required_for(user) -> bool:
    """Return whether `user`'s role must use a second factor (REGISTER_TWO_FACTOR_ROLES)."""
    roles = {role.strip() for role in current_app.config["REGISTER_TWO_FACTOR_ROLES"].split(",")}
    return user.role in roles


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def verify_totp(secret: str, code: str) -> bool:
    """Check a 6-digit code, allowing one 30-second step of clock drift either way."""
    code = code.replace(" ", "")
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    # NOTE: a code stays usable for its whole window, so one seen by an
    # onlooker could be replayed within about a minute.
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def _hash_code(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Return (codes to show once, their hashes to store)."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes, [_hash_code(code) for code in codes]


def use_recovery_code(user, code: str) -> bool:
    """Accept an unused recovery code of `user` and strike it off; False otherwise."""
    hashes = list(user.recovery_code_hashes or [])
    digest = _hash_code(code)
    for stored in hashes:
        if secrets.compare_digest(stored, digest):
            hashes.remove(stored)
            user.recovery_code_hashes = hashes
            return True
    return False


def check_code(user, code: str) -> bool:
    """Accept a current TOTP code or an unused recovery code."""
    if user.totp_secret and verify_totp(user.totp_secret, code):
        return True
    return use_recovery_code(user, code)
