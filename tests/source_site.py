"""A scriptable local HTTP server for source tests: answers what each path is told to answer.

`site.route(path, *answers)` scripts a path (the last answer repeats); `site.requests` records
what was asked, `site.max_in_flight` how many requests were served at once.
Import it by name (`from source_site import Answer, Site`): tests/ is on pytest's pythonpath.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    content_length: bool = True  # False: no Content-Length, the body ends when the socket closes


@dataclass
class Asked:
    path: str
    headers: dict[str, str]


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[Asked] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def route(self, path: str, *answers: Answer) -> str:
        self.routes[path] = list(answers)
        return self.url + path

    def asked(self, path: str) -> list[Asked]:
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def _answer(self, path: str) -> Answer:
        with self._lock:
            script = self.routes.get(urlsplit(path).path)
            if not script:
                return Answer(404, b"not found", {"Content-Type": "text/plain"})
            return script.pop(0) if len(script) > 1 else script[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append(Asked(self.path, dict(self.headers)))
                with site._lock:
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    answer = site._answer(self.path)
                    time.sleep(answer.delay_s)
                    body = answer.body.encode() if isinstance(answer.body, str) else answer.body
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.content_length:
                        self.send_header("Content-Length", str(len(body)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with site._lock:
                        site.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def start(self) -> Site:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
