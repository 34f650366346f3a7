"""A local HTTP receiver for tests: answers from a script of statuses and records requests.

It stands in for webhook receivers (POST) and for failing external sources (GET).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: str
    at: float  # time.monotonic() on arrival


@dataclass
class Receiver:
    """Answers the i-th request with script[i] (the last entry repeats).

    An entry is (status, headers) or (status, headers, seconds to stall before answering).
    """

    script: list[tuple] = field(default_factory=lambda: [(200, {})])
    requests: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # sources (a stand-in Wikipedia) are read with GET
                self.do_POST()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                with lock:
                    index = len(receiver.requests)
                    receiver.requests.append(
                        Received(dict(self.headers.items()), body, time.monotonic())
                    )
                status, headers, *stall = receiver.script[min(index, len(receiver.script) - 1)]
                if stall:
                    time.sleep(stall[0])
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def wait_for(self, count: int, timeout_s: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return self.requests
            time.sleep(0.05)
        raise AssertionError(f"receiver got {len(self.requests)} of {count} requests")
