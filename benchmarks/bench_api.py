"""Report intake through the API under load: a partner's system sends reports
to ``POST /api/reports`` at a fixed rate (default 200 requests/s for 60 s)
against the real server (``lantern serve``, uvicorn, one process) on a
loopback port, on SQLite and on PostgreSQL.

Open loop: each request is sent at its scheduled time whether or not earlier
ones have answered, and its latency is counted from that scheduled time, so a
stalled server shows as latency rather than as a slower send rate. Figures:
errors (any answer but 201, or no answer within 10 s), latency p50/p95/p99/max,
the server's CPU time per request (the figure least disturbed by other work
on the machine), and the machine's load average (the figures mean little
on a machine busy with other work). Bounded: ``rate × seconds`` requests in all.

PostgreSQL runs against ``LANTERN_TEST_POSTGRES_URL`` (``scripts/postgres.sh``);
it is skipped if none is set. Options: ``--rate N --seconds N --only sqlite|postgresql``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from benchmarks import write_result

LANTERN = str(Path(sys.executable).parent / "lantern")
AGENCY = "rmbc-social-care"
REQUEST_TIMEOUT = 10.0  # seconds from a request's scheduled time
CONNECTIONS = 64
NOT_SENT = "waited 10 s for a connection"  # counted as an error, never sent


def _bodies(n: int) -> list[dict[str, Any]]:
    """n reports shaped like the demo's samples, each with its own id."""
    from lantern.sim.sample import sample_reports

    templates = sample_reports()
    bodies = []
    for i in range(n):
        body = copy.deepcopy(templates[i % len(templates)])
        body.update({"id": f"LOAD-{i:06d}", "agency": AGENCY, "agency_type": "social-care"})
        body.pop("grading", None)
        bodies.append(body)
    return bodies


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(url: str) -> str:
    """Migrates the store, adds the demo users, returns an API token of the referrer."""
    from lantern.auth.demo import create_demo_users
    from lantern.auth.sessions import issue_token
    from lantern.store.db import open_store

    engine = open_store(url)
    create_demo_users(engine)
    with engine.begin() as conn:
        token = issue_token(conn, "rita.referrer", "load test", actor="bench")
    engine.dispose()
    return token


async def _load(base: str, token: str, rate: int, seconds: int) -> dict[str, Any]:
    """Sends ``rate × seconds`` reports on ``CONNECTIONS`` keep-alive
    connections (a small HTTP/1.1 client on asyncio streams, so the load
    generator's own cost stays far below the server's)."""
    host, port = base.removeprefix("http://").split(":")
    requests = [_request(host, token, body) for body in _bodies(rate * seconds)]
    queue: asyncio.Queue[tuple[bytes, float] | None] = asyncio.Queue()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def failed(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    async def connection() -> None:
        reader = writer = None
        while (item := await queue.get()) is not None:
            raw, scheduled = item
            remaining = REQUEST_TIMEOUT - (time.perf_counter() - scheduled)
            if remaining <= 0:
                failed(NOT_SENT)
                continue
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, int(port))
                writer.write(raw)
                status = await asyncio.wait_for(_response_status(reader), remaining)
            except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError) as exc:
                failed(type(exc).__name__)
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            if status != 201:
                failed(f"HTTP {status}")
                continue
            latencies.append(time.perf_counter() - scheduled)
        if writer is not None:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(CONNECTIONS)]
    start = time.perf_counter()
    for i, raw in enumerate(requests):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((raw, scheduled))
    sent = time.perf_counter() - start
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    latencies.sort()
    return {
        "requests": len(requests),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "send_rate": round(len(requests) / sent, 1),
        "connections": CONNECTIONS,
        "latency_ms": {
            "p50": _ms(_quantile(latencies, 0.50)),
            "p95": _ms(_quantile(latencies, 0.95)),
            "p99": _ms(_quantile(latencies, 0.99)),
            "max": _ms(latencies[-1] if latencies else None),
            "mean": _ms(statistics.fmean(latencies) if latencies else None),
        },
    }


def _request(host: str, token: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body).encode()
    head = (
        f"POST /api/reports HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


async def _response_status(reader: asyncio.StreamReader) -> int:
    """Reads one response (status line, headers, a Content-Length body)."""
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def run_backend(url: str, rate: int, seconds: int) -> dict[str, Any]:
    token = _prepare(url)
    port = _free_port()
    server = subprocess.Popen(
        [
            LANTERN,
            "serve",
            "--database",
            url,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(server, port)
        load_before, cpu_before = os.getloadavg()[0], _cpu_seconds(server.pid)
        figures = asyncio.run(_load(f"http://127.0.0.1:{port}", token, rate, seconds))
        figures["machine_load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
        # the server goes on storing what it had queued after the client gave
        # up: its CPU time is read once every report is stored
        never_sent = figures["error_kinds"].get(NOT_SENT, 0)
        figures["stored"] = _wait_until_stored(url, figures["requests"] - never_sent)
        figures["server_cpu_ms_per_request"] = round(
            (_cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, figures["stored"]), 2
        )
    finally:
        server.terminate()  # uvicorn first finishes the requests it holds
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return figures


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"lantern serve exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("lantern serve did not start")


def _wait_until_stored(url: str, expected: int, limit_s: float = 300) -> int:
    """The number of load-test reports stored, once all are (or after ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    while (stored := _count_reports(url)) < expected and time.monotonic() < deadline:
        time.sleep(2)
    return stored


def _count_reports(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = int(
            conn.execute(
                text("SELECT count(*) FROM reports WHERE report_id LIKE 'LOAD-%'")
            ).scalar_one()
        )
    engine.dispose()
    return count


def _postgres_database() -> str | None:
    admin_url = os.environ.get("LANTERN_TEST_POSTGRES_URL")
    if not admin_url:
        return None
    name = f"bench_api_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_api")
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args, _ = parser.parse_known_args(argv)
    results: dict[str, Any] = {"rate": args.rate, "seconds": args.seconds, "backends": {}}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "sqlite"):
            url = f"sqlite:///{Path(tmp) / 'lantern.db'}"
            results["backends"]["sqlite"] = run_backend(url, args.rate, args.seconds)
        if args.only in (None, "postgresql"):
            pg = _postgres_database()
            results["backends"]["postgresql"] = (
                run_backend(pg, args.rate, args.seconds) if pg else {"skipped": "no PostgreSQL"}
            )
    write_result("api", results)


if __name__ == "__main__":
    main(sys.argv[1:])
