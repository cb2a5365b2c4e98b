"""The performance benchmark: registers built at several sizes, pages and jobs timed."""
