"""The single place where every import is recorded."""

import logging

log = logging.getLogger(__name__)


def record_import(kind: str, user_id: int | None, source: str, counts: dict[str, int]) -> None:
    """Record that an import of `kind` from `source` ran, with its counts per outcome.

    `user_id` is None for imports run from the command line.
    """
    # TODO: also write an audit event once the register keeps an audit trail table.
    summary = " ".join(f"{name}={count}" for name, count in sorted(counts.items()))
    log.info("import kind=%s by=%s source=%r %s", kind, user_id, source, summary)
