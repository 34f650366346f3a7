"""Load scenario: two tenants, mixed traffic, per-endpoint throughput and latency, Redis memory
per 10,000 checks, and the fairness measurement (one tenant's 10,000 queued claims vs another
tenant's single check). How to run it and how to read it: benchmarks/README.md.

    .venv/bin/python benchmarks/load.py [--duration 300] [--clients 4] [--json out.json]

By default it starts its own stack the way `make run` does (`factdesk run`: a checks worker, a
webhook worker, the API) on a fresh embedded Redis with free ports, with the quotas raised so
the traffic is not throttled; `--api-url URL --redis-url URL` runs against a stack already up.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from keyspace.keys import Keys  # noqa: E402
from settings import load_settings  # noqa: E402
from stack.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from stack.processes import Process, process_env, wait_until  # noqa: E402

DEMO = ROOT / "data" / "articles" / "nato-secretary-general-2024-03-13.txt"
TENANT_A, TENANT_B = "bench-a", "bench-b"
COUNTRIES = (
    "France", "Italy", "Hungary", "Spain", "Turkey", "Slovakia", "Romania", "Poland",
    "Germany", "the United States", "the United Kingdom", "Canada", "Norway", "Estonia",
)  # fmt: skip
# Claims that repeat (verdict-cache hits after their first check) next to fresh ones.
REPEATED = tuple(f"{country} endorsed Rutte" for country in COUNTRIES[:5])
BACKLOG_BATCH = 100  # the API's batch maximum
WAIT_S = 20  # ?wait= of the POSTs and long-polls
# What each client does, by weight (one action per loop turn).
MIX = {
    "check_wait": 30,
    "check_poll": 20,
    "batch": 8,
    "article": 15,
    "list": 15,
    "webhook": 4,
}


# --- recording ---------------------------------------------------------------------------------


@dataclass
class Recorder:
    """Latencies and outcomes per endpoint, from every client thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    throttled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    cache_hits: int = 0
    checks_created: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(
        self, name: str, session: requests.Session, method: str, url: str, **kwargs: object
    ) -> requests.Response | None:
        """Send one request; record its latency (2xx), a 429, or an error. None on error."""
        started = time.perf_counter()
        try:
            response = session.request(method, url, timeout=WAIT_S + 30, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as e:
            self._error(name, f"{name}: {e!r}")
            return None
        seconds = time.perf_counter() - started
        with self.lock:
            if response.status_code == 429:
                self.throttled[name] += 1
                return response
            if response.status_code >= 400:
                self.errors[name] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{name}: {response.status_code} {response.text[:200]}")
                return None
            self.latencies[name].append(seconds)
            if response.headers.get("X-Cache") == "hit":
                self.cache_hits += 1
        return response

    def derived(self, name: str, seconds: float) -> None:
        with self.lock:
            self.latencies[name].append(seconds)

    def created(self, count: int) -> None:
        with self.lock:
            self.checks_created += count

    def _error(self, name: str, sample: str) -> None:
        with self.lock:
            self.errors[name] += 1
            if len(self.samples) < 10:
                self.samples.append(sample)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- the clients -------------------------------------------------------------------------------


class Client(threading.Thread):
    """One API client of a tenant: a loop of weighted actions until the deadline."""

    def __init__(self, name: str, tenant: Tenant, recorder: Recorder, deadline: float) -> None:
        super().__init__(name=name, daemon=True)
        self.tenant = tenant
        self.rec = recorder
        self.deadline = deadline
        self.session = tenant.session()
        self.random = random.Random(name)
        self.counter = 0
        self.scratch = ""  # this client's article for PUT/GET (checks use the tenant's own)

    def run(self) -> None:
        actions: dict[str, Callable[[], None]] = {
            "check_wait": self.check_wait,
            "check_poll": self.check_poll,
            "batch": self.batch,
            "article": self.article,
            "list": self.list,
            "webhook": self.webhook,
        }
        names, weights = list(MIX), list(MIX.values())
        while time.monotonic() < self.deadline:
            actions[self.random.choices(names, weights)[0]]()

    @property
    def base(self) -> str:
        return self.tenant.base

    def claim(self) -> str:
        if self.random.random() < 0.2:
            return self.random.choice(REPEATED)
        self.counter += 1
        country = self.random.choice(COUNTRIES)
        return f"{country} endorsed Rutte in round {self.counter} of {self.name}."

    def check_body(self) -> dict:
        return {"claim": self.claim(), "article_id": self.tenant.article_id}

    def check_wait(self) -> None:
        started = time.perf_counter()
        name = f"POST /v1/checks?wait={WAIT_S}"
        response = self.rec.call(
            name,
            self.session,
            "POST",
            f"{self.base}/v1/checks?wait={WAIT_S}",
            json=self.check_body(),
        )
        if response is not None and response.status_code < 300:
            self.rec.created(1)
            if self.poll_until_final(response.json()):
                self.rec.derived("check → verdict (?wait)", time.perf_counter() - started)

    def check_poll(self) -> None:
        started = time.perf_counter()
        response = self.rec.call(
            "POST /v1/checks",
            self.session,
            "POST",
            f"{self.base}/v1/checks",
            json=self.check_body(),
        )
        if response is not None and response.status_code < 300:
            self.rec.created(1)
            if self.poll_until_final(response.json()):
                self.rec.derived("check → verdict (polling)", time.perf_counter() - started)

    def poll_until_final(self, check: dict) -> bool:
        """Poll GET /v1/checks/{id} every 0.2 s until the check is final; False on error."""
        while check["status"] not in ("done", "failed"):
            if time.monotonic() > self.deadline + 120:
                return False
            time.sleep(0.2)
            response = self.rec.call(
                "GET /v1/checks/{id}", self.session, "GET", f"{self.base}/v1/checks/{check['id']}"
            )
            if response is None:
                return False
            if response.status_code == 200:
                check = response.json()
        return True

    def batch(self) -> None:
        body = {"claims": [self.claim() for _ in range(5)], "article_id": self.tenant.article_id}
        response = self.rec.call(
            "POST /v1/checks:batch", self.session, "POST", f"{self.base}/v1/checks:batch", json=body
        )
        if response is not None and response.status_code < 300:
            checks = response.json()["checks"]
            self.rec.created(len(checks))
            self.poll_until_final(checks[-1])  # keeps a client's batches from piling up

    def article(self) -> None:
        if not self.scratch:
            response = self.rec.call(
                "POST /v1/articles", self.session, "POST", f"{self.base}/v1/articles",
                json={"text": "A scratch article.", "title": self.name},
            )  # fmt: skip
            if response is None or response.status_code >= 300:
                return
            self.scratch = response.json()["id"]
        self.counter += 1
        text = f"{self.name} rewrote this article, revision {self.counter}. NATO met in Brussels."
        url = f"{self.base}/v1/articles/{self.scratch}"
        self.rec.call("PUT /v1/articles/{id}", self.session, "PUT", url, json={"text": text})
        self.rec.call("GET /v1/articles/{id}", self.session, "GET", url)

    def list(self) -> None:
        url = f"{self.base}/v1/articles?limit=20"
        self.rec.call("GET /v1/articles", self.session, "GET", url)

    def webhook(self) -> None:
        body = {"url": self.tenant.receiver_url, "events": ["check.failed"]}
        response = self.rec.call(
            "POST /v1/webhooks", self.session, "POST", f"{self.base}/v1/webhooks", json=body
        )
        self.rec.call("GET /v1/webhooks", self.session, "GET", f"{self.base}/v1/webhooks")
        if response is not None and response.status_code == 201:
            url = f"{self.base}/v1/webhooks/{response.json()['id']}"
            self.rec.call("DELETE /v1/webhooks/{id}", self.session, "DELETE", url)


# --- the stack -----------------------------------------------------------------------------------


@dataclass
class Tenant:
    name: str
    key: str
    base: str
    receiver_url: str
    article_id: str = ""

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.key}"
        return session


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver that takes every delivery (204)."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def own_stack(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[str, str]]:
    """A fresh embedded Redis and `factdesk run` on free ports; yields (api_url, redis_url)."""
    server = EmbeddedRedis(workdir / "redis", free_port()).start()
    port = free_port()
    overrides: dict[str, object] = {
        "port": port,
        "data_dir": workdir / "data",
        "rate_limit": args.rate_limit,
        "claims_per_day": 10 * (args.backlog + 100_000),
        "max_unfinished_checks": args.backlog + 10_000,
        "webhook_allow_hosts": "127.0.0.1",
        "tenant_in_flight": args.in_flight,
        "worker_concurrency": args.worker_concurrency,
    }
    run = Process(["run"], process_env(server.url, **overrides), workdir / "factdesk-run.log")
    api = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{api}/readyz"), 180, "`factdesk run` to be ready")
        yield api, server.url
    except TimeoutError:
        print(run.log_tail(), file=sys.stderr)
        raise
    finally:
        run.stop()
        server.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def create_key(redis_url: str, key_prefix: str, tenant: str) -> str:
    """`factdesk keys create --tenant NAME`; return the key it prints once."""
    env = {**os.environ, "REDIS_URL": redis_url, "FACTDESK_KEY_PREFIX": key_prefix}
    out = subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", "create", "--tenant", tenant],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return next(line for line in out if line.startswith("fd_"))


