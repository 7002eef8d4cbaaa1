"""A real HTTP server speaking the part of Xendit's Payouts API the payments use (POST /v2/payouts with Basic
authentication and the idempotency-key header): it remembers each key and answers a repeated one with the payout
it already made, as Xendit does, and counts the payouts it made. `callback` builds the body Xendit posts to
the payout callback when a payout succeeds or fails."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET_KEY = "xnd_development_uji_rahasia"
CALLBACK_TOKEN = "token-callback-uji-123"
STAMP = "2026-12-01T08:00:00.000Z"


class PayoutService:
    def __init__(self) -> None:
        self.payouts: dict[str, dict[str, Any]] = {}  # idempotency key -> payout
        self.requests = 0
        self.available = True
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                service.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not service.available:
                    self._answer(503, {"error_code": "SERVER_ERROR", "message": "unavailable"})
                    return
                expected = "Basic " + base64.b64encode(f"{SECRET_KEY}:".encode()).decode()
                if self.path != "/v2/payouts" or self.headers.get("Authorization") != expected:
                    self._answer(401, {"error_code": "INVALID_API_KEY", "message": "invalid key"})
                    return
                key = self.headers.get("idempotency-key", "")
                if not key:
                    self._answer(400, {"error_code": "API_VALIDATION_ERROR", "message": "idempotency-key"})
                    return
                if key not in service.payouts:
                    service.payouts[key] = {
                        "id": f"disb-{len(service.payouts) + 1:06d}",
                        "business_id": "uji",
                        "created": STAMP,
                        "updated": STAMP,
                        "status": "ACCEPTED",
                        "reference_id": body["reference_id"],
                        "channel_code": body["channel_code"],
                        "channel_properties": body["channel_properties"],
                        "amount": body["amount"],
                        "currency": body["currency"],
                        "description": body.get("description"),
                    }
                self._answer(200, service.payouts[key])

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def callback(self, key: str, status: str = "SUCCEEDED", failure_code: str | None = None) -> dict[str, Any]:
        payout = {**self.payouts[key], "status": status, "failure_code": failure_code}
        event = "payout.succeeded" if status == "SUCCEEDED" else "payout.failed"
        return {"event": event, "business_id": "uji", "created": STAMP, "data": payout}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
