"""The OpenAPI document says what the API does (issue #12, finding 9)."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
JSON = "application/json"
METHODS = ("get", "put", "post", "delete", "patch")
WELL_FORMED = {
    "article_id": "art_" + "0" * 16,
    "check_id": "chk_" + "0" * 20,
    "draft_id": "dft_" + "0" * 20,
    "webhook_id": "wh_" + "0" * 20,
    "delivery_id": "dlv_" + "0" * 20,
}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/openapi.json").get_json()


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = spec["components"][section][name]
    return node


def _is_problem(schema: dict) -> bool:
    return schema.get("$ref", "").endswith("/Problem")


def test_every_problem_response_is_documented_as_problem_json(spec: dict) -> None:
    seen = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                content = _resolve(spec, response).get("content", {})
                for media_type, body in content.items():
                    if _is_problem(body.get("schema", {})):
                        seen += 1
                        assert media_type == PROBLEM, (method, path, status)
                if status.startswith(("4", "5")) or status == "default":
                    assert PROBLEM in content, (method, path, status)
    assert seen > 20  # the check looked at the error responses


def _concrete(path: str) -> str:
    for name, value in WELL_FORMED.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_undeclared_methods_are_405_not_415(client, spec: dict) -> None:
    checked = 0
    for path, operations in spec["paths"].items():
        for method in METHODS:
            if method in operations:
                continue
            response = client.open(
                _concrete(path), method=method.upper(), data="x", content_type="text/plain"
            )
            assert response.status_code == 405, (method, path, response.status_code)
            assert response.mimetype == PROBLEM
            assert response.headers["Allow"]
            checked += 1
    assert checked > 20


def _body_strings(spec: dict) -> list[tuple[str, str, dict, str]]:
    """(path, json field name, its schema, how the field is sent) for every string input."""
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "post" or "requestBody" not in operation:
                continue
            content = operation["requestBody"]["content"]["application/json"]
            schema = _resolve(spec, content["schema"])
            for name, prop in schema.get("properties", {}).items():
                prop = _resolve(spec, prop)
                kinds = prop.get("type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if "string" in kinds and "format" not in prop:
                    found.append((path, name, prop, "value"))
                items = _resolve(spec, prop.get("items", {}))
                if "array" in kinds and items.get("type") == "string" and "enum" not in items:
                    found.append((path, name, items, "item"))
    return found


def test_fields_refused_when_empty_document_a_minimum_length(client, spec: dict) -> None:
    strings = _body_strings(spec)
    assert len(strings) > 8
    for path, name, schema, how in strings:
        if "{" in path:
            continue
        body = {name: ""} if how == "value" else {name: [""]}
        errors = client.post(path, json=body).get_json().get("errors", {})
        refused = name in errors if how == "value" else f"{name}.0" in errors
        if refused:
            assert schema.get("minLength", 0) >= 1, (path, name, how, errors)


MALFORMED_BODIES = (
    ("{not json", "application/json"),  # 400: the body does not parse
    ('{"claim": 1}', "text/plain"),  # 415: not sent as JSON
    ('{"a": NaN}', "application/json"),  # 422: not I-JSON
)


def test_every_answer_to_a_malformed_body_is_listed_by_its_operation(client, spec: dict) -> None:
    """schemathesis (tests/service/test_fuzz_openapi.py) found 400 and 415 answered by every
    operation that takes a body, but listed by none (only `default` covered them)."""
    seen: set[int] = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS or "requestBody" not in operation:
                continue
            listed = set(operation["responses"]) - {"default"}
            assert "413" in listed, (method, path)  # a body over MAX_BODY_BYTES, before parsing
            for data, content_type in MALFORMED_BODIES:
                response = client.open(
                    _concrete(path), method=method.upper(), data=data, content_type=content_type
                )
                assert str(response.status_code) in listed, (method, path, response.status_code)
                assert response.mimetype == PROBLEM
                seen.add(response.status_code)
    assert {400, 415, 422} <= seen


def test_a_body_over_the_limit_is_a_listed_413(client, spec: dict) -> None:
    from schemas.limits import MAX_BODY_BYTES

    response = client.post("/v1/articles", data=b"x" * (MAX_BODY_BYTES + 1), content_type=JSON)
    assert response.status_code == 413 and response.mimetype == PROBLEM
    assert "413" in spec["paths"]["/v1/articles"]["post"]["responses"]
