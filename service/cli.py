"""`factdesk serve | worker | run | check | eval`: the one entry point for every process."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from settings import Settings, env_name, load_settings

if TYPE_CHECKING:
    from flask import Flask


# FACTDESK_LOG_FORMAT when unset: machine-readable for the services, text for `factdesk run`'s
# console, which a person reads.
SERVICE_LOG_FORMAT = "json"
CONSOLE_LOG_FORMAT = "text"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command != "eval" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return cmd_eval(rest) if args.command == "eval" else args.handler(args)
    except BrokenPipeError:
        # `factdesk check ... | head` closed the pipe; stop quietly, as the Python docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP API (waitress)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--load-demo", action="store_true", help="store the demo article first")
    serve.set_defaults(handler=cmd_serve)

    worker = sub.add_parser("worker", help="run a Celery worker against REDIS_URL")
    worker.add_argument("--concurrency", type=int)
    worker.add_argument(
        "--queues", help="comma-separated queues (default: FACTDESK_WORKER_QUEUES, else all)"
    )
    worker.add_argument(
        "--pool",
        choices=("prefork", "threads"),
        default="prefork",
        help="threads suits a webhook-only worker (deliveries wait on the network)",
    )
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(handler=cmd_worker)

    run = sub.add_parser("run", help="embedded Redis (unless REDIS_URL) + worker + API + demo")
    run.set_defaults(handler=cmd_run)

    check = sub.add_parser("check", help="check one claim in process, without Redis")
    check.add_argument("claim")
    check.add_argument("--article", type=Path, required=True, help="a UTF-8 text file")
    check.set_defaults(handler=cmd_check)

    sub.add_parser("eval", help="evaluate the engine on labelled JSONL (see docs)", add_help=False)

    from service.keys_cli import add_keys_parser

    add_keys_parser(sub)
    return parser


def cmd_serve(args: argparse.Namespace, settings: Settings | None = None) -> int:
    import waitress

    from service.app import create_app
    from workers.logs import configure_logging

    settings = settings or load_settings()
    configure_logging(settings.log_format or SERVICE_LOG_FORMAT, logging.INFO)
    settings = replace(settings, host=args.host or settings.host, port=args.port or settings.port)
    app = create_app(settings)
    # Bind first: by the time the banner shows, the printed curl can connect.
    server = waitress.create_server(
        app, host=settings.host, port=settings.port, threads=settings.threads
    )
    server.print_listen("Serving on http://{}:{}")
    if args.load_demo:
        _announce(settings, _load_demo(app), getattr(args, "api_key", None))
    server.run()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from workers import task_logs
    from workers.celery_app import QueueNames, create_celery

    settings = load_settings()
    log_format = settings.log_format or SERVICE_LOG_FORMAT
    task_logs.install(log_format)
    queues = args.queues or settings.worker_queues or ",".join(QueueNames.ALL)
    celery = create_celery(settings)
    # JSON logs stay one object a line: no startup banner in them.
    quiet = ["--quiet"] if log_format == "json" else []
    celery.worker_main(
        [
            *quiet,
            "worker",
            f"--loglevel={args.loglevel}",
            f"--concurrency={args.concurrency or settings.worker_concurrency}",
            f"--queues={queues}",
            f"--pool={args.pool}",
            f"--hostname=factdesk-{os.getpid()}@%h",
            # No gossip/mingle: workers share nothing but Redis, and startup is a second faster.
            "--without-gossip",
            "--without-mingle",
        ]
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Start everything `make run` promises, in the foreground; Ctrl-C stops it all.

    Redis (embedded unless REDIS_URL is set), a checks worker and a webhook worker run under a
    supervisor: one that dies is restarted with backoff, and the console says so.
    """
    from service.supervisor import CommandChild, EmbeddedRedisChild, Supervisor
    from stack.embedded_redis import EmbeddedRedis
    from workers.celery_app import QueueNames

    # SIGTERM (docker stop, a supervisor) unwinds like Ctrl-C, so the children stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = load_settings()
    settings = replace(settings, log_format=settings.log_format or CONSOLE_LOG_FORMAT)
    children: list = []
    if not settings.redis_url:
        embedded = EmbeddedRedis(settings.data_dir / "redis", settings.embedded_redis_port)
        children.append(EmbeddedRedisChild(embedded))
        settings = replace(settings, redis_url=embedded.url)
        print(f"embedded Redis (AOF in {embedded.data_dir}) on {embedded.url}", flush=True)
    env = {
        **os.environ,
        "REDIS_URL": settings.redis_url,
        env_name("log_format"): settings.log_format,  # the workers write to this console too
    }
    worker = [sys.executable, "-m", "service.cli", "worker"]
    children.append(CommandChild("checks worker", [*worker, f"--queues={QueueNames.CHECKS}"], env))
    webhooks = [
        f"--queues={QueueNames.WEBHOOKS}",
        "--pool=threads",
        f"--concurrency={settings.webhook_worker_concurrency}",
    ]
    children.append(CommandChild("webhook worker", [*worker, *webhooks], env))
    supervisor = Supervisor(children)
    try:
        from service.keys_cli import local_key

        supervisor.start_all()
        supervisor.watch()
        key = local_key(settings)
        args = argparse.Namespace(host=None, port=None, load_demo=True, api_key=key)
        return cmd_serve(args, settings)
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop_all()


def cmd_check(args: argparse.Namespace) -> int:
    from keyspace.articles import revision_of
    from keyspace.records import utcnow
    from workers.engine import Document, check
    from workers.verdicts import verdict_to_wire

    text = args.article.read_text(encoding="utf-8")
    document = Document(id=args.article.stem, text=text, revision=revision_of(text))
    verdict = check(args.claim, [document])
    print(json.dumps(verdict_to_wire(verdict, checked_at=utcnow()), indent=2, ensure_ascii=False))
    return 0


def cmd_eval(argv: list[str]) -> int:
    from workers.evaluation import main as evaluation_main

    return evaluation_main(argv)


def _load_demo(app: Flask) -> dict:
    from service.demo import load_demo_article

    return load_demo_article(app.extensions["factdesk"].stores)


def _announce(settings: Settings, article: dict, api_key: str | None = None) -> None:
    base = f"http://{settings.host}:{settings.port}"
    body = json.dumps({"claim": "France endorsed Rutte", "article_id": article["id"]})
    auth = f"-H 'Authorization: Bearer {api_key}' " if api_key else ""
    key_line = (
        f"API key of tenant 'local' (all scopes; kept in {settings.data_dir}/local-api-key):\n"
        f"  {api_key}\n\n"
        if api_key
        else ""
    )
    print(
        f"\nfactdesk API on {base}  (reference: {base}/docs)\n"
        f"demo article id: {article['id']}\n"
        f"{key_line}\n"
        "Check a claim against it (waits up to 10 s for the verdict):\n"
        f"  curl -s {auth}-H 'Content-Type: application/json' -d '{body}' "
        f"'{base}/v1/checks?wait=10'\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
