"""Every command in README.md, docs/*.md and the help texts' examples works, as jq's
manual examples do: each page is played in a sandbox folder, in order.

- a line that runs `cleaner` (alone, or in a pipe with curl, cat, find, jq,
  head, less, grep) is run by bash in the sandbox and must exit 0 without a
  traceback; a `$ ` line is a transcript: the lines after it must be in its
  output, in order (a line ending in `…` is compared up to there);
- Python blocks are run (the README's Spark recipe against the stand-in of
  tests/test_spark.py, which also runs it on real Spark; a block that imports
  pyspark only where pyspark and Java are installed);
- `pip install` lines must name this distribution or `.`, with extras that
  pyproject.toml defines; `pytest` and bench or fuzz script lines must use only
  options that exist (those scripts take minutes to hours: they are not run);
- links between the pages must lead to files that exist.

The sandbox holds page.txt (the seed), page.html, a.txt, b.txt, pages.jsonl,
posts.jsonl, data/raw (five site folders), fixtures/ (the repository's), and a
`curl` that prints page.html instead of fetching. The README's /data/ and
/shared/ paths are the sandbox's data/; tcp://HOST:8786 is a real Dask
scheduler started for the test.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.distribution import DISTRIBUTION_NAME
from test_batch import make_pages
from test_dask import scheduler  # noqa: F401  (a fixture: a real Dask scheduler and two workers)
from test_spark import FakeContext

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
FIXTURES = ROOT / "fixtures"
COMMAND_SECONDS = 300
TOOLS_ALLOWED = {"mypy"}  # development tools the README installs by name
VIEWERS = {"jq", "head", "cat", "ls"}  # lines that only look at what cleaner wrote
CLEANER_LINE = re.compile(r"(^|[|&;]\s*)cleaner\b")
# An environment variable set for a documented command ("CLEANER_PURE_PYTHON=1 python3 -m pytest").
ENVIRONMENT_SETTING = re.compile(r"[A-Z][A-Z0-9_]*=\S*")


def pyproject() -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest's own tomli
        tomllib = pytest.importorskip("tomli")
    return dict(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8")))


def code_blocks(page: Path) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w*)\n(.*?)^```", page.read_text("utf-8"), re.S | re.M)


def shell_lines(code: str) -> Iterator[str]:
    """The block's commands: continuation lines joined, blank and comment lines left out."""
    for line in code.replace("\\\n", " ").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line


def help_examples() -> list[str]:
    found = []
    for name in [None, *sorted(main.commands)]:  # type: ignore[attr-defined]
        text = CliRunner().invoke(main, [name, "--help"] if name else ["--help"]).output
        tail = text.split("Examples:\n", 1)
        assert len(tail) == 2, f"cleaner {name or ''} --help ends without examples"
        examples = [line.strip() for line in tail[1].splitlines() if line.strip()]
        assert 2 <= len(examples) <= 3, f"cleaner {name or ''} --help: {examples}"
        found += examples
    return found


def make_sandbox(root: Path) -> Path:
    seed = FIXTURES / "ap-seed-two-articles-repeated-captions" / "input.txt"
    shutil.copy(seed, root / "page.txt")
    shutil.copy(FIXTURES / "html-two-articles" / "input.html", root / "page.html")
    shutil.copy(FIXTURES / "msnbc-blog-share-buttons" / "input.txt", root / "a.txt")
    shutil.copy(FIXTURES / "sh-portuguese-blog-post" / "input.txt", root / "b.txt")
    texts = [seed.read_text("utf-8"), (root / "a.txt").read_text("utf-8")]
    with open(root / "pages.jsonl", "w", encoding="utf-8") as out, \
            open(root / "posts.jsonl", "w", encoding="utf-8") as posts:
        for n, text in enumerate(texts):
            out.write(json.dumps({"text": text, "url": f"https://example.org/{n}", "id": str(n)}) + "\n")
            posts.write(json.dumps({"body": text, "url": f"https://example.org/{n}"}) + "\n")
    make_pages(root / "data" / "raw", 10)
    (root / "fixtures").symlink_to(FIXTURES)
    tools = root / "bin"
    tools.mkdir()
    (tools / "curl").write_text(f"#!/bin/sh\ncat {shlex.quote(str(root / 'page.html'))}\n")
    (tools / "curl").chmod(0o755)
    return root


def localise(text: str, scheduler: str | None) -> str:
    text = re.sub(r"(?<![\w.])/(data|shared)/", "data/", text)
    if "tcp://HOST:8786" in text:
        assert scheduler, "a command needs the Dask scheduler"
        text = text.replace("tcp://HOST:8786", scheduler)
    return text


