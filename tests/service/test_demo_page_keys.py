"""/demo hands the local tenant's key (kept by `factdesk run`) to loopback clients only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.app import create_app
from service.keys_cli import LOCAL_KEY_FILE, local_key


@pytest.fixture
def demo_app(settings, tmp_path):
    configured = replace(settings, data_dir=tmp_path)
    return create_app(configured, {"TESTING": True}), configured


def test_a_loopback_client_gets_the_local_key_for_the_widget(demo_app) -> None:
    app, settings = demo_app
    key = local_key(settings)
    response = app.test_client().get("/demo")
    assert f'data-api-key="{key}"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_remote_client_never_gets_the_key(demo_app) -> None:
    app, settings = demo_app
    key = local_key(settings)
    response = app.test_client().get("/demo", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 200
    assert key not in response.get_data(as_text=True)
    assert "data-api-key" not in response.get_data(as_text=True)


def test_a_revoked_or_foreign_key_in_the_file_is_not_handed_out(demo_app, stores) -> None:
    app, settings = demo_app
    foreign, _ = stores.api_keys.create("newsroom-b")
    (settings.data_dir / LOCAL_KEY_FILE).write_text(foreign)
    assert "data-api-key" not in app.test_client().get("/demo").get_data(as_text=True)
