"""A real HTTP server speaking the Pwned Passwords range API (GET /range/<5 hex digits> → lines of
"SUFFIX:COUNT"), holding a small breached set, so tests exercise the validator over the network as production
does against the public service or the agency's mirror. It records the paths it was asked for."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Passwords that pass every other rule (long, mixed, not in Django's common list) but are "breached" here.
BREACHED = {"Merdeka!Jakarta2019": 5120, "Sayang#Indonesia77": 3}


def _sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


class RangeService:
    def __init__(self) -> None:
        self.requested: list[str] = []
        self.available = True
        hashes = {_sha1(p): n for p, n in BREACHED.items()}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                service.requested.append(self.path)
                prefix = self.path.rsplit("/", 1)[-1]
                if not service.available:
                    self.send_error(503)
                    return
                lines = [f"{h[5:]}:{n}" for h, n in hashes.items() if h.startswith(prefix)]
                lines += [f"{i:035X}:0" for i in range(3)]  # padding, as the real service adds
                body = "\r\n".join(lines).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/range/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
