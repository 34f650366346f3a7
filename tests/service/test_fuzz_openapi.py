"""Attack it, in the suite: schemathesis against the live stack's `/openapi.json`.

A private Redis, a `factdesk serve` process and a `factdesk worker` process; the fuzz tenant's
key holds every scope and is sent on every request. The document comes from the live server,
so what is fuzzed is what is served. Two tests:

- every operation, through schemathesis' coverage phase and its fuzzing phase (valid and
  invalid data, FACTDESK_FUZZ_EXAMPLES cases per operation and mode);
- the stateful phase: `schema.as_state_machine()` chains operations through the links
  schemathesis infers (POST /v1/articles -> GET/PUT/DELETE /v1/articles/{article_id}, ...),
  FACTDESK_FUZZ_SCENARIOS scenarios of up to FACTDESK_FUZZ_STEPS calls.

Every answer must pass CHECKS: no 5xx, a status listed for the operation (not merely covered
by `default`), the content type and body documented for that status, 405 with Allow for an
undeclared method. `make test` runs it bounded; `make fuzz` is the long run (docs/security.md,
"Attack it").

The phases are driven here through the schema's own methods (`as_strategy`,
`iter_coverage_cases`, `as_state_machine`): schemathesis' pytest loader for a schema that
comes from a fixture (`schemathesis.pytest.from_fixture`) fails under pytest 9.2 (it sets
`Function._nodeid`, which pytest 9.2 no longer has), and the server only exists once the
fixture has run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import Phase
from hypothesis.errors import FlakyStrategyDefinition
from live_stack import KEY_PREFIX, Process
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import CoverageScenario, coverage_scenario
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from keyspace.stores import Stores
from keyspace.tenants import SCOPES
from settings import load_settings
from stack.embedded_redis import EmbeddedRedis

FUZZ_TENANT = "fuzz"
FUZZ_EXAMPLES = int(os.environ.get("FACTDESK_FUZZ_EXAMPLES", "20"))
FUZZ_STEPS = int(os.environ.get("FACTDESK_FUZZ_STEPS", "40"))
FUZZ_SCENARIOS = int(os.environ.get("FACTDESK_FUZZ_SCENARIOS", "8"))

# The fuzz server's settings: quotas high enough that the fuzzer reaches the handlers rather
# than the limiter (429 is documented on every operation and tested in test_quotas.py); sources
# and webhook receivers that fail at once, so checks finish fast and nothing leaves the host.
FUZZ_SERVER_ENV: dict[str, object] = {
    "rate_limit": "100000/minute",
    "claims_per_day": 1_000_000,
    "failed_auth_per_minute": 100_000,
    "max_unfinished_checks": 0,
    "engine_judge": "symbolic",
    "wikipedia_api_url": "http://127.0.0.1:9/w/api.php",
    "source_budget_s": 1,
    "source_retries": 0,
    "webhook_timeout_s": 1,
}


def status_code_listed(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """The status is one the operation lists by number.

    Every operation also has flask-smorest's `default` response (problem+json), which makes
    schemathesis' own `status_code_conformance` accept any status; this check does not let
    `default` cover a status the document never names.
    """
    if coverage_scenario(case) == CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        # A method the path does not declare belongs to no operation that could list its
        # 405; `unsupported_method` checks that answer (405 with Allow).
        return None
    listed = {code for code in case.operation.responses.status_codes if code != "default"}
    if str(response.status_code) not in listed:
        raise UndefinedStatusCode(
            operation=case.operation.label,
            status_code=response.status_code,
            defined_status_codes=sorted(listed),
            allowed_status_codes=sorted(int(code) for code in listed),
            message=f"Received: {response.status_code}\nListed: {', '.join(sorted(listed))}",
        )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    status_code_listed,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
]


@dataclass
class Tally:
    """What one run sent: cases per operation, responses per status, failures by operation."""

    cases: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def count(self, case: schemathesis.Case, status: int) -> None:
        label = case.operation.label
        self.cases[label] = self.cases.get(label, 0) + 1
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def report(self, title: str) -> str:
        total = sum(self.cases.values())
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{title}: {len(self.cases)} operations, {total} cases, "
            f"{len(self.failures)} failing; statuses {statuses}"
        )


@dataclass
class FuzzStack:
    url: str
    key: str
    tally: Tally = field(default_factory=Tally)

    def load_schema(self) -> Any:
        return schemathesis.openapi.from_url(
            f"{self.url}/openapi.json", config=SchemathesisConfig()
        )

    def call_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.url,
            "headers": {"Authorization": f"Bearer {self.key}"},
            "timeout": 60,
        }

    def send(self, case: schemathesis.Case) -> None:
        """Send `case` with the fuzz key and run every check on the answer."""
        kwargs = self.call_kwargs()
        response = case.call(**kwargs)
        self.tally.count(case, response.status_code)
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


@pytest.fixture
def fuzz_stack(
    fresh_redis: EmbeddedRedis,
    start_api: Callable[..., Process],
    start_worker: Callable[..., Process],
) -> Iterator[FuzzStack]:
    settings = load_settings(env={}, redis_url=fresh_redis.url, key_prefix=KEY_PREFIX)
    stores = Stores.from_settings(settings, FUZZ_TENANT)
    key = stores.api_keys.create(FUZZ_TENANT, SCOPES)[0]
    stores.redis.close()
    start_worker(fresh_redis.url, **FUZZ_SERVER_ENV)
    api = start_api(fresh_redis.url, **FUZZ_SERVER_ENV)
    yield FuzzStack(api.url, key)


def hypothesis_settings(**overrides: Any) -> hypothesis.settings:
    # derandomize: the bounded run sends the same cases on every machine; no example database,
    # so a failure found once is not silently replayed (or hidden) on the next run.
    settings: dict[str, Any] = {
        "deadline": None,
        "derandomize": True,
        "database": None,
        "suppress_health_check": list(hypothesis.HealthCheck),
    }
    return hypothesis.settings(**{**settings, **overrides})


def fuzz_operation(stack: FuzzStack, operation: Any, mode: GenerationMode) -> None:
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=FUZZ_EXAMPLES, phases=[Phase.generate, Phase.shrink])
    def run(case: schemathesis.Case) -> None:
        stack.send(case)

    try:
        run()
    except FailureGroup as failures:
        stack.tally.failures.append(f"{operation.label} ({mode.value}): {failures}")


def cover_operation(stack: FuzzStack, schema: Any, operation: Any) -> None:
    """Schemathesis' coverage phase: boundary values and each constraint broken in turn."""
    found: dict[str, str] = {}
    cases = schema.iter_coverage_cases(
        operation,
        generation_modes=list(GenerationMode),
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
    )
    for case in cases:
        try:
            stack.send(case)
        except FailureGroup as failures:
            for failure in failures.exceptions:
                found.setdefault(failure.title, f"{operation.label} (coverage): {failures}")
    stack.tally.failures.extend(found.values())


