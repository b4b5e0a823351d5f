"""Stop with one clear line when a service the test suite needs is not there."""

import os
import shutil
import socket
import sys
from urllib.parse import urlparse

HINTS = {
    "PostgreSQL": "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": "start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no",
}


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    checks = [
        ("PostgreSQL", os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432/"), 5432),
        ("Redis", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/"), 6379),
    ]
    for name, url, port in checks:
        if not reachable(url, port):
            print(f"{name} is not reachable at {url}; {HINTS[name]}", file=sys.stderr)
            return 1
    browser = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(browser):
        print(f"Chromium is missing at {browser}; install it with: apt-get install -y chromium", file=sys.stderr)
        return 1
    if not shutil.which("java"):  # runs the Nu HTML checker (npm's vnu-jar) of the accessibility tests
        print("Java is missing; install it with: apt-get install -y default-jre-headless", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
