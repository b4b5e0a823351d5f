"""Phase 3: uploads and documents.

- Submission with 3 documents: the wizard's documents step (one POST carrying the three files the
  rotation programme asks for) and its submit button, each timed through the test client; between
  the two, the driver checks the files itself (untimed), as a worker would.
- Memory of the web process during a 2 x 10 MB upload over HTTP to gunicorn: peak resident memory of
  the worker that served it (VmHWM, reset through /proc/<pid>/clear_refs) minus its VmRSS before.
- Upload to ready with one idle Celery worker (a separate process, as in production): from the start
  of the upload request until the document's row says "ready".
- Documents per second with one worker: 50 one-page PDFs queued at once.
"""

from __future__ import annotations

import http.client
import math
import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max, Min
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applicants.enums import ApplicationStatus, DocumentState, EnglishLevel, StudyPhase
from applicants.files.checks import format_date
from applicants.models import ApplicantProfile, Application, Document
from applicants.services import applications as services
from applicants.services.documents import document_process, document_upload
from benchmarks import files
from benchmarks.pages import percentile
from benchmarks.seed import ROTATION
from placements.catalogue.models import Programme, ProgrammeDocument
from placements.catalogue.validation import earliest_start
from portal.models import User
from tests.applicants.builders import first_monday_from, rotation_choice

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 120.0


@dataclass(frozen=True)
class Sizes:
    submissions: int
    big_upload_bytes: int  # each of the two files of the memory measurement
    memory_repeats: int
    photo_bytes: int
    ready_runs: dict[str, int]  # kind -> uploads timed
    batch: int  # documents for the documents-per-second figure


FULL = Sizes(40, 10_000_000, 3, 5_000_000, {"pdf_1_page": 20, "pdf_20_pages": 8, "photo": 5}, 50)
TINY = Sizes(2, 1_000_000, 1, 500_000, {"pdf_1_page": 2, "pdf_20_pages": 1, "photo": 1}, 4)


def _stats(values_ms: list[float]) -> dict:
    return {
        "runs": len(values_ms),
        "p50_ms": round(statistics.median(values_ms), 1),
        "p95_ms": round(percentile(values_ms, 0.95), 1),
        "max_ms": round(max(values_ms), 1),
    }


# --- drafts ---------------------------------------------------------------------------------------


