"""API tokens: each belongs to one user and acts with that user's role and access."""

import hashlib
import secrets
from datetime import datetime

from flask import has_request_context
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import acting_as, set_request_actor
from core.auth.models import User
from core.extensions import db
from core.timeutil import utc_now
from core.types import UTCDateTime

# Marks a string as a register API token, so that leaked tokens are easy to find.
TOKEN_PREFIX = "prt_"  # noqa: S105 (a prefix, not a secret)


def hash_token(token: str) -> str:
    """Return the SHA-256 of a token.

    Tokens are 32 random bytes, so a fast hash is enough because a token
    cannot be recovered from its hash, and a slow password hash would slow
    every API call.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __audit_hidden__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, shown so that people can tell tokens apart.
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, user: User, name: str, created_by: User) -> tuple["ApiToken", str]:
        """Return a new token record and the token itself, which is stored only as a hash."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = cls(
            user=user,
            name=name,
            token_hash=hash_token(token),
            hint=token[: len(TOKEN_PREFIX) + 4],
            created_by=created_by,
        )
        return record, token


def user_for_token(token: str) -> User | None:
    """Return the active user of an unrevoked token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if record is None or record.is_revoked or not record.user.is_active:
        return None
    if has_request_context():
        # The audit entry for last_used_at, and any later change in this
        # request, names the token's user as the actor.
        set_request_actor(record.user)
        record.last_used_at = utc_now()
        db.session.commit()
    else:
        with acting_as(record.user.email):
            record.last_used_at = utc_now()
            db.session.commit()
    return record.user
