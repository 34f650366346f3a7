"""Log lines: one JSON object a line (or text, for a human at a console), each naming what it
is about.

Every line written while a request or a task is being handled carries its ids (the tenant, the
check, the delivery, the request) without any call passing them: the code that starts the work
binds them to a context variable (`bind`, `log_context`) and a filter on the handler copies
them onto each record, whichever library wrote it. The API binds per request
(service/request_logs.py), the worker per task (workers/task_logs.py).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import IO, Any

from pythonjsonlogger.json import JsonFormatter

# The fields a context may bind, in the order the text format shows them.
CONTEXT_FIELDS = (
    "request_id",
    "tenant",
    "key_id",
    "check_id",
    "delivery_id",
    "attempt",
    "draft_id",
    "task_id",
)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_EMPTY: Mapping[str, object] = MappingProxyType({})
_context: ContextVar[Mapping[str, object]] = ContextVar("factdesk_log_context", default=_EMPTY)


def bind(**fields: object) -> Token[Mapping[str, object]]:
    """Add `fields` to the current context (None values are left out); returns the token
    that `unbind` restores the previous context with."""
    known = {name: value for name, value in fields.items() if value is not None}
    return _context.set(MappingProxyType({**_context.get(), **known}))


def unbind(token: Token[Mapping[str, object]]) -> None:
    _context.reset(token)


def clear() -> None:
    """Forget every bound field (a pooled thread starting on unrelated work)."""
    _context.set(_EMPTY)


def current() -> Mapping[str, object]:
    """The fields bound now."""
    return _context.get()


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Bind `fields` for the lines logged inside the block."""
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


class ContextFilter(logging.Filter):
    """Copies the bound fields onto every record (an explicit `extra=` of the call wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _context.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class TextFormatter(logging.Formatter):
    """The classic one-line format, with the bound ids appended: `… [tenant=x check_id=y]`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{name}={getattr(record, name)}" for name in CONTEXT_FIELDS if hasattr(record, name)
        ]
        return f"{line} [{' '.join(ids)}]" if ids else line


class LineJsonFormatter(JsonFormatter):
    """timestamp (ISO 8601, UTC) first, then level, logger, message, the bound ids and any
    `extra=` fields of the call; `exc_info` holds the traceback when there is one."""

    def __init__(self) -> None:
        super().__init__(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["timestamp"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat()
        super().add_fields(log_data, record, message_dict)


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing to `stream` (default stderr) in `log_format` ("json" or "text"), with
    the context filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(LineJsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(log_format: str, level: int | str = logging.INFO) -> None:
    """Send every logger's records, and Python warnings, to stderr in `log_format`; replaces
    whatever handlers the root logger had."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(make_handler(log_format))
    root.setLevel(level)
    logging.captureWarnings(True)  # a library's warning is a log line too, not raw stderr
