"""A real HTTP server on localhost that stands in for the presigned S3 URL CloudFormation hands a custom resource.

The handler uploads its answer with a real HTTP PUT (``_response.http_put``); this server keeps each body by
path, can refuse the next uploads (an S3 hiccup: 500 or 503, or a dropped connection), and says what arrived.
One server serves a whole test session; each lifecycle driver takes paths of its own.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ResponseServer:
    """Records PUT bodies by path; `fail_next` scripts failures of the next uploads."""

    def __init__(self) -> None:
        self.bodies: dict[str, list[bytes]] = {}
        self.attempts: dict[str, int] = {}
        self._failures: deque[int] = deque()
        self._lock = threading.Lock()
        self._paths = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with server._lock:
                    server.attempts[self.path] = server.attempts.get(self.path, 0) + 1
                    failure = server._failures.popleft() if server._failures else None
                    if failure is None:
                        server.bodies.setdefault(self.path, []).append(body)
                if failure == 0:
                    self.close_connection = True
                    self.connection.shutdown(2)  # a dropped connection: no status line at all
                    return
                self.send_response(failure or 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def new_url(self) -> str:
        """A fresh response URL (one per request, as CloudFormation presigns one per request)."""
        return f"{self.url}/response/{next(self._paths)}"

    def fail_next(self, *statuses: int) -> None:
        """Refuse the next uploads, one per status given (0: drop the connection without answering)."""
        with self._lock:
            self._failures.extend(statuses)

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def answer(self, url: str) -> dict[str, Any] | None:
        """The first answer uploaded to `url`, parsed; None if none arrived (CloudFormation takes the first)."""
        path = url.removeprefix(self.url)
        with self._lock:
            bodies = self.bodies.get(path)
        return json.loads(bodies[0]) if bodies else None

    def uploads(self, url: str) -> int:
        """How many uploads were attempted to `url`."""
        return self.attempts.get(url.removeprefix(self.url), 0)


_SERVER: ResponseServer | None = None


def response_server() -> ResponseServer:
    """The session's server, started on first use."""
    global _SERVER
    if _SERVER is None:
        _SERVER = ResponseServer()
    return _SERVER
