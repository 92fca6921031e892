"""What a run has to do: the inputs, their output names, and the settings digest.

The settings digest holds everything that shapes an output (version, options,
thresholds, bundled models, and the boilerplate of the input's site): an
output made under another digest is made again.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict

from .. import __version__
from ..config import CleanerConfig
from ..records import is_stream
from ..sitemodel import boilerplate_digest
from .tasks import BatchOptions

EXTENSIONS = {"markdown": ".md", "json": ".json", "jsonl": ".jsonl", "text": ".txt"}
# Input suffixes replaced by the output extension ("a.html.gz" -> "a.json").
FORMAT_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text", ".jsonl", ".warc", ".wet", ".md")


def list_inputs(src: str, pattern: str, dest: str) -> list[tuple[str, str]]:
    """(absolute path, relative path) of every input file under src, sorted; DEST,
    hidden files and folders are left out."""
    src, dest = os.path.abspath(src), os.path.abspath(dest)
    found = []
    for folder, folders, files in os.walk(src):
        folders[:] = sorted(
            d for d in folders if not d.startswith(".") and os.path.join(folder, d) != dest
        )
        for name in files:
            if name.startswith(".") or not fnmatch.fnmatch(name, pattern):
                continue
            path = os.path.join(folder, name)
            found.append((path, os.path.relpath(path, src).replace(os.sep, "/")))
    return sorted(found, key=lambda item: item[1])


def read_file_list(lines: Iterable[str]) -> list[tuple[str, str]]:
    """--files-from: one path a line; each is its own relative path (absolute
    paths lose their leading '/')."""
    found = []
    for line in lines:
        path = line.strip()
        if path:
            found.append((os.path.abspath(path), os.path.normpath(path).lstrip("/").replace(os.sep, "/")))
    return found


def output_name(relative: str, output_format: str) -> str:
    """a/b/page.html -> a/b/page.json, page.html.gz -> page.json, crawl.warc.gz ->
    crawl.jsonl, crawl.warc.wet.gz -> crawl.warc.jsonl (a record stream always
    gives JSONL): one compression suffix and one format suffix are replaced."""
    extension = ".jsonl" if is_stream(relative) else EXTENSIONS[output_format]
    stem = relative
    for suffixes in ((".gz",), FORMAT_SUFFIXES):
        suffix = next((s for s in suffixes if stem.lower().endswith(s) and len(stem) > len(s)), None)
        if suffix is not None:
            stem = stem[: -len(suffix)]
    return stem + extension


def output_paths(inputs: list[tuple[str, str]], dest: str, output_format: str) -> list[str]:
    """The output of each input under dest; page.html and page.txt: the second
    keeps its whole name."""
    paths = []
    taken: set[str] = set()
    for _, relative in inputs:
        name = output_name(relative, output_format)
        if name in taken:
            name = relative + os.path.splitext(name)[1]
        taken.add(name)
        paths.append(os.path.join(dest, name))
    return paths


def settings_digest(options: BatchOptions, config: CleanerConfig) -> str:
    """Everything that changes an output: version, output options, thresholds, models."""
    shaping = {
        "version": __version__,
        "format": options.output_format,
        "captions": options.captions,
        "links": options.links,
        "input_format": options.input_format,
        "fields": asdict(options.fields),
        "duplicates": options.duplicates,
        "config": asdict(config),
        "models": _model_digest(),
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]


def task_settings(base: str, source: str, site: str, sites: dict[str, frozenset[int]]) -> str:
    """The base digest and the boilerplate the input is cleaned with: its site's
    set, or every site's for a record stream (each record has its own host)."""
    if is_stream(source):
        boilerplate: frozenset[int] = frozenset()
        site_sets = sorted(sites.items())
    else:
        boilerplate, site_sets = sites.get(site, frozenset()), []
    if not boilerplate and not site_sets:
        return base
    parts = [base, boilerplate_digest(boilerplate)] + [f"{s}:{boilerplate_digest(b)}" for s, b in site_sets]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _model_digest() -> str:
    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
    digest = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]
