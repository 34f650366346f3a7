"""The eval command end to end on small files written here (real engine, no mocks)."""

import json
import struct

import pytest

from workers.evaluation import main

plt = pytest.importorskip("matplotlib.pyplot")  # the optional `eval` extra draws the charts

ARTICLE = (
    "France and Germany endorsed Rutte on Monday. Hungary opposed Rutte.\n\n"
    "The weather was mild in Brussels."
)


@pytest.fixture
def claims(tmp_path):
    rows = [
        {
            "id": "1",
            "dataset": "t",
            "claim": "France endorsed Rutte.",
            "document": ARTICLE,
            "label": "SUPPORTED",
            "stance": "agree",
        },
        {
            "id": "2",
            "dataset": "t",
            "claim": "Hungary endorsed Rutte.",
            "document": ARTICLE,
            "label": "REFUTED",
            "stance": "disagree",
        },
        {
            "id": "3",
            "dataset": "t",
            "claim": "Spain elected a new king.",
            "document": ARTICLE,
            "label": "NOT_ENOUGH_INFO",
            "stance": "unrelated",
        },
        {
            "id": "4",
            "dataset": "w",
            "claim": "Germany endorsed Rutte.",
            "sentences": ["The weather was mild.", "Germany endorsed Rutte on Monday."],
            "label": "SUPPORTED",
            "evidence": [[1]],
        },
    ]
    path = tmp_path / "tiny_dev.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_json_output_has_engine_and_metrics_per_dataset(claims, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main([str(claims), "--json", str(out), "--judge", "symbolic"]) == 0
    result = json.loads(out.read_text())
    assert result["engine"]["judge"] == "symbolic"
    metrics = result["datasets"]["tiny_dev"]
    assert metrics["n"] == 4
    assert metrics["acc3"] == 1.0 and metrics["fnc_score_rel"] == 1.0
    assert metrics["evidence_hit@1"] == 1.0
    for key in ("bacc_support", "macro_f1_3", "p50_ms", "p95_ms", "claims_per_s", "confusion"):
        assert key in metrics
    printed = capsys.readouterr()
    assert "tiny_dev" in printed.out and "tiny_dev: 100%" in printed.err  # table, progress bar


def test_limit_and_jobs(claims, tmp_path):
    out = tmp_path / "out.json"
    assert main([str(claims), "--limit", "2", "--jobs", "2", "--json", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["datasets"]["tiny_dev"]["n"] == 2


def test_report_writes_markdown_and_valid_pngs(claims, tmp_path):
    report = tmp_path / "report"
    assert main([str(claims), "--report", str(report), "--quiet"]) == 0
    assert "tiny_dev" in (report / "report.md").read_text()
    pngs = sorted(report.glob("*.png"))
    assert len(pngs) >= 2
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert width > 50 and height > 50
        assert plt.imread(png).shape[:2] == (height, width)  # decodes as the image it claims


def test_missing_file_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "nope.jsonl"), "--quiet"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_judge_is_a_usage_error(claims):
    with pytest.raises(SystemExit) as exit_info:
        main([str(claims), "--judge", "oracle"])
    assert exit_info.value.code == 2


def test_baseline_and_ablation_rows_are_named_in_the_json(claims, tmp_path):
    out = tmp_path / "out.json"
    assert main([str(claims), "--baseline", "overlap", "--json", str(out), "--quiet"]) == 0
    engine = json.loads(out.read_text())["engine"]
    assert engine["system"] == "baseline: overlap" and engine["fitted_on"]
    args = [str(claims), "--judge", "symbolic", "--without", "decompose", "--json", str(out)]
    assert main([*args, "--quiet"]) == 0
    engine = json.loads(out.read_text())["engine"]
    assert engine["system"] == "symbolic -decompose" and engine["without"] == ["decompose"]


def test_a_baseline_has_no_layers_to_switch_off(claims):
    with pytest.raises(SystemExit):
        main([str(claims), "--baseline", "overlap", "--without", "dense"])
