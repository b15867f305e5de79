"""The import runner: takes waiting import jobs one at a time and runs them, reporting
progress. Where it runs is THB_IMPORT_RUNNER (docs/import.md, docs/operations.md):

- "thread" (the default): one daemon thread in each web process, started with the
  process (thb/wsgi.py) and woken when a job is queued. A job left running by a
  stopped process is marked failed when a runner starts (and every minute after);
  nothing of it was saved, as an import is one transaction.
- "worker": the web processes only queue; `thb import-worker` processes run the jobs
  (on the same or another machine, for PostgreSQL installations).
- "inline": the upload request runs its job itself (tests, debugging).

Jobs are claimed with a conditional update, so any number of runners may share the
queue.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from thb.interop import services
from thb.interop.models import ImportJob

logger = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # how often an idle runner looks for jobs queued by other processes
RECOVER_SECONDS = 60.0  # how often it looks for jobs left by stopped processes
PROGRESS_SECONDS = 1.0  # at most one stored progress update a second

_live: dict[int, tuple[int, int]] = {}
_wake = threading.Event()
_thread_lock = threading.Lock()
_thread: threading.Thread | None = None


def live_progress(job_id: int) -> tuple[int, int] | None:
    """The progress of a job this process is running, as the engine last reported it."""
    return _live.get(job_id)


class JobProgress:
    """The engine's progress callback for a job: kept in memory at once, stored at most
    once a second (and at the end)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stored_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        _live[self.job_id] = (done, total)
        now = time.monotonic()
        due = done == total or now - self.stored_at >= PROGRESS_SECONDS
        if due and services.import_job_progress(job_id=self.job_id, done=done, total=total):
            self.stored_at = now


def _run(job: ImportJob) -> ImportJob:
    try:
        return services.import_job_run(job=job, progress=JobProgress(job.pk))
    finally:
        _live.pop(job.pk, None)
        services.import_job_progress_close()


def run_job(pk: int) -> ImportJob | None:
    """Claim job `pk` and run it here; None if it is not waiting (another runner has it)."""
    job = services.import_job_claim(worker=services.worker_name(), pk=pk)
    return _run(job) if job is not None else None


def run_waiting_jobs() -> int:
    """Run waiting jobs, oldest first, until none is left; the number run."""
    count = 0
    while (job := services.import_job_claim(worker=services.worker_name())) is not None:
        _run(job)
        count += 1
    return count


def dispatch(job: ImportJob) -> None:
    """Hand a newly queued job to the configured runner."""
    mode = settings.THB_IMPORT_RUNNER
    if mode == "inline":
        run_job(job.pk)
    elif mode == "thread":
        transaction.on_commit(wake)
    # "worker": a `thb import-worker` process finds it in the queue.


def wake() -> None:
    """Start this process's runner thread if needed and have it look for jobs now."""
    start_thread()
    _wake.set()


def start_thread() -> None:
    """Start the runner thread of this process (once; again after a fork)."""
    global _thread
    if settings.THB_IMPORT_RUNNER != "thread":
        return
    with _thread_lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_loop, name="thb-import-runner", daemon=True)
        _thread.start()


def _loop() -> None:
    recovered_at = 0.0
    while True:
        pause = POLL_SECONDS
        try:
            if time.monotonic() - recovered_at >= RECOVER_SECONDS:
                services.import_jobs_recover()
                recovered_at = time.monotonic()
            run_waiting_jobs()
        except Exception:
            # A database outage (or migrations not yet applied) must not end the thread:
            # it tries again a minute later, or when a job is queued.
            logger.exception("import runner")
            pause = RECOVER_SECONDS
        finally:
            close_old_connections()
        _wake.wait(pause)
        _wake.clear()


def work(*, once: bool = False, poll: float = POLL_SECONDS) -> int:
    """The `thb import-worker` loop: recover, run what waits, sleep, again (until
    interrupted, or once). The number of jobs run."""
    count = 0
    recovered_at = 0.0
    while True:
        if once or time.monotonic() - recovered_at >= RECOVER_SECONDS:
            services.import_jobs_recover()
            recovered_at = time.monotonic()
        count += run_waiting_jobs()
        if not connection.in_atomic_block:  # a caller's transaction keeps its connection
            close_old_connections()
        if once:
            return count
        time.sleep(poll)
