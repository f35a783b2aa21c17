"""Fixtures of the alert tests: the synthetic warehouse, a synced app database, a real local
SMTP server and a real local webhook receiver that checks signatures."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alerts_sample import shared_home

from atrocity_watch.web.alerts.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify,
)


@pytest.fixture
def alert_home(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic warehouse (with its monitor signals) as the current home."""
    home = shared_home()
    monkeypatch.setenv("ATROCITY_WATCH_HOME", str(home))
    return home


@pytest.fixture
def synced(alert_home: Path, users: dict[str, Any]) -> Any:
    """The app database after one ``sync_alerts`` over the synthetic signals."""
    from atrocity_watch.web.alerts.sync import sync_alerts

    return sync_alerts()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MailBox:
    """Messages a real SMTP server (aiosmtpd, in a thread) received."""

    host: str
    port: int
    messages: list[Any] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[MailBox]:
    """A real SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    from email import message_from_bytes
    from email.policy import default

    from aiosmtpd.controller import Controller

    box = MailBox("127.0.0.1", _free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append(message_from_bytes(envelope.content, policy=default))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=box.host, port=box.port)
    controller.start()
    for name, value in box.settings().items():
        setattr(settings, name, value)
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Receiver:
    """A real HTTP server that checks each webhook's signature like a subscriber would."""

    url: str
    secret: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer 500 to this many requests first


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    port = _free_port()
    receiver = Receiver(url=f"http://127.0.0.1:{port}/hook")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if receiver.fail_next > 0:
                receiver.fail_next -= 1
                self.send_response(500)
                self.end_headers()
                return
            try:
                verify(
                    receiver.secret,
                    self.headers.get(TIMESTAMP_HEADER),
                    self.headers.get(SIGNATURE_HEADER),
                    body,
                )
            except SignatureError as exc:
                receiver.rejected.append(str(exc))
                self.send_response(401)
                self.end_headers()
                return
            receiver.keys.append(self.headers.get(IDEMPOTENCY_HEADER, ""))
            receiver.received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
