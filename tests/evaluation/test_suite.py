"""`make eval`'s rows, commands and the generated docs section (the runs themselves are slow)."""

from workers.evaluation import suite
from workers.evaluation.systems import System


def test_every_kind_of_row_is_there_and_only_dev_or_training_files_are_read(tmp_path):
    rows = suite.rows("combined", tmp_path / "contrast_test")
    names = [r.system.name for r in rows]
    assert names[0] == "combined" and {"learned", "symbolic"} <= set(names)
    assert {"baseline: overlap", "baseline: model"} <= set(names)
    assert {"combined -dense", "combined -head", "combined -decompose"} <= set(names)
    for row in rows:
        for f in row.files:
            name = f.rsplit("/", 1)[-1]
            assert name in (*suite.DEV, suite.FNC_FULL, suite.TRAINING_ROW, "contrast_test")
    assert suite.FNC_FULL in " ".join(rows[0].files)  # the default judge gets the full FNC-1 file


def test_a_row_is_one_factdesk_eval_command(tmp_path):
    row = suite.Row(System("combined", ("dense",)), ("a.jsonl",))
    args = suite.command(row, tmp_path / "o.json", 2, 150)
    assert args[:1] == ["a.jsonl"] and "--without" in args and args[-2:] == ["--limit", "150"]
    base = suite.command(suite.Row(System("overlap"), ("a.jsonl",)), tmp_path / "o.json", 1, None)
    assert base[base.index("--baseline") + 1] == "overlap" and "--limit" not in base


def result(system, datasets, note=""):
    return {
        "engine": {"system": system, "judge": system.split()[0], "engine": "v", "decider": "rules"},
        "datasets": datasets,
        "suite": {"fingerprint": "f", "command": f"factdesk eval x --judge {system}", "wall_s": 3,
                  "note": note},
    }  # fmt: skip


def test_the_docs_section_is_replaced_between_its_markers(tmp_path):
    doc = tmp_path / "evaluation.md"
    doc.write_text(f"# Title\n\nbefore\n\n{suite.START}\nold table\n{suite.END}\n\nafter\n")
    contrast = {"acc3": 0.75, "pair_acc": 0.5, "acc_by_kind": {"negation": 0.5}}
    results = [
        result("symbolic", {"wice_dev": {"n": 3, "bacc_support": 0.61}, "contrast_test": contrast}),
        result("symbolic -decompose", {"wice_dev": {"n": 3, "bacc_support": 0.5}}, "ablation"),
    ]
    suite.write_docs(doc, suite.render(results, None))
    text = doc.read_text()
    assert "old table" not in text and text.startswith("# Title") and text.endswith("after\n")
    assert "| **symbolic** | 0.610 |" in text and "0.500" in text
    assert "| symbolic | 0.750 | 0.500 | 0.500 |" in text  # contrast: acc3, pair_acc, per kind
    assert "factdesk eval x --judge symbolic" in text


def test_rows_measured_on_older_engine_code_are_marked():
    fresh = result("symbolic", {"wice_dev": {"n": 3, "bacc_support": 0.61}})
    fresh["suite"]["measured_on"] = ["abc123/f"]
    old = result("learned", {"wice_dev": {"n": 3, "bacc_support": 0.5}})
    old["suite"]["measured_on"] = ["0ld0ld/e"]
    text = suite.render([fresh, old], None)
    assert "| **symbolic** |" in text and "| **learned** † |" in text
    assert "† measured (in part) on earlier engine code" in text
