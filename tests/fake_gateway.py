"""A fake robot / SMS gateway on 127.0.0.1 (loopback only): records what it is sent and
answers as told. Tests never contact a real host."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeGateway:
    """Answers each request with the next scripted reply; "ok" once the script is used up.

    A reply is "ok", "500", ("errcode", N), "slow" (sleeps past the client's timeout) or
    ("redirect", url).
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list = []
        self.scripts: dict[str, list] = {}  # per path, before `script`
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                with gateway.lock:
                    gateway.requests.append(
                        {
                            "path": parts.path,
                            "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                            "raw_query": parts.query,
                            "content_type": self.headers.get("Content-Type"),
                            "body": json.loads(raw.decode("utf-8")),
                            "at": time.time(),
                        }
                    )
                    own = gateway.scripts.get(parts.path)
                    if own:
                        reply = own.pop(0)
                    else:
                        reply = gateway.script.pop(0) if gateway.script else "ok"
                if reply == "slow":
                    time.sleep(2.5)
                    reply = "ok"
                if reply == "500":
                    return self.answer(500, {"errcode": -1, "errmsg": "system busy"})
                if isinstance(reply, tuple) and reply[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", reply[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if isinstance(reply, tuple) and reply[0] == "errcode":
                    return self.answer(200, {"errcode": reply[1], "errmsg": "invalid"})
                return self.answer(200, {"errcode": 0, "errmsg": "ok", "code": 0})

            def answer(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self, path_prefix: str = "") -> list[dict]:
        return [r["body"] for r in self.requests if r["path"].startswith(path_prefix)]
