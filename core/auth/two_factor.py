"""Time-based one-time passwords (TOTP) and recovery codes for the second sign-in step."""

import hashlib
import secrets
from datetime import UTC, datetime

import pyotp
from flask import current_app
from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value

from core.auth.models import User
from core.extensions import db

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


def matched_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """Return the 30-second time step whose code `code` is, or None.

    One step of clock drift either way is allowed, so the step may be the
    previous, current or next one.
    """
    code = code.replace(" ", "")
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    generator = pyotp.TOTP(secret)
    now = at or datetime.now(UTC)
    current = generator.timecode(now)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(generator.generate_otp(step), code):
            return step
    return None


def use_totp(user, code: str, at: datetime | None = None) -> bool:
    """Accept a code of `user`'s authenticator app once, and never an earlier one again.

    The step of the accepted code is stored with a conditional UPDATE, so of
    two requests racing with the same code only one succeeds.
    """
    step = matched_step(user.totp_secret, code, at)
    if step is None:
        return False
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


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
    if user.totp_secret and use_totp(user, code):
        return True
    return use_recovery_code(user, code)
