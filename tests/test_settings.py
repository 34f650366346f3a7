"""Settings come from environment variables, with defaults that work."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import Settings, env_name, load_settings


def test_defaults_need_no_environment() -> None:
    settings = load_settings(env={})
    assert settings == Settings()
    assert settings.redis_url == ""
    assert settings.visibility_timeout_s > settings.task_time_limit_s


def test_each_field_reads_its_variable() -> None:
    settings = load_settings(
        env={
            "REDIS_URL": "redis://r:6379/1",
            "FACTDESK_PORT": "9000",
            "FACTDESK_ENGINE_DELAY_S": "0.5",
            "FACTDESK_DATA_DIR": "/tmp/x",
        }
    )
    assert settings.redis_url == "redis://r:6379/1"
    assert settings.port == 9000
    assert settings.engine_delay_s == 0.5
    assert settings.data_dir == Path("/tmp/x")


def test_a_bad_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="FACTDESK_PORT"):
        load_settings(env={"FACTDESK_PORT": "eighty"})


def test_variable_names() -> None:
    assert env_name("redis_url") == "REDIS_URL"
    assert env_name("cache_ttl_s") == "FACTDESK_CACHE_TTL_S"


def test_every_setting_is_documented_in_the_readme() -> None:
    from dataclasses import fields

    from settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env_name(f.name) for f in fields(Settings) if f"`{env_name(f.name)}`" not in readme]
    assert missing == []


def test_an_unknown_engine_judge_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ValueError, match="FACTDESK_ENGINE_JUDGE='oracle' is not one of symbolic"):
        load_settings(env={"FACTDESK_ENGINE_JUDGE": "oracle"})


def test_every_judge_the_settings_accept_is_one_the_engine_builds() -> None:
    from settings import ENGINE_JUDGES
    from workers.engine.judges import make_judge

    built = [make_judge(name, model=lambda: None).name for name in ENGINE_JUDGES]  # type: ignore[arg-type, return-value]
    assert built == list(ENGINE_JUDGES)


def test_an_unknown_log_format_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ValueError, match="FACTDESK_LOG_FORMAT='xml' is not one of json, text"):
        load_settings(env={"FACTDESK_LOG_FORMAT": "xml"})
    assert load_settings(env={"FACTDESK_LOG_FORMAT": "text"}).log_format == "text"
