"""Log formatting: one JSON object per line in production (LOG_FORMAT=json), plain text in dev.

Messages never carry passwords or session keys: views log ids and usernames only, and the
Django request logger's records are reduced to method, path and status.
"""

import json
import logging


class JsonFormatter(logging.Formatter):
    FIELDS = ("status_code",)

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None:
            # Only what identifies the request, never its cookies, headers or body.
            entry["method"] = getattr(request, "method", "")
            entry["path"] = getattr(request, "path", "")
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
