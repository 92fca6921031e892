"""The command line: exit codes, stdout holds only the result, stderr one line per message."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.cli import main

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_290fdad124de14e5.txt"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"seed page {SEED} not present")
ANSI = re.compile(r"\x1b\[")
ARTICLE = (
    "Council approves new library budget\n\n"
    "The city council on Monday approved a budget that doubles the opening hours of the "
    "central library, after months of debate about how to pay for the extra staff.\n\n"
    "The mayor said the plan would be reviewed next spring, once the first figures on "
    "visitor numbers are in, and that no branch would close in the meantime.\n"
)


def run(*args: str, input: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def run_process(*args: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, cwd=cwd,
        env=env, timeout=120,
    )
    out = subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )
    assert "Traceback" not in out.stdout + out.stderr
    return out


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("cleaner: error: ")
    return lines[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- errors -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    result = run("clean", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no such file" in one_error_line(result.stderr)


def test_directory(tmp_path: Path) -> None:
    result = run("clean", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "directory" in one_error_line(result.stderr)


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048 + random.Random(0).randbytes(2048))
    result = run("clean", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "binary" in one_error_line(result.stderr)


def test_binary_file_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(random.Random(0).randbytes(4096))
    result = run_process("clean", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "binary" in one_error_line(result.stderr)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read mode-000 files")
def test_unreadable_file(article: Path) -> None:
    article.chmod(0)
    try:
        result = run("clean", str(article))
    finally:
        article.chmod(0o644)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "permission denied" in one_error_line(result.stderr)


def test_missing_file_subprocess(tmp_path: Path) -> None:
    result = run_process("clean", "nope.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "nope.txt" in one_error_line(result.stderr)


def test_bad_file_among_good_ones(tmp_path: Path, article: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text(ARTICLE, encoding="utf-8")
    result = run("clean", "-f", "json", str(article), str(tmp_path / "missing.txt"), str(second))
    assert result.exit_code == 1
    sources = [doc["source"] for doc in json.loads(result.stdout)]
    assert sources == [str(article), str(second)]
    assert "missing.txt" in one_error_line(result.stderr)


# --- decoding and empty input --------------------------------------------------


def test_latin1_file_is_cleaned_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(ARTICLE.replace("debate", "débat").encode("latin-1"))
    result = run("clean", str(path))
    assert result.exit_code == 0
    assert "débat" in result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith("cleaner: warning: ") and "UTF-8" in line


def test_empty_input(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run("clean", str(path))
    assert result.exit_code == 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "no article" in line


# --- stdin -------------------------------------------------------------------


def test_stdin_as_dash() -> None:
    result = run("clean", "-", input=ARTICLE)
    assert result.exit_code == 0
    assert "opening hours" in result.stdout
    assert result.stderr == ""


def test_stdin_without_argument() -> None:
    result = run("clean", input=ARTICLE)
    assert result.exit_code == 0
    assert "opening hours" in result.stdout
    assert result.stderr == ""


def test_stdin_pipe_subprocess(tmp_path: Path) -> None:
    result = run_process("clean", "-f", "json", cwd=tmp_path, stdin=ARTICLE.encode("utf-8"))
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["source"] == "-"


# --- size --------------------------------------------------------------------


def test_50_mb_single_line_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    sentence = b"The quick brown fox jumps over the lazy dog. "
    path.write_bytes((sentence * (50_000_000 // len(sentence) + 1))[:50_000_000])
    result = run("clean", "-f", "jsonl", str(path))
    assert result.exit_code == 0


# --- output ------------------------------------------------------------------


def test_several_inputs_give_a_json_array(tmp_path: Path, article: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text(ARTICLE, encoding="utf-8")
    result = run("clean", "-f", "json", str(article), str(second))
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert isinstance(payload, list) and len(payload) == 2


def test_output_file_is_written_and_nothing_else(tmp_path: Path, article: Path) -> None:
    target = tmp_path / "out.md"
    result = run("clean", "-o", str(target), str(article))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "opening hours" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "out.md"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # as any other new file, not 0600


@needs_seed
def test_seed_json() -> None:
    result = run("clean", "-f", "json", str(SEED))
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["source"] == str(SEED)
    assert payload["articles"][0]["title"].startswith("NATO's chief avoids talk")
    assert "dropped" not in payload


@needs_seed
def test_seed_jsonl() -> None:
    result = run("clean", "-f", "jsonl", str(SEED))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(row["source"] == str(SEED) and "paragraphs" in row for row in rows)


@needs_seed
def test_seed_text_has_no_markdown() -> None:
    result = run("clean", "-f", "text", str(SEED))
    assert result.exit_code == 0
    assert result.stdout.startswith("NATO's chief avoids talk")
    assert "# " not in result.stdout and "_2024" not in result.stdout


@needs_seed
def test_seed_captions_only_when_asked() -> None:
    caption = "shakes hands with United States Secretary of State Antony Blinken"
    assert caption not in run("clean", str(SEED)).stdout
    with_captions = run("clean", "--captions", str(SEED)).stdout
    assert "Captions:" in with_captions and caption in with_captions


@needs_seed
def test_seed_explain_lists_dropped_lines() -> None:
    result = run("clean", "-f", "json", "--explain", str(SEED))
    assert result.exit_code == 0
    dropped = json.loads(result.stdout)["dropped"]
    assert dropped
    assert all({"line", "text", "reason"} <= item.keys() for item in dropped)
    assert all(isinstance(item["line"], int) and item["line"] >= 1 for item in dropped)


@needs_seed
def test_explain_command_one_line_per_input_line() -> None:
    result = run("explain", str(SEED))
    assert result.exit_code == 0
    non_blank = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(result.stdout.splitlines()) == len(non_blank)
    for word in ("title", "caption", "duplicate of"):
        assert word in result.stdout
    assert not ANSI.search(result.stdout)


@needs_seed
def test_explain_subprocess_has_no_ansi_codes(tmp_path: Path) -> None:
    result = run_process("explain", str(SEED), cwd=tmp_path)
    assert result.returncode == 0
    assert "duplicate of" in result.stdout
    assert not ANSI.search(result.stdout + result.stderr)
