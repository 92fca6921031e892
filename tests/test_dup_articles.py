"""The same story twice: duplicate articles across pages and runs, through the real CLI.

cleaner batch (local pool and Dask), cleaner clean on record streams, and
cleaner dedupe-index; the fingerprint and the index's order rules in a few
direct cases.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def index_rows(dest: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(dest / INDEX_NAME) as db:
        inputs = sorted(db.execute("SELECT path, seq FROM inputs"))
        rows = sorted(db.execute("SELECT id, words, original FROM articles"))
        bands = db.execute("SELECT COUNT(*) FROM bands").fetchone()
    return [*inputs, *rows, bands]


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
