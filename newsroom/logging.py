"""JSON lines for stdout: one object per record, fields a log collector can index.

Only named fields are written, never a record's arbitrary extras: Django attaches the
whole request to error records, and its body may hold a commenter's email.
"""

import json
import logging
from datetime import UTC, datetime

# gunicorn's access log passes its "atoms" as the record's args; these are worth keeping.
_ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "H": "protocol",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "{x-request-id}o": "request_id",
    "a": "user_agent",
    "p": "worker",
}


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        request_id = getattr(record, "request_id", None)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["message"] = "request"
            for atom, field in _ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    entry[field] = value
        else:
            entry["message"] = record.getMessage()
            if request_id not in (None, "-"):
                entry["request_id"] = request_id
            status_code = getattr(record, "status_code", None)
            if status_code is not None:
                entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def stdout_handler(**options):
    """The one log handler Django and gunicorn share: JSON lines on stdout."""
    return {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "json",
        **options,
    }
