"""Contrast-set loading (issue #9 §2) and its scores, on a fixture written here."""

import json

import pytest

from workers.evaluation import main, records
from workers.evaluation.scoring import Prediction, contrast_scores

BODY = "Germany endorsed Rutte on Monday. Hungary opposed him."


@pytest.fixture
def shared(tmp_path):
    """A fake shared datasets folder: one FNC-1 body CSV and one PolitiHop-style JSONL file."""
    root = tmp_path / "datasets"
    (root / "nli" / "fnc1_train").mkdir(parents=True)
    (root / "nli" / "fnc1_train" / "train_bodies.csv").write_text(
        'Body ID,articleBody\n7,"' + BODY + '"\n8,"Other ""quoted"" body."\n', encoding="utf-8"
    )
    (root / "eval").mkdir()
    row = {"id": "ph-1", "claim": "x", "sentences": ["First one.", "Second one."]}
    (root / "eval" / "politihop_train.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    return root


def contrast_file(directory, text_id, source, pairs):
    directory.mkdir(parents=True, exist_ok=True)
    raw = {"text_id": text_id, "source": source, "written_by": "test", "pairs": pairs}
    (directory / f"{text_id}.json").write_text(json.dumps(raw), encoding="utf-8")


FNC = {"dataset": "fnc1_train", "file": "nli/fnc1_train/train_bodies.csv", "id": "7"}
PH = {"dataset": "politihop_train", "file": "eval/politihop_train.jsonl", "id": "ph-1"}


def pair(pid, kind="role_swap", label="REFUTED"):
    return {
        "id": pid,
        "kind": kind,
        "supported": "Germany endorsed Rutte.",
        "edited": "Rutte endorsed Germany.",
        "edited_label": label,
        "why": "roles swapped",
    }


def test_each_pair_becomes_a_supported_and_an_edited_record(tmp_path, shared):
    split = tmp_path / "test"
    contrast_file(split, "fnc-7", FNC, [pair("fnc-7-1"), pair("fnc-7-2", "negation")])
    contrast_file(split, "ph-1", PH, [pair("ph-1-1", "month", "NOT_ENOUGH_INFO")])
    got = records.contrast_records(split, datasets=shared)
    by_id = {r.id: r for r in got}
    assert sorted(by_id) == [
        "fnc-7-1/e",
        "fnc-7-1/s",
        "fnc-7-2/e",
        "fnc-7-2/s",
        "ph-1-1/e",
        "ph-1-1/s",
    ]
    # The halves of a pair stay together (a `--limit` cuts at most one pair).
    assert [records.pair_of(r) for r in got[0::2]] == [records.pair_of(r) for r in got[1::2]]
    assert by_id["fnc-7-1/s"].label == "SUPPORTED" and by_id["fnc-7-1/e"].label == "REFUTED"
    assert by_id["ph-1-1/e"].label == "NOT_ENOUGH_INFO" and by_id["ph-1-1/e"].kind == "month"
    assert by_id["fnc-7-1/e"].claim == "Rutte endorsed Germany."
    assert by_id["fnc-7-1/s"].dataset == "contrast"
    assert by_id["fnc-7-1/s"].document.text == BODY  # the CSV's articleBody for that Body ID
    assert by_id["ph-1-1/s"].document.text == "First one. Second one."  # joined by one space
    assert records.pair_of(by_id["fnc-7-2/e"]) == "fnc-7-2"


def test_bad_contrast_files_name_the_file(tmp_path, shared):
    split = tmp_path / "train"
    contrast_file(split, "fnc-7", FNC, [pair("a", label="SUPPORTED")])
    with pytest.raises(records.RecordError, match=r"fnc-7.json.*edited_label"):
        records.contrast_records(split, datasets=shared)
    contrast_file(split, "fnc-7", {**FNC, "id": "999"}, [pair("a")])
    with pytest.raises(records.RecordError, match="no text with id '999'"):
        records.contrast_records(split, datasets=shared)
    contrast_file(split, "fnc-7", FNC, [pair("a")])
    contrast_file(split, "ph-1", PH, [pair("a")])
    with pytest.raises(records.RecordError, match="used twice"):
        records.contrast_records(split, datasets=shared)


def test_pair_accuracy_needs_both_halves_right(tmp_path, shared):
    split = tmp_path / "test"
    contrast_file(split, "fnc-7", FNC, [pair("p1"), pair("p2", "negation")])
    recs = records.contrast_records(split, datasets=shared)

    def pred(label):
        return Prediction("x", label, 0.9, True, (), 1.0, {})

    # p1 fully right; p2 only its supported half right.
    answer = {"p1/s": "SUPPORTED", "p1/e": "REFUTED", "p2/s": "SUPPORTED", "p2/e": "SUPPORTED"}
    got = contrast_scores(recs, [pred(answer[r.id]) for r in recs])
    assert got["pair_acc"] == 0.5
    assert got["acc_by_kind"] == {"negation": 0.5, "role_swap": 1.0}
    assert got["n_by_kind"] == {"negation": 2, "role_swap": 2}


def test_eval_accepts_a_contrast_directory(tmp_path, shared, monkeypatch, capsys):
    split = tmp_path / "test"
    contrast_file(split, "fnc-7", FNC, [pair("p1"), pair("p2", "negation")])
    monkeypatch.setattr(records, "DATASETS", shared)
    out = tmp_path / "out.json"
    assert main([str(split), "--judge", "symbolic", "--quiet", "--json", str(out)]) == 0
    got = json.loads(out.read_text())["datasets"]["contrast_test"]
    assert got["n"] == 4 and 0 <= got["pair_acc"] <= 1 and "acc3" in got and "macro_f1_3" in got
    assert set(got["acc_by_kind"]) == {"negation", "role_swap"}
    assert "accuracy per kind" in capsys.readouterr().out