def test_every_operation_answers_as_documented(fuzz_stack: FuzzStack) -> None:
    schema = fuzz_stack.load_schema()
    results = list(schema.get_all_operations())
    assert not [result.err() for result in results if not isinstance(result, Ok)]
    operations = [result.ok() for result in results]
    assert len(operations) == sum(1 for _ in iter_operations(schema.raw_schema))
    for operation in operations:
        cover_operation(fuzz_stack, schema, operation)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz_operation(fuzz_stack, operation, mode)
    print(fuzz_stack.tally.report("fuzz, every operation"))
    assert set(fuzz_stack.tally.cases) == {op.label for op in operations}
    assert not fuzz_stack.tally.failures, "\n\n".join(fuzz_stack.tally.failures)


def iter_operations(document: dict) -> Iterator[tuple[str, str]]:
    for path, item in document["paths"].items():
        for method in item:
            if method in {"get", "put", "post", "delete", "patch", "head", "options"}:
                yield method, path


def test_operations_chained_by_their_links_answer_as_documented(fuzz_stack: FuzzStack) -> None:
    """The stateful phase: sequences of calls joined by the links schemathesis infers."""
    stack = fuzz_stack
    schema = stack.load_schema()
    machine = schema.as_state_machine()
    scenarios = 0

    class Chained(machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            nonlocal scenarios
            scenarios += 1

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return stack.call_kwargs()

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            super().after_call(response, case)
            stack.tally.count(case, response.status_code)

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            try:
                case.validate_response(
                    response, checks=CHECKS, transport_kwargs=kwargs, recorder=self.recorder
                )
            except FailureGroup as failures:
                # Kept here as well: a suite hypothesis ends as flaky must not lose it.
                stack.tally.failures.append(f"{case.operation.label} (stateful): {failures}")
                raise

    # Suites with fixed seeds (reproducible, like derandomize) until FUZZ_SCENARIOS scenarios ran.
    # Hypothesis ends a suite with FlakyStrategyDefinition when a scenario's choice of calls meets
    # a server that answers differently than before (an id now taken, a bundle now empty); the
    # schemathesis engine ends the suite there too and starts another. A check failure is never
    # caught here: FailureGroup and FlakyFailure (a failure that did not replay) propagate.
    for seed in range(FUZZ_SCENARIOS):
        if scenarios >= FUZZ_SCENARIOS:
            break
        suite = hypothesis.seed(seed)(Chained)
        try:
            suite.run(
                settings=hypothesis_settings(
                    derandomize=False,
                    max_examples=FUZZ_SCENARIOS - scenarios,
                    stateful_step_count=FUZZ_STEPS,
                    # No shrinking: a shorter replay meets a server whose state the first run
                    # changed, so it would not be the same scenario.
                    phases=[Phase.generate],
                )
            )
        except FlakyStrategyDefinition:
            continue
    print(stack.tally.report(f"fuzz, stateful ({scenarios} scenarios)"))
    labels = {result.ok().label for result in schema.get_all_operations()}
    print("  not reached by a scenario:", ", ".join(sorted(labels - set(stack.tally.cases))))
    assert scenarios >= FUZZ_SCENARIOS
    assert not stack.tally.failures, "\n\n".join(stack.tally.failures)