# --- phases --------------------------------------------------------------------------------------


def load_phase(tenants: list[Tenant], args: argparse.Namespace) -> tuple[Recorder, float]:
    recorder = Recorder()
    deadline = time.monotonic() + args.duration
    clients = [
        Client(f"{t.name}-client-{i}", t, recorder, deadline)
        for t in tenants
        for i in range(args.clients)
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return recorder, time.monotonic() - started


def unfinished(client: redis.Redis, root: Keys, tenant: str) -> int:
    return int(client.zcard(root.for_tenant(tenant).checks_unfinished()))


def verdict_of(tenant: Tenant, session: requests.Session, claim: str) -> tuple[float, dict]:
    """B's POST, long-polled to its verdict: (seconds from POST to verdict, the check)."""
    started = time.perf_counter()
    body = {"claim": claim, "article_id": tenant.article_id}
    check = session.post(f"{tenant.base}/v1/checks?wait=30", json=body, timeout=60).json()
    while check["status"] not in ("done", "failed"):
        url = f"{tenant.base}/v1/checks/{check['id']}?wait=30"
        check = session.get(url, timeout=60).json()
    assert check["status"] == "done", check
    assert check["verdict"].get("cached") is not True, "a cache hit measures nothing"
    return time.perf_counter() - started, check


def started_between(client: redis.Redis, keys: Keys, after: str, since_id: str, until: str) -> int:
    """How many of a tenant's checks started after `after` and before `until` (RFC 3339 times
    of the check records): those finished since done-log entry `since_id`, or running now."""
    finished = [e["id"] for _, e in client.xrange(keys.checks_done(), f"({since_id}", "+")]
    running = client.zrange(keys.checks_in_flight(), 0, -1)
    pipe = client.pipeline(transaction=False)
    for check_id in {*finished, *running}:
        pipe.hget(keys.check(check_id), "started_at")
    return sum(1 for s in pipe.execute() if s and after < s < until)


def check_durations(client: redis.Redis, keys: Keys, since_id: str) -> list[float]:
    """Seconds from `started_at` to `finished_at` of a tenant's checks finished since a
    done-log entry."""
    finished = [e["id"] for _, e in client.xrange(keys.checks_done(), f"({since_id}", "+")]
    pipe = client.pipeline(transaction=False)
    for check_id in finished:
        pipe.hmget(keys.check(check_id), "started_at", "finished_at")
    return [
        (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        for start, end in pipe.execute()
        if start and end
    ]


def last_entry(client: redis.Redis, stream: str) -> str:
    newest = client.xrevrange(stream, "+", "-", count=1)
    return newest[0][0] if newest else "0-0"


def fairness_phase(
    a: Tenant, b: Tenant, client: redis.Redis, root: Keys, args: argparse.Namespace
) -> dict:
    """B's time to verdict on an idle system, then with A holding `backlog` queued claims."""
    wait_until(
        lambda: unfinished(client, root, a.name) + unfinished(client, root, b.name) == 0,
        600,
        "the load phase's checks to finish",
    )
    session_a, session_b = a.session(), b.session()
    rounds = args.fairness_rounds
    idle = [
        verdict_of(b, session_b, f"Idle round {i}: Italy endorsed Rutte.")[0] for i in range(rounds)
    ]

    memory_before = int(client.info("memory")["used_memory"])
    submit_started = time.perf_counter()
    for start in range(0, args.backlog, BACKLOG_BATCH):
        claims = [
            f"Backlog claim {n}: {COUNTRIES[n % len(COUNTRIES)]} endorsed Rutte."
            for n in range(start, min(start + BACKLOG_BATCH, args.backlog))
        ]
        response = session_a.post(
            f"{a.base}/v1/checks:batch",
            json={"claims": claims, "article_id": a.article_id},
            timeout=60,
        )
        assert response.status_code == 202, response.text
    submit_s = time.perf_counter() - submit_started
    memory_after = int(client.info("memory")["used_memory"])

    keys_a = root.for_tenant(a.name)
    loaded, a_ahead, a_waiting = [], [], []
    drained_from = last_entry(client, keys_a.checks_done())
    drain_count, drain_started = int(client.xlen(keys_a.checks_done())), time.perf_counter()
    for i in range(rounds):
        a_waiting.append(unfinished(client, root, a.name))
        since = last_entry(client, keys_a.checks_done())
        seconds, check = verdict_of(b, session_b, f"Loaded round {i}: Spain endorsed Rutte.")
        loaded.append(seconds)
        # From B's record's creation (just before it joins the broker queue) to its start.
        window = (check["created_at"], check["started_at"])
        a_ahead.append(started_between(client, keys_a, window[0], since, window[1]))
    durations = check_durations(client, keys_a, drained_from)
    rate = (int(client.xlen(keys_a.checks_done())) - drain_count) / (
        time.perf_counter() - drain_started
    )
    k, workers, others = args.in_flight, args.worker_concurrency, 1  # others: tenant A
    check_s = workers / rate if rate else float("nan")  # a check's share of the workers
    check_max_s = max(durations) if durations else float("nan")
    return {
        "backlog_claims": args.backlog,
        "backlog_submit_s": submit_s,
        "memory_per_10000_queued_checks_bytes": (memory_after - memory_before)
        * 10_000
        // args.backlog,
        "b_idle_s": idle,
        "b_loaded_s": loaded,
        "a_unfinished_at_each_b_post": a_waiting,
        "a_unfinished_after": unfinished(client, root, a.name),
        "a_checks_started_after_b_post_before_b": a_ahead,
        "a_checks_per_s_under_load": rate,
        "tenant_in_flight": k,
        "bound_other_checks_before_b": k * others,
        "a_check_p50_s": statistics.median(durations) if durations else None,
        "a_check_max_s": check_max_s,
        "bound_seconds": (math.ceil(k * others / workers) + 1) * check_max_s,
        "fifo_seconds_estimate": (args.backlog / workers + 1) * check_s,
    }


# --- report --------------------------------------------------------------------------------------


def report(recorder: Recorder, elapsed: float, memory: dict, fairness: dict | None) -> dict:
    rows = []
    names = sorted(set(recorder.latencies) | set(recorder.errors) | set(recorder.throttled))
    for name in names:
        ms = [s * 1000 for s in recorder.latencies.get(name, [])]
        derived = "→" in name
        rows.append(
            {
                "endpoint": name,
                "count": len(ms),
                "per_s": None if derived else len(ms) / elapsed,
                "p50_ms": statistics.median(ms) if ms else None,
                "p95_ms": percentile(ms, 0.95) if ms else None,
                "p99_ms": percentile(ms, 0.99) if ms else None,
                "errors": recorder.errors.get(name, 0),
                "429": recorder.throttled.get(name, 0),
            }
        )
    print(f"\n{'endpoint':<30} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6} {'429':>5}")  # fmt: skip
    for r in rows:
        per_s = f"{r['per_s']:.2f}" if r["per_s"] is not None else "-"
        cells = [f"{r[c]:.1f}" if r[c] is not None else "-" for c in ("p50_ms", "p95_ms", "p99_ms")]
        print(f"{r['endpoint']:<30} {r['count']:>6} {per_s:>7} {cells[0]:>8} {cells[1]:>8} "
              f"{cells[2]:>8} {r['errors']:>6} {r['429']:>5}")  # fmt: skip
    requests_total = sum(r["count"] for r in rows if r["per_s"] is not None)
    errors = sum(recorder.errors.values())
    throttled = sum(recorder.throttled.values())
    print(f"\n{requests_total} requests in {elapsed:.0f} s ({requests_total / elapsed:.1f}/s); "
          f"errors: {errors}; 429: {throttled}; checks created: {recorder.checks_created} "
          f"({recorder.cache_hits} verdict-cache hits)")  # fmt: skip
    for sample in recorder.samples:
        print(f"  error: {sample}")
    print(f"Redis used_memory: {memory['before'] / 1e6:.1f} MB before, "
          f"{memory['after'] / 1e6:.1f} MB after the load phase: "
          f"{memory['per_10000_checks'] / 1e6:.1f} MB per 10,000 checks created "
          "(records with verdicts, done log, cache, articles and deliveries included)")  # fmt: skip
    if fairness:
        f = fairness
        print(f"\nFairness: tenant A queued {f['backlog_claims']} claims "
              f"({f['backlog_submit_s']:.1f} s to submit; Redis "
              f"{f['memory_per_10000_queued_checks_bytes'] / 1e6:.1f} MB per 10,000 queued "
              "checks), "
              f"then tenant B posted single checks")  # fmt: skip
        print(f"  B, idle system:      {_seconds(f['b_idle_s'])}")
        print(f"  B, behind A's queue: {_seconds(f['b_loaded_s'])}  "
              f"(A unfinished at each POST: {f['a_unfinished_at_each_b_post']}; "
              f"after: {f['a_unfinished_after']})")  # fmt: skip
        print(f"  A's checks that started after B's check was created and before it started: "
              f"{f['a_checks_started_after_b_post_before_b']} (bound: K × (T − 1) = "
              f"{f['bound_other_checks_before_b']}; K = FACTDESK_TENANT_IN_FLIGHT = "
              f"{f['tenant_in_flight']}, T = 2 tenants with work)")  # fmt: skip
        print(f"  bound as time: (⌈K × (T − 1) / W⌉ + 1) check durations = "
              f"{f['bound_seconds']:.2f} s + HTTP (A's check durations under this load: "
              f"p50 {f['a_check_p50_s'] * 1000:.0f} ms, max {f['a_check_max_s'] * 1000:.0f} ms; "
              f"A ran {f['a_checks_per_s_under_load']:.1f} "
              f"checks/s); plain FIFO "
              f"behind A's whole queue: "
              f"≈ {f['fifo_seconds_estimate']:.0f} s")  # fmt: skip
    return {"endpoints": rows, "elapsed_s": elapsed, "requests": requests_total,
            "errors": errors, "throttled": throttled, "checks_created": recorder.checks_created,
            "cache_hits": recorder.cache_hits, "memory": memory, "fairness": fairness,
            "error_samples": recorder.samples}  # fmt: skip


def _seconds(values: list[float]) -> str:
    return (f"median {statistics.median(values):.2f} s, max {max(values):.2f} s "
            f"(n={len(values)}: {', '.join(f'{v:.2f}' for v in values)})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of mixed traffic")
    parser.add_argument("--clients", type=int, default=4, help="client threads per tenant")
    parser.add_argument("--backlog", type=int, default=10_000, help="A's queued claims")
    parser.add_argument("--fairness-rounds", type=int, default=5)
    parser.add_argument("--skip-fairness", action="store_true")
    parser.add_argument("--in-flight", type=int, default=4, help="FACTDESK_TENANT_IN_FLIGHT")
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--rate-limit", default="100000/minute", help="FACTDESK_RATE_LIMIT")
    parser.add_argument("--api-url", help="a running stack's API (default: start one)")
    parser.add_argument("--redis-url", help="that stack's REDIS_URL (needed with --api-url)")
    parser.add_argument("--key-prefix", default="fd", help="that stack's FACTDESK_KEY_PREFIX")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if bool(args.api_url) != bool(args.redis_url):
        parser.error("--api-url and --redis-url go together")

    load1 = os.getloadavg()[0]
    print(f"hardware: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {load1:.2f}; {args.clients} clients per tenant, {args.duration:.0f} s, "
          f"K={args.in_flight}, worker concurrency {args.worker_concurrency}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, _stack(args, Path(tmp)) as (api, redis_url):
        settings = load_settings(env={}, redis_url=redis_url, key_prefix=args.key_prefix)
        root = Keys(settings.key_prefix)
        client = redis.Redis.from_url(redis_url, decode_responses=True)
        receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        receiver_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        tenants = [
            Tenant(name, create_key(redis_url, args.key_prefix, name), api, receiver_url)
            for name in (TENANT_A, TENANT_B)
        ]
        text = DEMO.read_text(encoding="utf-8")
        for tenant in tenants:
            session = tenant.session()
            response = session.post(f"{api}/v1/articles", json={"text": text}, timeout=30)
            response.raise_for_status()
            tenant.article_id = response.json()["id"]
            hook = {"url": receiver_url, "events": ["check.completed"]}  # deliveries flow
            session.post(f"{api}/v1/webhooks", json=hook, timeout=30).raise_for_status()
            warm = {"claim": "France endorsed Rutte", "article_id": tenant.article_id}
            session.post(f"{api}/v1/checks?wait=30", json=warm, timeout=60).raise_for_status()

        before = int(client.info("memory")["used_memory"])
        recorder, elapsed = load_phase(tenants, args)
        after = int(client.info("memory")["used_memory"])
        memory = {
            "before": before,
            "after": after,
            "per_10000_checks": (after - before) * 10_000 // max(1, recorder.checks_created),
        }
        fairness = None
        if not args.skip_fairness:
            fairness = fairness_phase(tenants[0], tenants[1], client, root, args)
        receiver.shutdown()
    results = report(recorder, elapsed, memory, fairness)
    results["load_average_start"] = load1
    results["load_average_end"] = os.getloadavg()[0]
    print(f"load average at the end: {results['load_average_end']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if results["errors"] == 0 else 1


@contextmanager
def _stack(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[str, str]]:
    if args.api_url:
        yield args.api_url.rstrip("/"), args.redis_url
    else:
        with own_stack(args, workdir) as urls:
            yield urls


if __name__ == "__main__":
    sys.exit(main())
