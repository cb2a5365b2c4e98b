"""A bounded load run: gunicorn with two workers on loopback, driven by wrk."""

import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyotp

from benchmarks.builders import BENCH_PASSWORD, DPO_EMAIL, DPO_TOTP_SECRET
from benchmarks.reminders import free_port

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    html = response.read().decode("utf-8", "replace")
    set_cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    return response.status, html, set_cookie.split(";", 1)[0]


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            if _request(port, "GET", "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not respond on 127.0.0.1:{port} within {timeout} s")


def sign_in(port: int) -> str:
    """Sign in as the DPO through the password form and the code form; return the session cookie."""
    from urllib.parse import urlencode

    status, html, cookie = _request(port, "GET", "/sign-in")
    token = CSRF_FIELD.search(html)
    if status != 200 or not token:
        raise RuntimeError(f"the sign-in page returned HTTP {status} without a CSRF token")
    body = urlencode({"csrf_token": token.group(1), "email": DPO_EMAIL, "password": BENCH_PASSWORD})
    status, _, session = _request(port, "POST", "/sign-in", cookie=cookie, body=body)
    if status != 302 or not session:
        raise RuntimeError(f"signing in returned HTTP {status}, not a redirect with a cookie")
    status, html, cookie = _request(port, "GET", "/sign-in/code", cookie=session)
    token = CSRF_FIELD.search(html)
    if status != 200 or not token:
        raise RuntimeError(f"the sign-in code page returned HTTP {status} without a CSRF token")
    code = pyotp.TOTP(DPO_TOTP_SECRET).now()
    body = urlencode({"csrf_token": token.group(1), "code": code})
    status, _, session = _request(
        port, "POST", "/sign-in/code", cookie=cookie or session, body=body
    )
    if status != 302 or not session:
        raise RuntimeError(
            f"the sign-in code step returned HTTP {status}, not a redirect with a cookie"
        )
    return session


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    """Read throughput, latency percentiles and errors from wrk's --latency output."""
    result = {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE):
        result[f"p{percent}_ms"] = round(_milliseconds(value), 2)
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if found:
        result["non_2xx_3xx"] = int(found.group(1))
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if found:
        result["socket_errors"] = sum(int(count) for count in found.groups())
    return result


def load_run(uri: str, paths: list[str], seconds: int, connections: int = 8) -> dict:
    """Serve the register at `uri` with gunicorn and drive each path with wrk for `seconds`."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=uri,
        REGISTER_ENV="development",
        SECRET_KEY=secrets.token_hex(32),
    )
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603
        [*command, "register:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {"server": "gunicorn, 2 sync workers", "connections": connections, "seconds": seconds}
    try:
        _wait_until_up(port, server)
        cookie = sign_in(port)
        for path in paths:
            status = _request(port, "GET", path, cookie=cookie)[0]
            if status != 200:
                raise RuntimeError(f"{path} returned HTTP {status} to the signed-in DPO")
            output = subprocess.run(  # noqa: S603
                [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
                + ["-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                text=True,
                check=True,
                timeout=seconds + 60,
            ).stdout
            results[path] = parse_wrk(output)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
