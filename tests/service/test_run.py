"""`factdesk run` (what `make run` calls): one command brings up the whole service."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time

import requests

from settings import PROJECT_ROOT
from stack.embedded_redis import free_port


def test_run_starts_everything_and_its_curl_gets_a_verdict(tmp_path, check_spans) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL" and not k.startswith("FACTDESK")}
    env.update(
        FACTDESK_DATA_DIR=str(tmp_path / "var"),
        FACTDESK_PORT=str(free_port()),
        FACTDESK_EMBEDDED_REDIS_PORT=str(free_port()),
        FACTDESK_WORKER_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        output = ""
        while "curl" not in output and time.monotonic() < deadline:
            assert process.poll() is None, output
            time.sleep(0.2)
            output = (tmp_path / "run.log").read_text()
        curl = next(line for line in output.splitlines() if line.strip().startswith("curl"))
        article_id = re.search(r"demo article id: (\S+)", output).group(1)
        args = shlex.split(curl)
        body = json.loads(args[args.index("-d") + 1])
        url = args[-1]
        assert body == {"claim": "France endorsed Rutte", "article_id": article_id}
        # The banner's curl carries the local tenant's key, the one kept (0600) in the data dir.
        headers = dict(h.split(": ", 1) for h in args[1:] if h.startswith("Authorization"))
        key_file = tmp_path / "var" / "local-api-key"
        assert headers == {"Authorization": f"Bearer {key_file.read_text().strip()}"}
        assert key_file.stat().st_mode & 0o777 == 0o600
        # A key now exists, so even loopback requests need it.
        assert requests.post(url, json=body, timeout=30).status_code == 401

        # The worker may still be starting when the banner appears; the check waits for it.
        answer = requests.post(url, json=body, headers=headers, timeout=30).json()
        if answer["status"] != "done":
            base = url.split("/v1/")[0]
            answer = requests.get(
                f"{base}/v1/checks/{answer['id']}?wait=30", headers=headers, timeout=40
            ).json()
        assert answer["verdict"]["label"] == "SUPPORTED"
        article = requests.get(
            f"{url.split('/v1/')[0]}/v1/articles/{article_id}", headers=headers, timeout=10
        )
        check_spans(answer["verdict"], {article_id: article.json()["text"]})
        assert (tmp_path / "var" / "redis" / "appendonly.aof").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            log.close()
    assert process.returncode == 0
