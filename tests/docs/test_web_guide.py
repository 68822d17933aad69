"""The web app guide runs as written: its users block, then its `checklist serve` line (on a free
port) and every curl example of the JSON API guide against it. The serve and curl blocks are
marked skip for the per-command doc test; they run here."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from doc_blocks import Block, blocks
from paths import ROOT

WEB = ROOT / "docs" / "guide" / "web.md"
API = ROOT / "docs" / "guide" / "api.md"


def sh_blocks(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.info == "sh"]


def users_block() -> str:
    block = next(b for b in sh_blocks(WEB) if any("checklist users add" in line for line in b.body))
    assert block.skip is None, f"{block.doc}:{block.line}: the users block is skipped"
    return "\n".join(block.body)


def serve_line() -> str:
    block = next(b for b in sh_blocks(WEB) if any(line.startswith("checklist serve ") for line in b.body))
    assert block.skip, f"{block.doc}:{block.line}: `checklist serve` would wait forever in the doc test: mark its block skip"
    return next(line for line in block.body if line.startswith("checklist serve "))


def curl_lines() -> list[str]:
    found = [b for b in sh_blocks(API) if any(line.startswith("curl ") for line in b.body)]
    assert found and all(b.skip for b in found), "the curl blocks need the server: mark them skip for the doc test"
    return [line for b in found for line in b.body if line.startswith("curl ")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_the_guide_web_session_runs(tmp_path):
    setup, serve, api = users_block(), serve_line(), curl_lines()
    assert len(api) == 5 and all("#" in line and "→ " in line.split("#", 1)[1] for line in api)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `checklist` as the guide writes it
    proc = subprocess.run(["sh", "-e", "-c", setup], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "王五" in proc.stdout and (tmp_path / "unit.token").read_text().startswith("ckl_")

    port = free_port()
    command = serve.split("#")[0].strip() + f" --port {port}"
    server = subprocess.Popen(["sh", "-c", "exec " + command], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
                    assert json.load(r)["database"] is True
                break
            except OSError:
                time.sleep(0.1)
        replies = []
        for line in api:
            run = subprocess.run(
                ["sh", "-e", "-c", line.replace("127.0.0.1:8000", f"127.0.0.1:{port}")],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
            )
            assert run.returncode == 0, run.stderr
            promised = line.rsplit("→ ", 1)[1].strip()
            assert promised in run.stdout, f"{line}\n{run.stdout[:500]}"  # each example's comment says what it returns
            replies.append(json.loads(run.stdout))
    finally:
        server.terminate()
        server.wait(10)
        server.stderr.close()
    listed, one, created, answered, moved = replies
    assert "hazards" in listed and "counts" in listed and listed["total"] == 2 and len(listed["hazards"]) == 1 and listed["next"]
    assert one["id"] == "YH-2026-0002" and one["actions"] == ["start", "rectify", "request-extension"]
    assert created["id"] == "20261125-001" and "A3-a" in created["checks"]
    assert answered["check"]["result"] == "fail" and answered["answered"] == 1
    assert moved["status"] == "待复查" and moved["history"][-1]["by"] == "王五"
    assert (tmp_path / "checklist-data" / "audits" / "20261125-001.yaml").is_file()
