"""The same story twice: duplicate articles across pages and runs, through the real CLI.

cleaner batch (local pool and Dask), cleaner clean on record streams,
cleaner learn --dedupe-index (the articles of what it learns from, for a later
batch) and cleaner dedupe-index; the fingerprint and the index's order rules
in a few direct cases.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import cli
from cleaner.batch import LOCK_NAME, LocalEngine
from cleaner.cli import EXIT_INTERRUPTED, EXIT_LOCKED
from cleaner.dupindex import INDEX_NAME, ArticleIndex, article_similarity, article_words, sketch_article
from test_batch import make_pages, outputs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STORY = (FIXTURES / "ap-seed-two-articles-repeated-captions" / "input.txt").read_text("utf-8")
OTHER = (FIXTURES / "sh-cbssports-huge-menu" / "input.txt").read_text("utf-8")
# the same page under another site's header and footer
RETOLD = "The Daily Example\n\nHome | World | Sports\n\n" + STORY + "\n\nAbout us · Contact · Privacy policy\n"
HANG_SECONDS = 120


def cleaner(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True,
                          timeout=HANG_SECONDS * 3, **kwargs)  # type: ignore[call-overload]


def write(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


def articles(path: Path) -> list[dict[str, object]]:
    return list(json.loads(path.read_text("utf-8"))["articles"])


def report(path: Path) -> list[dict[str, object]]:
    return list(json.loads(path.read_text("utf-8"))["duplicates"])


def index_rows(where: Path) -> list[tuple[object, ...]]:
    """An index's rows, its bands counted last: DEST's index, or the index file where names.
    The connection is closed here (sqlite3's with-block only commits): left to
    the garbage collector, it kept SQLite's -wal and -shm files beside the index
    for a while, and a listing of the folder then and there saw them."""
    with closing(sqlite3.connect(where / INDEX_NAME if where.is_dir() else where)) as db:
        inputs = sorted(db.execute("SELECT path, seq FROM inputs"))
        rows = sorted(db.execute("SELECT id, words, original FROM articles"))
        indexed = sorted(db.execute("SELECT path, sha256 FROM indexed"))
        bands = db.execute("SELECT COUNT(*) FROM bands").fetchone()
    return [*inputs, *rows, *indexed, bands]


def test_a_story_told_twice_in_one_run(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"a/story.txt": STORY, "b/other.txt": OTHER, "c/retold.txt": RETOLD})
    dest = tmp_path / "dest"
    result = cleaner("batch", str(src), str(dest), "--jobs", "1", "--report", str(tmp_path / "report.json"))
    assert result.returncode == 0, result.stderr
    first, retold = articles(dest / "a" / "story.json"), articles(dest / "c" / "retold.json")
    assert len(first) == len(retold) == 2
    assert all("duplicate_of" not in article for article in first + articles(dest / "b" / "other.json"))
    for number, article in enumerate(retold):
        assert article["duplicate_of"] == {"source": "a/story.txt", "article": number, "similarity": 100.0}
        assert {k: v for k, v in article.items() if k != "duplicate_of"} == first[number]
    assert [(d["input"], d["article"]) for d in report(tmp_path / "report.json")] == [
        ("c/retold.txt", 0), ("c/retold.txt", 1)]
    assert "2 articles repeat earlier ones" in result.stderr


def test_a_story_told_in_an_earlier_run_and_forced_again(tmp_path: Path) -> None:
    src, dest = write(tmp_path / "src", {"night1/story.txt": STORY}), tmp_path / "dest"
    assert cleaner("batch", str(src), str(dest), "--jobs", "1").returncode == 0
    first = (dest / "night1" / "story.json").read_bytes()
    # the next night: the story again under another template, filed before it by name
    write(src, {"a-night2/retold.txt": RETOLD})
    result = cleaner("batch", str(src), str(dest), "--jobs", "1", "--report", str(tmp_path / "report.json"))
    assert result.returncode == 0, result.stderr
    assert "skipped 1" in result.stderr
    assert (dest / "night1" / "story.json").read_bytes() == first  # not a repeat of what came after it
    assert [a["duplicate_of"]["source"] for a in articles(dest / "a-night2" / "retold.json")] == [  # type: ignore[index]
        "night1/story.txt"] * 2
    answers = outputs(dest)
    # everything again: each input keeps its place, and is never found to repeat itself
    forced = cleaner("batch", str(src), str(dest), "--jobs", "1", "--force", "--report", str(tmp_path / "again.json"))
    assert forced.returncode == 0, forced.stderr
    assert outputs(dest) == answers
    assert report(tmp_path / "again.json") == report(tmp_path / "report.json")


def test_drop_duplicate_articles(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"a/story.txt": STORY, "b/retold.txt": RETOLD + "\n\n" + OTHER})
    for output_format, suffix in (("json", "json"), ("markdown", "md"), ("jsonl", "jsonl")):
        made = {}
        for mode in ("mark", "drop"):
            dest = tmp_path / f"{output_format}-{mode}"
            args = ["--drop-duplicate-articles"] if mode == "drop" else []
            result = cleaner("batch", str(src), str(dest), "--jobs", "1", "-f", output_format, *args,
                             "--report", str(tmp_path / f"{mode}.json"))
            assert result.returncode == 0, result.stderr
            made[mode] = (dest / "b" / f"retold.{suffix}").read_text("utf-8")
            assert "Rutte" in (dest / "a" / f"story.{suffix}").read_text("utf-8")
        assert report(tmp_path / "mark.json") == report(tmp_path / "drop.json") and len(report(tmp_path / "drop.json")) == 2
        assert "Rutte" in made["mark"] and "Rutte" not in made["drop"]  # the retold story's two articles left out
        if output_format == "json":
            marked = json.loads(made["mark"])
            marked["articles"] = [a for a in marked["articles"] if "duplicate_of" not in a]
            assert json.loads(made["drop"]) == marked and marked["articles"]
        elif output_format == "jsonl":
            assert made["drop"].splitlines() == [line for line in made["mark"].splitlines() if "duplicate_of" not in line]
        else:
            parts = made["mark"].split("\n---\n\n")
            assert len(parts) > 2 and made["drop"] == "\n---\n\n".join(parts[2:])


def test_outputs_change_only_where_a_story_repeats(tmp_path: Path) -> None:
    # the fixtures: two are the HTML of a text fixture's story (the same article twice)
    src = tmp_path / "src"
    for fixture in sorted(FIXTURES.glob("*/input.*")):
        write(src, {f"{fixture.parent.name}/{fixture.name}": fixture.read_text("utf-8", errors="replace")})
    marked, plain = tmp_path / "marked", tmp_path / "plain"
    assert cleaner("batch", str(src), str(marked), "--jobs", "1").returncode == 0
    assert cleaner("batch", str(src), str(plain), "--jobs", "1", "--no-dedupe").returncode == 0
    assert (marked / INDEX_NAME).exists() and not (plain / INDEX_NAME).exists()
    repeats = {}
    for name, data in outputs(marked).items():
        page = json.loads(data)
        found = [article.pop("duplicate_of") for article in page["articles"] if "duplicate_of" in article]
        if found:
            repeats[name.split("/")[0]] = sorted({d["source"].split("/")[0] for d in found})
            assert page == json.loads(outputs(plain)[name])  # the field added, nothing else
        else:
            assert data == outputs(plain)[name]  # the same bytes
    assert repeats == {"html-two-articles": ["ap-seed-two-articles-repeated-captions"],
                       "html-windows-1252-meta-charset": ["ced-windows-1252-encoded"]}


def test_same_answers_whatever_the_jobs_and_engine(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    src = tmp_path / "src"
    make_pages(src, 60)  # the fixture dumps in turn: each story several times
    results = {}
    for name, args in (("one", ["--jobs", "1"]), ("two", ["--jobs", "2"]),
                       ("dask", ["--engine", "dask", "--jobs", "2"])):
        dest = tmp_path / name
        result = cleaner("batch", str(src), str(dest), *args, "--report", str(tmp_path / f"{name}.json"))
        assert result.returncode == 0, result.stderr
        results[name] = (outputs(dest), report(tmp_path / f"{name}.json"), index_rows(dest))
    assert results["one"][1], "the pages repeat each other: duplicates expected"
    assert results["one"] == results["two"] == results["dask"]


def test_a_killed_run_leaves_the_index_consistent(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 200)
    reference = tmp_path / "reference"
    assert cleaner("batch", str(src), str(reference), "--jobs", "2").returncode == 0
    dest = tmp_path / "dest"
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "batch", str(src), str(dest), "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + HANG_SECONDS
    while len(list(dest.rglob("*.json"))) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, mid-way
    process.wait()
    assert 0 < len(list(dest.rglob("*.json"))) < 200, "the kill should land mid-run"
    with ArticleIndex(str(dest / INDEX_NAME)) as index:  # it opens: whole transactions only
        assert index.stats()["articles"] <= index_rows(reference)[-1][0]  # type: ignore[index,operator]
    finished = cleaner("batch", str(src), str(dest), "--jobs", "2")
    assert finished.returncode == 0, finished.stderr
    assert outputs(dest) == outputs(reference)
    assert index_rows(dest) == index_rows(reference)


def stream(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"url": f"https://example.test/{n}", "text": t}) + "\n"
                            for n, t in enumerate(texts)), "utf-8")
    return path


def test_a_stream_checks_its_records_against_each_other_and_an_index(tmp_path: Path) -> None:
    pages = stream(tmp_path / "pages.jsonl", [STORY, OTHER, RETOLD])
    result = cleaner("clean", str(pages))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["url"] for line in lines if "duplicate_of" in line] == ["https://example.test/2"] * 2
    assert lines[-1]["duplicate_of"] == {"source": str(pages), "article": 1, "similarity": 100.0,
                                         "url": "https://example.test/0"}
    dropped = cleaner("clean", str(pages), "--drop-duplicate-articles")
    assert dropped.stdout.splitlines() == [line for line in result.stdout.splitlines() if "duplicate_of" not in line]
    # with an index: tomorrow's stream is checked against today's, and today's again against nothing new
    index = tmp_path / "seen.sqlite"
    assert cleaner("clean", str(pages), "--dedupe-index", str(index)).stdout == result.stdout
    assert cleaner("clean", str(pages), "--dedupe-index", str(index)).stdout == result.stdout
    tomorrow = stream(tmp_path / "tomorrow.jsonl", [OTHER])
    again = cleaner("clean", str(tomorrow), "--dedupe-index", str(index))
    assert json.loads(again.stdout.splitlines()[0])["duplicate_of"]["source"] == str(pages)
    shown = cleaner("dedupe-index", str(index))
    assert shown.returncode == 0 and json.loads(shown.stdout)["inputs"] == 2
    assert cleaner("dedupe-index", str(index), "--reset").returncode == 0 and not index.exists()


def test_a_stream_in_a_batch(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    stream(src / "pages.jsonl", [STORY, OTHER, RETOLD])
    write(src, {"z/story.txt": STORY})
    dest = tmp_path / "dest"
    result = cleaner("batch", str(src), str(dest), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in (dest / "pages.jsonl").read_text("utf-8").splitlines()]
    assert [line["duplicate_of"]["article"] for line in lines if "duplicate_of" in line] == [0, 1]  # type: ignore[index]
    assert [a["duplicate_of"] for a in articles(dest / "z" / "story.json")] == [
        {"source": "pages.jsonl", "article": n, "similarity": 100.0, "url": "https://example.test/0"} for n in (0, 1)]
    assert not [p for p in dest.rglob(".cleaner-tmp-*")]


def test_bad_index_and_usage_errors_are_one_line(tmp_path: Path) -> None:
    pages = stream(tmp_path / "pages.jsonl", [STORY])
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database")
    for args, code in (
        (["clean", str(pages), "--dedupe-index", str(bad)], 2),
        (["clean", str(pages), "--no-dedupe", "--drop-duplicate-articles"], 2),
        (["clean", str(FIXTURES / "html-two-articles" / "input.html"), "--drop-duplicate-articles"], 2),
        (["batch", str(tmp_path), str(tmp_path / "dest"), "--dedupe-index", str(bad)], 2),
        (["dedupe-index", str(tmp_path / "nothing")], 2),
    ):
        result = cleaner(*args)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.startswith("cleaner: error: ") and "Traceback" not in result.stderr


def test_one_page_does_not_load_the_index() -> None:
    code = ("import sys; from cleaner.cli import main; sys.argv = ['cleaner', 'clean', sys.argv[1]]\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m == 'sqlite3' or m.startswith('cleaner.dupindex')))")
    result = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "html-two-articles" / "input.html")],
                            capture_output=True, text=True, timeout=HANG_SECONDS)
    assert result.stdout.splitlines()[-1] == "[]"


def test_similarity_holds_a_cut_story_and_not_a_shared_quote() -> None:
    body = [p for p in STORY.split("\n\n") if len(p) > 100]
    words = article_words(body)
    half = article_words(body[: len(body) // 2])
    quoting = article_words([p for p in OTHER.split("\n\n") if len(p) > 100] + body[:1])
    assert article_similarity(words, half) == 100.0
    assert article_similarity(words, quoting) < 60
    cut, whole = sketch_article(body[: len(body) // 2], 30), sketch_article(body, 30)
    assert cut is not None and whole is not None and set(cut.bands) & set(whole.bands)
    assert sketch_article(["Too short to tell a story."], 30) is None


# cleaner learn --dedupe-index: the articles of the pages it learns from, for a later batch


def learn(src: Path, model: Path, index: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = cleaner("learn", str(src), str(model), "--dedupe-index", str(index), *args)
    assert result.returncode == 0, result.stderr
    return result


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_learn_indexes_what_a_later_batch_finds_repeated(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"a/story.txt": STORY, "c/other.txt": OTHER})
    before = files(src)
    weekly = tmp_path / "weekly"
    weekly.mkdir()
    model, index = weekly / "site.model", weekly / "articles.sqlite"
    result = learn(src, model, index, "--jobs", "2")
    assert "learned 2 new or changed inputs of 2" in result.stderr
    assert "indexed 3 articles of 2 inputs" in result.stderr and "0 repeat earlier ones" in result.stderr
    assert files(src) == before  # no output anywhere: beside the model only the model, the index and their locks
    assert sorted(files(weekly)) == ["articles.sqlite", "articles.sqlite.lock", "site.model", "site.model.lock"]
    # the daily batch of the next day's pages, with the model and the index
    news, dest = write(tmp_path / "news", {"b/retold.txt": RETOLD}), tmp_path / "dest"
    daily = cleaner("batch", str(news), str(dest), "--jobs", "1", "--site-model", str(model),
                    "--dedupe-index", str(index))
    assert daily.returncode == 0, daily.stderr
    assert [a["duplicate_of"] for a in articles(dest / "b" / "retold.json")] == [
        {"source": "a/story.txt", "article": n, "similarity": 100.0} for n in (0, 1)]
    # a batch of learn's own folder: each input keeps its place, none repeats itself
    same = cleaner("batch", str(src), str(tmp_path / "same"), "--jobs", "1", "--site-model", str(model),
                   "--dedupe-index", str(index), "--report", str(tmp_path / "report.json"))
    assert same.returncode == 0, same.stderr
    assert report(tmp_path / "report.json") == []


def test_learn_indexes_an_input_once_until_it_changes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 12)
    model, index = tmp_path / "site.model", tmp_path / "articles.sqlite"
    first = learn(src, model, index, "--jobs", "2")
    assert "of 12 inputs" in first.stderr
    rows = index_rows(index)
    again = learn(src, model, index, "--jobs", "2")
    assert "learned 0 new or changed inputs of 12" in again.stderr and "indexed 0 articles of 0 inputs" in again.stderr
    assert index_rows(index) == rows
    page = src / "site1" / "page0006.txt"
    page.write_text(page.read_text("utf-8") + "\n\nA correction was added at the end of the page.\n", "utf-8")
    changed = learn(src, model, index, "--jobs", "2")
    assert "learned 1 new or changed inputs of 12" in changed.stderr and "of 1 inputs" in changed.stderr
    assert [row for row in index_rows(index) if row not in rows] == [
        ("site1/page0006.txt", hashlib.sha256(page.read_bytes()).hexdigest())]  # the same articles, its new content


def test_learn_indexes_what_an_earlier_learn_did_not(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_pages(src, 12)
    reference = tmp_path / "reference"
    reference.mkdir()
    learn(src, reference / "site.model", reference / INDEX_NAME, "--jobs", "1")
    # learned without the index: nothing new to learn the next time, and yet every input is indexed
    plain = cleaner("learn", str(src), str(tmp_path / "site.model"), "--jobs", "1")
    assert plain.returncode == 0 and "indexed" not in plain.stderr
    result = learn(src, tmp_path / "site.model", tmp_path / "articles.sqlite", "--jobs", "1")
    assert "learned 0 new or changed inputs of 12" in result.stderr and "of 12 inputs" in result.stderr
    assert index_rows(tmp_path / "articles.sqlite") == index_rows(reference)


def test_learn_dask_and_the_pool_index_the_same(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    src = tmp_path / "src"
    make_pages(src, 30)
    stream(src / "pages.jsonl", [OTHER, STORY, RETOLD])
    results = {}
    for name, args in (("one", ["--jobs", "1"]), ("dask", ["--engine", "dask", "--jobs", "2"])):
        folder = tmp_path / name
        folder.mkdir()
        result = learn(src, folder / "site.model", folder / "articles.sqlite", *args)
        results[name] = (result.stderr.replace(str(folder), ""), (folder / "site.model").read_bytes(),
                         index_rows(folder / "articles.sqlite"), sorted(files(folder)))
    assert "repeat earlier ones" in results["one"][0] and "; 0 repeat" not in results["one"][0]
    assert results["one"] == results["dask"]


def test_learn_indexes_a_streams_records(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    stream(src / "pages.jsonl", [STORY, OTHER, RETOLD])
    model, index = tmp_path / "site.model", tmp_path / "articles.sqlite"
    result = learn(src, model, index, "--jobs", "2")
    assert "indexed 5 articles of 1 inputs" in result.stderr and "2 repeat earlier ones" in result.stderr
    assert sorted(files(tmp_path)) == ["articles.sqlite", "articles.sqlite.lock", "site.model", "site.model.lock",
                                       "src/pages.jsonl"]  # no output, no spill file left
    news, dest = write(tmp_path / "news", {"z/story.txt": STORY}), tmp_path / "dest"
    daily = cleaner("batch", str(news), str(dest), "--jobs", "1", "--site-model", str(model),
                    "--dedupe-index", str(index))
    assert daily.returncode == 0, daily.stderr
    assert [a["duplicate_of"] for a in articles(dest / "z" / "story.json")] == [
        {"source": "pages.jsonl", "article": n, "similarity": 100.0, "url": "https://example.test/0"} for n in (0, 1)]


def test_learn_reports_an_input_it_cannot_index_and_goes_on(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"a/story.txt": STORY, "b/big.txt": STORY + OTHER, "c/other.txt": OTHER})
    model, index = tmp_path / "site.model", tmp_path / "articles.sqlite"
    result = learn(src, model, index, "--jobs", "2", "--max-page-bytes", str(len(STORY.encode()) + 1))
    [error] = [line for line in result.stderr.splitlines() if "error" in line]
    assert error.startswith("cleaner: error: b/big.txt: ") and "--max-page-bytes" in error
    assert "indexed 3 articles of 2 inputs" in result.stderr and "1 inputs failed" in result.stderr
    assert [row[0] for row in index_rows(index) if len(row) == 2 and isinstance(row[0], str)] == [
        "a/story.txt", "c/other.txt", "a/story.txt", "c/other.txt"]  # inputs, then the inputs indexed whole


def test_learn_stops_at_a_locked_index_before_it_learns(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"a/story.txt": STORY})
    dest = tmp_path / "dest"
    dest.mkdir()
    # the index's own lock; and a batch DEST's index, whose batch holds DEST's lock
    for index, lock in ((tmp_path / "articles.sqlite", tmp_path / "articles.sqlite.lock"),
                        (dest / INDEX_NAME, dest / LOCK_NAME)):
        with open(lock, "a+b") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            result = cleaner("learn", str(src), str(tmp_path / "site.model"), "--dedupe-index", str(index))
        assert result.returncode == EXIT_LOCKED, result.stderr
        assert f"another cleaner run is writing {index}" in result.stderr
        assert not (tmp_path / "site.model").exists() and not index.exists()


class StoppedAfterOnePartition(LocalEngine):
    """A pool whose cleaning is stopped by Ctrl-C once its first partition is back."""

    def clean(self, partitions: list[Any], options: Any, config: Any) -> Iterator[Any]:
        done = super().clean(partitions, options, config)
        yield next(done)
        raise KeyboardInterrupt


def test_learn_stopped_while_indexing_keeps_whole_partitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    make_pages(src, 40)
    reference = tmp_path / "reference"
    reference.mkdir()
    learn(src, reference / "site.model", reference / INDEX_NAME, "--jobs", "2")
    model, index = tmp_path / "site.model", tmp_path / "articles.sqlite"
    monkeypatch.setattr(cli, "_make_engine", lambda *args: StoppedAfterOnePartition(2))
    stopped = CliRunner().invoke(cli.main, ["learn", str(src), str(model), "--dedupe-index", str(index)])
    assert stopped.exit_code == EXIT_INTERRUPTED, stopped.output
    assert "interrupted; the model is saved and the articles of 2 inputs indexed" in stopped.stderr
    assert model.read_bytes() == (reference / "site.model").read_bytes()
    partial = index_rows(index)
    assert [row for row in partial if len(row) == 2 and isinstance(row[1], str)] == [
        (f"site{n % 5}/page{n:04d}.txt", hashlib.sha256((src / f"site{n % 5}/page{n:04d}.txt").read_bytes()).hexdigest())
        for n in (0, 5)]  # the first partition's two inputs, whole
    monkeypatch.undo()
    finished = learn(src, model, index, "--jobs", "2")
    assert "learned 0 new or changed inputs of 40" in finished.stderr and "of 38 inputs" in finished.stderr
    assert index_rows(index) == index_rows(reference)
