"""The error of the query side: a query that cannot be read, bound or run, told in one line."""

from __future__ import annotations


class QueryError(Exception):
    """A query that cannot be read, parsed or run; the message says where and why."""
