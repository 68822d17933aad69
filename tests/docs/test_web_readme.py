"""The README's web app section runs as written: the users block, then `checklist serve` (its
line from the README, on a free port) and every curl example of the API against it."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from paths import ROOT


def section() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8").split("## Web app", 1)[1].split("\n## ", 1)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_web_session_runs(tmp_path):
    text = section()
    setup = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    serve, api = (block for block in re.findall(r"```text\n(.*?)```", text, re.S))
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `checklist` as the README writes it
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
        for line in (x for x in api.splitlines() if x.startswith("curl ")):
            run = subprocess.run(
                ["sh", "-e", "-c", line.replace("127.0.0.1:8000", f"127.0.0.1:{port}")],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
            )
            assert run.returncode == 0, run.stderr
            replies.append(json.loads(run.stdout))
    finally:
        server.terminate()
        server.wait(10)
        server.stderr.close()
    listed, one, created, answered, moved = replies
    assert "hazards" in listed and "counts" in listed
    assert one["id"] == "YH-2026-0002" and one["actions"] == ["start", "rectify", "extend"]
    assert created["id"] == "20261125-001" and "A3-a" in created["checks"]
    assert answered["check"]["result"] == "fail" and answered["answered"] == 1
    assert moved["status"] == "待复查" and moved["history"][-1]["by"] == "王五"
    assert (tmp_path / "checklist-data" / "audits" / "20261125-001.yaml").is_file()
