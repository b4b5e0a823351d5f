"""Shared by the fault tests: a slow real PDF, the run's Redis keys, workers told to stop or resume taking work."""

import os
import socket
import zlib
from pathlib import Path

import redis
from django.conf import settings

from portal.celery import app
from tests.applicants.corpus import assemble_pdf


def dense_pdf(runs: int = 30_000) -> bytes:
    """A one-page PDF drawn as `runs` separate text runs (like a dense table printed from a spreadsheet).

    Small on disk (the content stream compresses well) but seconds of real work for the text
    extraction of the document check, so a worker can be killed while it reads it.
    """
    line = b"BT /F1 1 Tf %d %d Td (Curriculum vitae, radiology elective, 1 March 2027) Tj ET\n"
    content = zlib.compress(b"".join(line % (i % 590, (i // 590) % 840) for i in range(runs)), 9)
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content),
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        }
    )


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=10)


def _destination(worker) -> list[str]:
    return [f"{worker.name}-{settings.CELERY_TASK_DEFAULT_QUEUE}@{os.uname().nodename}"]


def stop_consuming(worker) -> None:
    """Tell a running worker (a tests.conftest.WorkerProcess) to take no more messages from the run's queue."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    replies = app.control.cancel_consumer(queue, destination=_destination(worker), reply=True, timeout=20)
    assert replies, "the worker did not confirm that it stopped consuming"


def resume_consuming(worker) -> None:
    """Let the worker take messages from the run's queue again."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    app.control.add_consumer(queue, destination=_destination(worker), reply=True, timeout=20)


def unacked_keys() -> list[str]:
    """This run's keys of messages taken by a worker and not acknowledged yet (see settings_test)."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    return [options["unacked_key"], options["unacked_index_key"]]


def closed_port() -> int:
    """A local TCP port nothing listens on (bound once by the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (the prefork pool's processes of a worker)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces; the parent id follows the state.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found
