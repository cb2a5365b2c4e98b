"""The single place where every import is recorded."""

import logging

from core.audit import record_event
from core.extensions import db

log = logging.getLogger(__name__)


def record_import(kind: str, user_id: int | None, source: str, counts: dict[str, int]) -> None:
    """Record that an import of `kind` from `source` ran, with its counts per outcome.

    Called after the import is committed. Each imported row already has its
    own audit entry; this adds one entry that summarises the import.
    `user_id` is None for imports run from the command line.
    """
    summary = " ".join(f"{name}={count}" for name, count in sorted(counts.items()))
    log.info("import kind=%s by=%s source=%r %s", kind, user_id, source, summary)
    record_event("import", summary=f"Import {kind} from {source[:100]}: {summary}")
    db.session.commit()