def _applicant(tag: str) -> User:
    email = f"run-{tag}-{secrets.token_hex(4)}@bench.example"
    user = User.objects.create(
        email=email, password=make_password(None), first_name="Bench", last_name=f"Applicant {tag}"
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ApplicantProfile.objects.create(
        user=user,
        nationality="Portuguese",
        home_institution="University of Porto",
        study_phase=StudyPhase.CLINICAL,
        english_level=EnglishLevel.C1,
    )
    return user


def make_draft(programme: Programme, tag: str) -> Application:
    """A draft of the rotation programme complete but for its documents and consent."""
    applicant = _applicant(tag)
    application = services.application_start(applicant=applicant, programme=programme)
    services.application_save_answers(
        application=application,
        answers={q.pk: True if q.kind == "yes_no" else "none" for q in programme.questions.all()},
    )
    services.application_save_components(application=application, components=rotation_choice(programme))
    start = first_monday_from(earliest_start(programme, timezone.localdate()) + timedelta(days=7))
    services.application_save_dates(application=application, start=start, end=start + timedelta(days=25))
    return application


def _slots(programme: Programme) -> dict[str, ProgrammeDocument]:
    return {item.document_type.code: item for item in programme.programme_documents.select_related("document_type")}


def _step_url(application: Application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


# --- submission -----------------------------------------------------------------------------------


def submission(programme: Programme, runs: int) -> dict:
    slots = _slots(programme)
    contents = {"cv": ("cv.pdf", files.pdf()), "motivation-letter": ("letter.pdf", files.pdf()),
                "english-proof": ("ielts.jpg", files.photo(300_000, width=1200, height=900))}  # fmt: skip
    upload_ms, submit_ms, errors = [], [], 0
    for i in range(runs + 1):  # the first one warms up
        application = make_draft(programme, f"submit{i}")
        client = Client()
        client.force_login(application.applicant)
        data = {"action": "continue"}
        # The observership's letter must state the requested dates, or the submission is refused.
        dates = f"{format_date(application.start_date)} to {format_date(application.end_date)}"
        contents["motivation-letter"] = ("letter.pdf", files.pdf_with_text(f"I ask to observe from {dates}."))
        for code, (name, content) in contents.items():
            data[f"document-{slots[code].pk}-file"] = SimpleUploadedFile(name, content)
        started = time.perf_counter()
        response = client.post(_step_url(application, "documents"), data)
        uploaded = time.perf_counter()
        errors += response.status_code != 302
        for document in Document.objects.filter(application=application):
            document_process(document_id=document.pk)
        submit_started = time.perf_counter()
        response = client.post(_step_url(application, "review"), {"consent": "on", "action": "submit"})
        finished = time.perf_counter()
        application.refresh_from_db()
        errors += response.status_code != 302 or application.status != ApplicationStatus.SUBMITTED
        if i:
            upload_ms.append((uploaded - started) * 1000)
            submit_ms.append((finished - submit_started) * 1000)
    return {
        "documents_per_submission": len(contents),
        "upload_request": _stats(upload_ms),
        "submit_request": _stats(submit_ms),
        "both_requests": _stats([a + b for a, b in zip(upload_ms, submit_ms, strict=True)]),
        "errors": errors,
    }


# --- memory of the web process --------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _multipart(fields: dict[str, str], uploads: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in uploads.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n")  # fmt: skip
        parts += [head.encode(), content, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _http_post(port: int, path: str, body: bytes, content_type: str, cookies: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": content_type,
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Host": "127.0.0.1",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def upload_memory(programme: Programme, *, port: int, worker_pids: list[int], sizes: Sizes) -> dict:
    """Peak RSS growth of the gunicorn worker that takes a 2-file upload (a scanned PDF and a photo)."""
    slots = _slots(programme)
    application = make_draft(programme, "memory")
    client = Client()
    client.force_login(application.applicant)
    csrf = secrets.token_hex(16)  # an unmasked CSRF secret is accepted as both cookie and form token
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    path = _step_url(application, "documents")

    def post(pdf: bytes, jpeg: bytes) -> int:
        body, content_type = _multipart(
            {"csrfmiddlewaretoken": csrf, "action": "save"},
            {f"document-{slots['cv'].pk}-file": ("scan.pdf", pdf, "application/pdf"),
             f"document-{slots['english-proof'].pk}-file": ("photo.jpg", jpeg, "image/jpeg")},
        )  # fmt: skip
        return _http_post(port, path, body, content_type, cookies)

    errors = 0
    small_pdf, small_jpeg = files.pdf(), files.photo(50_000, width=400, height=300)
    for _ in range(2 * len(worker_pids) + 2):  # every worker has served an upload before measuring
        errors += post(small_pdf, small_jpeg) != 302
    big_pdf, big_jpeg = files.scanned_pdf(sizes.big_upload_bytes), files.photo(sizes.big_upload_bytes)
    growths, method = [], "VmHWM after clear_refs"
    for _ in range(sizes.memory_repeats):
        before = {pid: _status_kb(pid, "VmRSS") for pid in worker_pids}
        try:
            for pid in worker_pids:
                Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current RSS
        except OSError:
            method = "VmRSS after the request (clear_refs refused)"
        errors += post(big_pdf, big_jpeg) != 302
        field = "VmHWM" if method.startswith("VmHWM") else "VmRSS"
        growths.append(max(_status_kb(pid, field) - before[pid] for pid in worker_pids) / 1024)
    return {
        "upload_bytes": [len(big_pdf), len(big_jpeg)],
        "peak_growth_mb": round(max(growths), 2),
        "growth_each_mb": [round(g, 2) for g in growths],
        "worker_rss_mb": round(max(_status_kb(pid, "VmRSS") for pid in worker_pids) / 1024, 1),
        "method": method,
        "errors": errors,
    }


# --- one real worker ------------------------------------------------------------------------------


class Worker:
    """`celery worker` with one prefork child on the run's own queue, like the production worker."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env, self.log_path = env, log_path
        self.name = f"bench-{env['CELERY_QUEUE']}@{os.uname().nodename}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> Worker:
        from portal.celery import app

        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "--queues", self.env["CELERY_QUEUE"],
            "--concurrency", "1", "--pool", "prefork", "--hostname", self.name, "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited early; see {self.log_path}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return self
        self.stop()
        raise RuntimeError(f"The worker did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


def purge_queue() -> None:
    from portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)


def _wait_settled(document_ids: list[int], timeout: float = READY_TIMEOUT) -> dict[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        states = dict(Document.objects.filter(pk__in=document_ids).values_list("pk", "state"))
        if all(states.get(pk) != DocumentState.PENDING for pk in document_ids) or time.monotonic() > deadline:
            return states
        time.sleep(0.01)


def upload_to_ready(programme: Programme, sizes: Sizes) -> dict:
    slots = _slots(programme)
    application = make_draft(programme, "ready")
    client = Client()
    client.force_login(application.applicant)
    kinds = {
        "pdf_1_page": ("cv", "cv.pdf", files.pdf(1)),
        "pdf_20_pages": ("cv", "cv.pdf", files.pdf(20)),
        "photo": ("english-proof", "photo.jpg", files.photo(sizes.photo_bytes)),
    }
    result = {}
    for kind, (code, name, content) in kinds.items():
        slot, times, errors = slots[code], [], 0
        for _ in range(sizes.ready_runs[kind]):
            started = time.perf_counter()
            response = client.post(
                _step_url(application, "documents"), {f"document-{slot.pk}-file": SimpleUploadedFile(name, content)}
            )
            errors += response.status_code != 302
            document = Document.objects.get(application=application, document_type=slot.document_type)
            state = _wait_settled([document.pk])[document.pk]
            times.append((time.perf_counter() - started) * 1000)
            errors += state != DocumentState.READY
        result[kind] = {"bytes": len(content), **_stats(times), "errors": errors}
    return result


def throughput(programme: Programme, count: int) -> dict:
    """`count` one-page PDFs uploaded at once (through the upload service), checked by one worker."""
    slots = list(_slots(programme).values())
    content = files.pdf(1)
    drafts = [make_draft(programme, f"batch{i}") for i in range(math.ceil(count / len(slots)))]
    ids = []
    started = time.perf_counter()
    for n in range(count):
        application, slot = drafts[n // len(slots)], slots[n % len(slots)]
        with transaction.atomic():
            document = document_upload(
                application=application,
                document_type=slot.document_type,
                upload=SimpleUploadedFile("cv.pdf", content),
                by=application.applicant,
            )
        ids.append(document.pk)
    states = _wait_settled(ids)
    wall = time.perf_counter() - started
    span = Document.objects.filter(pk__in=ids).aggregate(first=Min("processed_at"), last=Max("processed_at"))
    steady = (span["last"] - span["first"]).total_seconds() if span["first"] else 0
    return {
        "documents": count,
        "per_second": round((count - 1) / steady, 2) if steady else None,
        "per_second_wall": round(count / wall, 2),
        "seconds_wall": round(wall, 2),
        "errors": sum(1 for pk in ids if states.get(pk) != DocumentState.READY),
    }


def rotation_programme() -> Programme:
    return Programme.objects.get(slug=ROTATION)
