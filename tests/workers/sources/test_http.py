"""The shared outbound session against a local server: retries, budget, guard, breaker, cache."""

from __future__ import annotations

import threading
import time

import pytest
from source_site import Answer

from workers.sources import SourceRefused, SourceUnavailable

JSON = {"Content-Type": "application/json"}


def deadline(seconds: float = 5.0) -> float:
    return time.monotonic() + seconds


def test_a_slow_server_times_out_within_the_budget(site, make_http) -> None:
    url = site.route("/slow", Answer(200, "{}", JSON, delay_s=2.0))
    http = make_http(source_timeout_s=0.3, source_retries=1)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="timed out"):
        http.get(url, deadline=deadline(5))
    assert time.monotonic() - started < 1.5  # two attempts of 0.3 s, not the server's 2 s each


def test_the_read_timeout_shrinks_to_what_is_left_of_the_budget(site, make_http) -> None:
    url = site.route("/slow", Answer(200, "{}", JSON, delay_s=3.0))
    http = make_http(source_timeout_s=10, source_retries=0)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable):
        http.get(url, deadline=deadline(0.5))
    assert time.monotonic() - started < 1.5


def test_a_5xx_then_success_is_retried(site, make_http) -> None:
    url = site.route("/flaky", Answer(503), Answer(502), Answer(200, '{"ok": 1}', JSON))
    response = make_http(source_retries=2).get(url, deadline=deadline())
    assert response.status_code == 200
    assert response.json() == {"ok": 1}
    assert len(site.asked("/flaky")) == 3


def test_5xx_after_the_last_retry_is_unavailable_and_names_the_status(site, make_http) -> None:
    url = site.route("/down", Answer(503))
    with pytest.raises(SourceUnavailable, match="answered 503"):
        make_http(source_retries=1).get(url, deadline=deadline())
    assert len(site.asked("/down")) == 2


def test_a_client_error_is_returned_not_retried(site, make_http) -> None:
    url = site.route("/missing", Answer(404, "{}", JSON))
    assert make_http().get(url, deadline=deadline()).status_code == 404
    assert len(site.asked("/missing")) == 1


def test_429_waits_for_retry_after(site, make_http) -> None:
    url = site.route("/limited", Answer(429, headers={"Retry-After": "1"}), Answer(200, "{}", JSON))
    started = time.monotonic()
    response = make_http().get(url, deadline=deadline(5))
    assert response.status_code == 200
    assert time.monotonic() - started >= 1.0
    assert len(site.asked("/limited")) == 2


def test_a_retry_after_beyond_the_budget_is_not_waited_for(site, make_http) -> None:
    url = site.route("/limited", Answer(429, headers={"Retry-After": "30"}))
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="budget"):
        make_http().get(url, deadline=deadline(2))
    assert time.monotonic() - started < 1.0
    assert len(site.asked("/limited")) == 1


def test_a_redirect_to_a_private_address_is_refused(site, make_http) -> None:
    url = site.route(
        "/hop", Answer(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    with pytest.raises(SourceRefused, match="non-public"):
        make_http().get(url, deadline=deadline())


def test_a_private_address_is_refused_without_the_allow_list(site, make_http) -> None:
    url = site.route("/x", Answer(200, "{}", JSON))
    with pytest.raises(SourceRefused, match="non-public"):
        make_http(source_allow_hosts="").get(url, deadline=deadline())
    assert site.requests == []


def test_the_configured_wikipedia_host_is_allowed(site, make_http) -> None:
    url = site.route("/w/api.php", Answer(200, "{}", JSON))
    http = make_http(source_allow_hosts="", wikipedia_api_url=url)
    assert http.get(url, deadline=deadline()).status_code == 200


def test_the_circuit_opens_after_repeated_failures_and_closes_after_the_reset(
    site, make_http
) -> None:
    url = site.route("/down", Answer(503))
    http = make_http(source_retries=0, source_breaker_failures=2, source_breaker_reset_s=1)
    for _ in range(2):
        with pytest.raises(SourceUnavailable, match="answered 503"):
            http.get(url, deadline=deadline())
    assert http.circuit_state("127.0.0.1") == "open"
    with pytest.raises(SourceUnavailable, match="circuit open"):
        http.get(url, deadline=deadline())
    assert len(site.asked("/down")) == 2  # the open circuit did not call the host

    site.route("/down", Answer(200, "{}", JSON))
    time.sleep(2.1)  # the breaker stores when it opened in whole seconds
    assert http.get(url, deadline=deadline()).status_code == 200
    assert http.circuit_state("127.0.0.1") == "closed"


def test_the_circuit_is_shared_through_redis(site, make_http) -> None:
    url = site.route("/down", Answer(503))
    first = make_http(source_retries=0, source_breaker_failures=1)
    with pytest.raises(SourceUnavailable):
        first.get(url, deadline=deadline())
    other_worker = make_http(
        key_prefix=first.settings.key_prefix, source_retries=0, source_breaker_failures=1
    )
    with pytest.raises(SourceUnavailable, match="circuit open"):
        other_worker.get(url, deadline=deadline())
    assert len(site.asked("/down")) == 1


def test_answers_are_cached_then_revalidated_with_the_etag(site, make_http) -> None:
    url = site.route(
        "/doc",
        Answer(200, '{"v": 1}', {**JSON, "ETag": '"v1"'}),
        Answer(304, headers={"ETag": '"v1"'}),
    )
    http = make_http(source_cache_ttl_s=1)
    assert http.get(url, deadline=deadline()).json() == {"v": 1}
    again = http.get(url, deadline=deadline())
    assert again.from_cache and again.json() == {"v": 1}
    assert len(site.asked("/doc")) == 1
    time.sleep(1.2)
    revalidated = http.get(url, deadline=deadline())
    assert revalidated.json() == {"v": 1}
    asked = site.asked("/doc")
    assert len(asked) == 2
    assert asked[1].headers.get("If-None-Match") == '"v1"'


def test_the_user_agent_names_the_deployment(site, make_http) -> None:
    url = site.route("/ua", Answer(200, "{}", JSON))
    make_http(public_base_url="https://factdesk.example.org").get(url, deadline=deadline())
    agent = site.asked("/ua")[0].headers["User-Agent"]
    assert agent == "factdesk-test/1.0 +https://factdesk.example.org"


def test_requests_to_one_host_are_capped(site, make_http) -> None:
    site.route("/a", Answer(200, "{}", JSON, delay_s=0.4))
    http = make_http(source_host_concurrency=1, source_cache_ttl_s=0)
    threads = [
        threading.Thread(
            target=http.get, args=(f"{site.url}/a?{n}",), kwargs={"deadline": deadline()}
        )
        for n in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(site.asked("/a")) == 3
    assert site.max_in_flight == 1


def test_a_streamed_body_is_read_inside_the_hosts_slot(site, make_http) -> None:
    site.route("/page", Answer(200, "text", {"Content-Type": "text/plain"}))
    http = make_http(source_host_concurrency=1)
    done: list[float] = []

    def slow_reader(response) -> str:
        time.sleep(0.4)  # a long download
        done.append(time.monotonic())
        return response.text

    def fetch(n: int) -> None:
        http.stream(f"{site.url}/page?{n}", slow_reader, deadline=deadline())

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(2)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 2
    assert max(done) - started >= 0.8  # one after the other, not side by side
