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
    # Round robin over texts, so `--limit` samples every text.
    assert [r.id for r in got] == [
        "fnc-7-1/s",
        "fnc-7-1/e",
        "ph-1-1/s",
        "ph-1-1/e",
        "fnc-7-2/s",
        "fnc-7-2/e",
    ]
    assert [r.label for r in got[:2]] == ["SUPPORTED", "REFUTED"]
    assert got[3].label == "NOT_ENOUGH_INFO" and got[3].kind == "month"
    assert got[1].claim == "Rutte endorsed Germany." and got[0].dataset == "contrast"
    assert got[0].document.text == BODY  # the CSV's articleBody for that Body ID
    assert got[2].document.text == "First one. Second one."  # sentences joined by one space
    assert records.pair_of(got[5]) == "fnc-7-2"


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
    labels = ["SUPPORTED", "REFUTED", "SUPPORTED", "SUPPORTED"]
    got = contrast_scores(recs, [pred(x) for x in labels])
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
