"""GET /v1/checks/{id}/claimreview against a live API and worker."""

from __future__ import annotations

import requests
from live_stack import wait_for
from test_claimreview_vocabulary import validate


def test_finished_check_has_valid_claimreview(api: str, worker: object, demo_text: str) -> None:
    article = requests.post(api + "/v1/articles", json={"text": demo_text}, timeout=10).json()
    check = requests.post(
        api + "/v1/checks",
        json={"claim": "Hungary endorsed Rutte.", "article_id": article["id"]},
        timeout=10,
    ).json()
    url = f"{api}/v1/checks/{check['id']}/claimreview"

    early = requests.get(url, timeout=10)
    if early.status_code != 200:  # the worker may already have finished
        assert early.status_code == 409
        assert early.headers["content-type"].startswith("application/problem+json")
    wait_for(
        lambda: (
            requests.get(f"{api}/v1/checks/{check['id']}", timeout=10).json()["status"] == "done"
        ),
        60,
        "the check",
    )

    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    review = response.json()
    assert validate(review) == []
    assert review["claimReviewed"] == "Hungary endorsed Rutte."
    assert review["url"] == f"{api}/v1/checks/{check['id']}"
    assert review["author"]["name"] == "factdesk"
    verdict = requests.get(f"{api}/v1/checks/{check['id']}", timeout=10).json()["verdict"]
    expected = {"SUPPORTED": {4, 5}, "REFUTED": {1, 2}, "NOT_ENOUGH_INFO": {3}}
    assert review["reviewRating"]["ratingValue"] in expected[verdict["label"]]


def test_claimreview_of_unknown_check_is_404(api: str) -> None:
    response = requests.get(api + "/v1/checks/chk_nope/claimreview", timeout=10)
    assert response.status_code == 404
