"""Long-polls cannot take every server thread (issue #12, finding 7).

Before: FACTDESK_THREADS long-polls on an unfinished check held every waitress thread, and
`GET /healthz` waited until one of them timed out (29 s in the probe).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests

THREADS = 4
WAIT_S = 6


def test_long_polls_leave_threads_for_health_checks(fresh_redis, start_api, demo_text) -> None:
    api = start_api(fresh_redis.url, threads=THREADS).url  # no worker: checks stay queued
    article = requests.post(f"{api}/v1/articles", json={"text": demo_text}, timeout=10).json()
    check = requests.post(
        f"{api}/v1/checks",
        json={"claim": "France endorsed Rutte", "article_id": article["id"]},
        timeout=10,
    ).json()
    url = f"{api}/v1/checks/{check['id']}?wait={WAIT_S}"

    def long_poll(_: int) -> tuple[float, requests.Response]:
        started = time.monotonic()
        response = requests.get(url, timeout=WAIT_S + 10)
        return time.monotonic() - started, response

    with ThreadPoolExecutor(max_workers=2 * THREADS) as pool:
        polls = [pool.submit(long_poll, i) for i in range(2 * THREADS)]
        time.sleep(1.0)  # every long-poll has reached the server
        started = time.monotonic()
        health = requests.get(f"{api}/healthz", timeout=3)
        health_s = time.monotonic() - started
        results = [p.result() for p in polls]

    assert health.status_code == 200 and health_s < 2
    answered = [response for _, response in results]
    assert all(r.status_code == 200 and r.json()["status"] == "queued" for r in answered)
    waited = [elapsed for elapsed, _ in results if elapsed >= WAIT_S - 0.5]
    turned_away = [r for elapsed, r in results if elapsed < 2]
    assert 1 <= len(waited) < THREADS  # some did wait, never all threads
    assert turned_away and all(r.headers.get("Retry-After") for r in turned_away)


def test_draft_event_streams_leave_threads_for_health_checks(
    fresh_redis, start_api, demo_text
) -> None:
    api = start_api(fresh_redis.url, threads=THREADS).url  # no worker: the stream stays open
    article = requests.post(f"{api}/v1/articles", json={"text": demo_text}, timeout=10).json()
    body = {"text": "France endorsed Rutte for NATO chief.", "article_id": article["id"]}
    draft = requests.post(f"{api}/v1/drafts", json=body, timeout=30).json()
    url = f"{api}/v1/drafts/{draft['id']}/events"

    def first_bytes(_: int) -> tuple[float, bytes]:
        started = time.monotonic()
        try:
            with requests.get(url, stream=True, timeout=(3, 3)) as response:
                chunk = next(response.iter_content(chunk_size=None), b"")
        except requests.exceptions.Timeout:  # an admitted stream: open, nothing to say yet
            chunk = b""
        return time.monotonic() - started, chunk

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        streams = [pool.submit(first_bytes, i) for i in range(THREADS)]
        time.sleep(1.0)
        started = time.monotonic()
        health = requests.get(f"{api}/healthz", timeout=3)
        health_s = time.monotonic() - started
        results = [s.result() for s in streams]

    assert health.status_code == 200 and health_s < 2
    told_to_retry = [chunk for _, chunk in results if chunk.startswith(b"retry: ")]
    assert 1 <= len(told_to_retry) < THREADS  # some streams were admitted, not all threads
