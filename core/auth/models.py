"""User accounts and their roles."""

import secrets
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from core.extensions import db
from core.locking import VersionedMixin
from core.types import TimestampMixin


class Role(StrEnum):
    ADMIN = "admin"
    DPO = "dpo"
    LEAD = "lead"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.DPO: "Data protection officer",
    Role.LEAD: "Project lead",
    Role.AUDITOR: "Auditor (read only)",
}


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, VersionedMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    # The audit trail notes that these changed, never their values.
    __audit_hidden__ = (
        "password_hash",
        "session_token",
        "totp_secret",
        "recovery_code_hashes",
        "totp_last_step",
    )
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'dpo', 'lead', 'auditor')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the session cookie's identity: replacing it signs the user out
    # everywhere, so a copied cookie stops working after sign-out.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    # Base32 TOTP secret once the user has set up an authenticator app.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # Hashes of the one-time recovery codes not used yet.
    recovery_code_hashes: Mapped[list | None] = mapped_column(JSON)
    # The 30-second TOTP time step of the last code accepted at sign-in. A
    # code of that step or an earlier one is rejected, so it cannot be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    def get_id(self) -> str:
        return self.session_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


def normalise_email(email: str) -> str:
    return email.strip().lower()
