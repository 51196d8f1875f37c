from __future__ import annotations

import io
from pathlib import Path

import pytest

from bots.cli import run
from core.ports import Embedder

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_embedder: Embedder) -> Path:
    """An empty data directory; the CLI shares the session's model instance."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_kb_build_search_and_stats(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "build"]) == 0
    built = capsys.readouterr().out
    assert "indexed 44 documents" in built
    assert "articles: 44 from the files changed, 0 added in chat imported" in built  # kb show can name them
    assert run(["kb", "search", "my deploy fails: build image too large", "-k", "3"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("1. 0.") and "TL-E1042" in first
    assert "section:" in out
    assert "source:  https://docs.tideline.example/troubleshooting/build-image-too-large" in out
    assert run(["kb", "stats"]) == 0
    stats = capsys.readouterr().out
    assert "documents:  44" in stats
    assert "index:      flat (384 dimensions)" in stats
    assert run(["kb", "build"]) == 0
    rebuilt = capsys.readouterr().out
    assert "0 embedded" in rebuilt and "articles:" not in rebuilt  # nothing changed in the files


def test_search_before_build_explains_what_to_do(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "search", "anything"]) == 2
    assert "run `helpline kb build` first" in capsys.readouterr().err


def test_building_a_missing_folder_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "build", "no-such-folder"]) == 2
    assert "no-such-folder" in capsys.readouterr().err


def test_broken_settings_file_names_file_and_key(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("helpline.yaml").write_text("knowledge:\n  top_k: -3\n", encoding="utf-8")
    assert run(["kb", "stats"]) == 2
    assert "helpline.yaml: knowledge.top_k:" in capsys.readouterr().err


def test_eval_intents_closed_set(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = REPO / "tests" / "data"
    code = run(["eval", "intents", "--train", str(data / "banking77_small_train.csv"),
                "--test", str(data / "banking77_small_test.csv")])  # fmt: skip
    assert code == 0
    line = last_line(capsys.readouterr().out)
    assert line.startswith("accuracy=")
    assert "oos_recall" not in line
    assert float(line.split()[0].split("=")[1]) >= 0.8


def test_eval_intents_with_out_of_scope_rows(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = REPO / "tests" / "data"
    code = run(["eval", "intents", "--train", str(data / "clinc150_small_train.jsonl"),
                "--test", str(data / "clinc150_small_test.jsonl"), "--examples-per-intent", "20"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "tuned on a 20% stratified holdout of the training data" in out
    fields = dict(pair.split("=") for pair in last_line(out).split())
    assert set(fields) == {"accuracy", "macro_f1", "in_scope_accuracy", "oos_recall", "oos_precision"}
    assert float(fields["in_scope_accuracy"]) >= 0.8
    assert float(fields["oos_recall"]) >= 0.3


def test_eval_intents_rejects_a_bad_line(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi", "label": "greet"}\n{"text": "oops"\n', encoding="utf-8")
    assert run(["eval", "intents", "--train", str(bad), "--test", str(bad)]) == 2
    assert "bad.jsonl, line 2: invalid JSON" in capsys.readouterr().err


def test_eval_retrieval_on_the_sample_kb(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = REPO / "benchmarks" / "data"
    code = run(["eval", "retrieval", "--corpus", str(REPO / "kb_index" / "sample_kb"),
                "--queries", str(bench / "sample_kb_queries.jsonl"),
                "--qrels", str(bench / "sample_kb_qrels.jsonl")])  # fmt: skip
    assert code == 0
    fields = dict(pair.split("=") for pair in last_line(capsys.readouterr().out).split())
    assert list(fields) == ["mrr@10", "recall@1", "recall@5", "recall@10"]
    assert float(fields["mrr@10"]) >= 0.8


def test_ask_shows_intent_priority_and_cited_answer(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ask", "our whole site is down, every request returns 503!"]) == 0
    out = capsys.readouterr().out
    assert "intent: service_down" in out
    assert "priority critical" in out
    assert "source: https://docs.tideline.example/" in out


def test_first_chat_builds_the_index_and_answers_in_plain_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = "how do I add a custom domain?\n   \u200b  \n1\nquit\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert run(["chat"]) == 0
    out = capsys.readouterr().out
    assert "helpline> Adding a custom domain to your app" in out
    assert "[1] Helpful   [2] Not helpful   [3] Talk to a human" in out
    assert "no text I could read" in out
    # The blank-looking line cleared the pending choices, so "1" was just text, not "Helpful".
    assert "glad that helped" not in out
    assert (data_dir / "helpline.sqlite3").is_file()


def test_ask_shows_intent_priority_and_the_cited_passage(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ask", "my deploy fails with TL-E1042"]) == 0
    out = capsys.readouterr().out
    assert "intent: bug_report" in out and "priority high" in out
    assert "source: https://docs.tideline.example/troubleshooting/build-image-too-large" in out


def test_eval_intents_tunes_the_threshold_on_a_given_validation_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = REPO / "tests" / "data"
    rows = (data / "clinc150_small_train.jsonl").read_text(encoding="utf-8").splitlines()
    train, val = tmp_path / "train.jsonl", tmp_path / "val.jsonl"
    train.write_text("\n".join(rows[::2]) + "\n", encoding="utf-8")
    val.write_text("\n".join(rows[1::2]) + "\n", encoding="utf-8")
    code = run(["eval", "intents", "--train", str(train), "--val", str(val),
                "--test", str(data / "clinc150_small_test.jsonl")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert f"tuned on the validation file ({len(rows[1::2])} rows)" in out
    assert "in_scope_accuracy=" in last_line(out)


def test_eval_retrieval_scores_sections_when_judgements_name_them(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = REPO / "benchmarks" / "data"
    code = run(["eval", "retrieval", "--corpus", str(REPO / "kb_index" / "sample_kb"),
                "--queries", str(bench / "sample_kb_section_queries.jsonl"),
                "--qrels", str(bench / "sample_kb_section_qrels.jsonl")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("sections: "))
    fields = dict(pair.split("=") for pair in line.removeprefix("sections: ").split(" (")[0].split())
    assert list(fields) == ["article@1", "section@1"]
    assert float(fields["section@1"]) >= 0.84
    assert "mrr@10=" in last_line(out)


def test_kb_build_without_the_database_still_builds_and_says_the_list_waits(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import bots.bootstrap

    async def unreachable(settings: object) -> object:
        raise OSError("connection refused")

    monkeypatch.setattr(bots.bootstrap, "open_stores", unreachable)
    assert run(["kb", "build"]) == 0
    captured = capsys.readouterr()
    assert "indexed 44 documents" in captured.out
    assert (
        "the articles could not be listed in the database (connection refused); the next start does it" in captured.err
    )
