"""A loopback HTTP proxy in front of the real server that can lose responses on purpose."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests


class FaultyProxy:
    """Forwards every request to `backend`; for the next `cut` requests whose path starts with
    a given prefix, the server does the work but the client never hears the answer."""

    def __init__(self, backend: str) -> None:
        self.backend = backend.rstrip("/")
        self.cuts: dict[str, int] = {}
        self.cut_count = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                response = requests.request(
                    self.command, proxy.backend + self.path, data=body, headers=headers, timeout=60, stream=True
                )
                raw = response.raw.read(decode_content=False)
                if proxy.should_cut(self.path):
                    # The server has committed; drop the connection before the client hears it.
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(response.status_code)
                for key, value in response.headers.items():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_PUT = _forward

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def cut(self, path_prefix: str, times: int = 1) -> None:
        with self._lock:
            self.cuts[path_prefix] = times

    def should_cut(self, path: str) -> bool:
        with self._lock:
            for prefix, left in self.cuts.items():
                if path.startswith(prefix) and left > 0:
                    self.cuts[prefix] = left - 1
                    self.cut_count += 1
                    return True
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
