"""Serving: waitress (a production WSGI server, pure Python) with a fixed pool of request threads,
and a pool of worker processes for PDFs so that a long render never holds up other users."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from flask import Flask

from checklist.errors import RenderError

PDF_TIMEOUT = 180  # seconds a render may take before the request gives up


class PdfPool:
    """Renders in worker processes (WeasyPrint holds the GIL for seconds); ``workers == 0`` renders
    in the calling thread, which tests use to stay single-process."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a forked copy of a threaded server could inherit a held lock
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool

    def render(self, job: Callable[..., Any], *args: Any, suffix: str = ".pdf") -> bytes:
        """Run ``job(*args, out)`` writing to a temporary ``out`` file; its bytes."""
        with tempfile.TemporaryDirectory(prefix="checklist-web-") as tmp:
            out = Path(tmp) / f"out{suffix}"
            if self.workers == 0:
                result = job(*args, out)
            else:
                from concurrent.futures import TimeoutError as Late
                from concurrent.futures.process import BrokenProcessPool

                future: Future = self._executor().submit(job, *args, out)
                try:
                    result = future.result(timeout=PDF_TIMEOUT)
                except (BrokenProcessPool, Late) as e:
                    self.close()  # a fresh pool for the next request
                    raise RenderError(f"生成文书的进程失败或超过 {PDF_TIMEOUT} 秒（{type(e).__name__}）") from e  # shown on a page
            error = getattr(result, "error", None)
            if error:
                raise RenderError(error)
            return out.read_bytes()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def start_worker(parent: int) -> None:
    """A PDF worker's start: its messages in Chinese, as the pages that show them; tied to the server."""
    from checklist import i18n

    i18n.pin(i18n.DEFAULT)
    tie_to_parent(parent)


def tie_to_parent(parent: int, every: float = 0.5) -> None:
    """Make a PDF worker end with the server, even one killed with SIGKILL (which runs no clean-up):
    a watchdog thread ends the worker once its parent is no longer the server. (Not the kernel's
    PR_SET_PDEATHSIG: it fires when the *thread* that started the worker ends — a request thread.)"""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    if os.getppid() != parent:  # the server died before this worker got here
        os._exit(1)
    threading.Thread(target=watch, name="checklist-parent-watch", daemon=True).start()


def check_free(host: str, port: int) -> None:
    """OSError now when the address is taken or not ours (waitress would leak its half-made server)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def run(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve

    check_free(host, port)
    # waitress drops every proxy header unless told; with a trusted proxy the app itself believes
    # that proxy's X-Forwarded-For and drops the headers of anyone else (app.trust_proxy)
    trusting = bool(app.extensions["checklist"].trusted_proxy)
    try:
        serve(app, host=host, port=port, threads=threads, ident="checklist", clear_untrusted_proxy_headers=not trusting)
    finally:
        app.extensions["pdf_pool"].close()
