"""The read-only JSON API under /api/v1/, authenticated by per-user tokens."""
