"""``relaydesk serve`` holds request heads and WebSocket frames to the limits, like bodies: a real
server process, real sockets."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.pg_cluster import free_port

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """``relaydesk serve`` on a free port: (port, process id)."""
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **os.environ,
        "RELAYDESK_DATABASE_URL": f"sqlite:///{tmp / 'serve.db'}",
        "RELAYDESK_DATA_DIR": str(tmp / "data"),
        "RELAYDESK_ENVIRONMENT": "test",
    }
    with (tmp / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "relaydesk", "serve", "--port", str(port)],
            env=env,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp / "serve.log").read_text()
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            assert time.monotonic() < deadline, "relaydesk serve did not start"
            time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # still loading its models: no need to wait for them
            process.kill()
            process.wait(timeout=15)


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _send_header(port: int, size: int, *, finish: bool) -> tuple[socket.socket, int]:
    """Send a request whose one header is ``size`` bytes; the bytes the server took before it closed."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ")
    chunk, sent = b"a" * MB, 0
    try:
        while sent < size:
            sock.sendall(chunk)
            sent += len(chunk)
        if finish:
            sock.sendall(b"\r\n\r\n")
    except OSError:  # the server closed the connection: it stopped reading
        pass
    return sock, sent


def test_a_64_mb_header_is_refused(server: tuple[int, int]) -> None:
    port, _ = server
    sock, sent = _send_header(port, 64 * MB, finish=True)
    with sock:
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert sent < 64 * MB  # refused while it was still arriving


def test_ten_unfinished_16_mb_headers_do_not_grow_the_server(server: tuple[int, int]) -> None:
    port, pid = server
    before = _rss_bytes(pid)
    sockets = [_send_header(port, 16 * MB, finish=False)[0] for _ in range(10)]
    try:
        grown = _rss_bytes(pid) - before
    finally:
        for sock in sockets:
            sock.close()
    assert grown < 30 * MB, f"the server grew by {grown / MB:.0f} MB"
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code in {200, 503}


def test_a_websocket_frame_over_the_body_limit_is_closed_with_1009(server: tuple[int, int]) -> None:
    port, _ = server
    with connect(f"ws://127.0.0.1:{port}/v1/agent/stream", max_size=None) as ws:
        ws.send("x" * (64 * 1024 + 1))
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
    assert ws.close_code == 1009
    assert ws.close_reason
