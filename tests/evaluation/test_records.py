import gzip
import json

import pytest

from workers.evaluation import records


def write(path, rows, compress=False):
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_sentences_are_joined_and_map_back_to_their_indices(tmp_path):
    path = write(
        tmp_path / "x.jsonl",
        [
            {
                "id": "a",
                "claim": "c",
                "label": "SUPPORTED",
                "sentences": ["First one.", "Second one."],
                "evidence": [[1]],
            }
        ],
    )
    (rec,) = records.read(path)
    assert rec.document.text == "First one.\n\nSecond one."
    assert rec.sentence_of(rec.document.text.index("Second")) == 1
    assert rec.evidence == ((1,),)


def test_gzip_file_and_limit(tmp_path):
    rows = [{"id": str(i), "claim": "c", "document": "d", "stance": "agree"} for i in range(5)]
    path = write(tmp_path / "f.jsonl.gz", rows, compress=True)
    got = list(records.read(path, limit=2))
    assert [r.id for r in got] == ["0", "1"] and got[0].stance == "agree"
    assert got[0].sentence_of(0) is None


def test_a_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "claim": "c", "document": "d"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(records.RecordError, match=r"bad.jsonl:2"):
        list(records.read(path))


def test_dataset_name_is_the_file_stem():
    assert records.dataset_name("/x/fnc1_dev.jsonl.gz") == "fnc1_dev"