class Player:
    """Plays one page's blocks in its sandbox."""

    def __init__(self, sandbox: Path, scheduler: str | None) -> None:
        self.sandbox, self.scheduler = sandbox, scheduler
        self.environment = {
            **os.environ, "PATH": os.pathsep.join([str(sandbox / "bin"), str(Path(sys.executable).parent),
                                                   os.environ.get("PATH", "")]),
        }
        self.extras = set(pyproject()["project"]["optional-dependencies"])
        self.pytest_help: str | None = None

    def shell(self, code: str) -> None:
        lines = list(shell_lines(code))
        while lines:
            line = lines.pop(0)
            if line.startswith("$ "):
                shown = []
                while lines and not lines[0].startswith("$ "):
                    shown.append(lines.pop(0))
                self.transcript(line[2:], shown)
            else:
                for part in line.split(" && "):
                    self.command(part.strip())

    def command(self, line: str) -> None:
        words = shlex.split(line, comments=True)
        while words and ENVIRONMENT_SETTING.fullmatch(words[0]):
            words = words[1:]  # VARIABLE=value before a command: the command's rule checks it
        if words[:4] == ["python3", "-m", "pip", "install"]:
            self.check_install(words[4:])
        elif words[:3] == ["python3", "-m", "pytest"]:
            self.check_pytest(words[3:])
        elif words[:3] == ["python3", "-m", "mypy"]:
            assert "mypy" in pyproject()["tool"], "mypy is not configured in pyproject.toml"
        elif len(words) > 1 and words[0] == "python3" and words[1].startswith(("bench/", "fuzz/")):
            self.check_script(words[1], words[2:])
        elif CLEANER_LINE.search(line) or words[0] in VIEWERS:
            self.run(line)
        else:
            pytest.fail(f"no rule for this documented command: {line}")

    def run(self, line: str) -> str:
        if re.search(r"\bjq\b", line) and shutil.which("jq") is None:
            warnings.warn(f"jq is not installed: not run: {line}", stacklevel=1)
            return ""
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", localise(line, self.scheduler)], cwd=self.sandbox,
            env=self.environment, capture_output=True, text=True, timeout=COMMAND_SECONDS, stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{line}\n{done.stderr}"
        return done.stdout

    def transcript(self, line: str, shown: list[str]) -> None:
        output = self.run(line).splitlines()
        position = 0
        for expected in shown:
            wanted = expected.rstrip("…").rstrip() if expected.endswith("…") else expected
            matches = [n for n in range(position, len(output))
                       if (output[n].startswith(wanted) if wanted != expected else output[n] == expected)]
            assert matches, f"{line}: the README shows a line it does not print: {expected!r}"
            position = matches[0] + 1

    def check_install(self, args: list[str]) -> None:
        for arg in args:
            if arg.startswith("-"):
                assert arg in ("-e", "--upgrade", "--quiet", "-q"), arg
                continue
            match = re.fullmatch(r"([\w.-]+)(?:\[([\w,]+)\])?", arg)
            assert match, f"cannot read pip's argument {arg!r}"
            name, extras = match.group(1), (match.group(2) or "").split(",")
            assert name in (".", DISTRIBUTION_NAME) or name in TOOLS_ALLOWED, f"pip install {arg}: which project?"
            assert set(filter(None, extras)) <= self.extras, f"pip install {arg}: no such extra"

    def check_pytest(self, args: list[str]) -> None:
        if self.pytest_help is None:
            self.pytest_help = subprocess.run(
                [sys.executable, "-m", "pytest", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120,
            ).stdout
        for arg in args:
            if arg.startswith("--"):
                assert arg.split("=")[0] in self.pytest_help, f"pytest has no option {arg}"
            else:
                assert (ROOT / arg).exists(), f"pytest {arg}: no such file"

    def check_script(self, script: str, args: list[str]) -> None:
        source = (ROOT / script).read_text("utf-8")
        for arg in args:
            if arg.startswith("--"):
                option = arg.split("=")[0]
                assert f'"{option}"' in source, f"{script} has no option {option}"

    def python(self, code: str) -> None:
        code = localise(code, self.scheduler)
        if "pyspark" in code and not _has_spark():
            warnings.warn("pyspark or Java missing: a Spark block not run", stacklevel=1)
            return
        scope: dict[str, Any] = {"__name__": "__docs__", "sc": FakeContext()}
        exec(compile(code, "<docs>", "exec"), scope)  # noqa: S102


def _has_spark() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


def needs_scheduler(page: Path) -> bool:
    return "tcp://HOST:8786" in page.read_text("utf-8")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_command_of_the_page_works(page: Path, tmp_path: Path, request: pytest.FixtureRequest,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = request.getfixturevalue("scheduler") if needs_scheduler(page) else None
    monkeypatch.chdir(tmp_path)
    player = Player(make_sandbox(tmp_path), scheduler)
    blocks = code_blocks(page)
    assert blocks or page.name == "quality.md", f"{page.name} shows no command"
    for language, code in blocks:
        if language == "sh":
            player.shell(code)
        elif language == "python":
            player.python(code)


def test_every_help_example_works(tmp_path: Path) -> None:
    player = Player(make_sandbox(tmp_path), None)
    for example in help_examples():
        player.command(example)


def test_the_pages_link_to_pages_that_exist() -> None:
    linked = set()
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target:
                continue
            path = (page.parent / target).resolve()
            assert path.exists(), f"{page.name} links to {target}, which does not exist"
            linked.add(path)
    assert set(PAGES[1:]) <= linked, "a page of docs/ that nothing links to"


def test_the_readme_and_the_hints_use_the_distribution_name() -> None:
    assert pyproject()["project"]["name"] == DISTRIBUTION_NAME
    text = README.read_text("utf-8")
    assert f"`{DISTRIBUTION_NAME}`" in text or f"**`{DISTRIBUTION_NAME}`**" in text
    assert not re.search(r'pip install "?cleaner\[', "\n".join(p.read_text("utf-8") for p in PAGES))


def test_every_subpackage_is_in_the_packaging() -> None:
    """A wheel holds only the packages pyproject.toml lists: a new subpackage missing
    there works in an editable install and breaks a real one."""
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "cleaner").rglob("__init__.py")}
    assert found == listed
