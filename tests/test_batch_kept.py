"""A batch run parses each page once: pass 1 keeps the prepared page (in memory,
or in a spill file in DEST) and pass 2 finishes it, with the same bytes as a
page parsed again for pass 2."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import CleanerConfig, pipeline
from cleaner.batch import TEMP_PREFIX, BatchOptions, LocalEngine, list_inputs, run_batch
from cleaner.batch import kept
from cleaner.batch.run import SITE_MODEL_NAME
from cleaner.blocks import split_blocks
from cleaner.classify import score_blocks
from cleaner.dedupe import mark_duplicates
from cleaner.model import Block
from cleaner.read import read_input
from test_batch import make_pages, outputs


def count_parses(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], int]:
    """Count the pages split into blocks, in this process and in the workers
    (even --jobs 1 runs in a pool of one worker, forked after the patch): each
    call appends a byte to log."""
    split = pipeline.split_blocks
    log.write_bytes(b"")

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        with open(log, "ab") as handle:
            handle.write(b".")
        return split(*args, **kwargs)

    monkeypatch.setattr(pipeline, "split_blocks", counting)
    return lambda: len(log.read_bytes())


def run(src: Path, dest: Path, **options: object) -> None:
    result = run_batch(list_inputs(str(src), "*", str(dest)), str(dest), BatchOptions(output_format="json", **options),
                       engine=LocalEngine(1))
    assert not result.failed


@pytest.mark.parametrize("spill", ["memory", "disk", "broken"])
def test_each_page_is_parsed_once_with_the_same_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: str
) -> None:
    make_pages(tmp_path / "src", 30)
    # the reference: pass 2 alone, with the model a first run learned (every page parsed for it)
    run(tmp_path / "src", tmp_path / "learned")
    model = str(tmp_path / "learned" / SITE_MODEL_NAME)
    reference = tmp_path / "reference"
    run_batch(list_inputs(str(tmp_path / "src"), "*", str(reference)), str(reference),
              BatchOptions(output_format="json"), site_model=model, engine=LocalEngine(1))
    if spill != "memory":
        monkeypatch.setattr(kept, "KEEP_MAX_BLOCKS", 0)
    if spill == "broken":  # a page that cannot be spilled is parsed again in pass 2, with the same result

        def unpicklable(*args: object, **kwargs: object) -> bytes:
            raise pickle.PicklingError("no")

        monkeypatch.setattr(kept.pickle, "dumps", unpicklable)
    calls = count_parses(monkeypatch, tmp_path / "parses")
    run(tmp_path / "src", tmp_path / "dest")
    assert calls() == (60 if spill == "broken" else 30)
    assert outputs(tmp_path / "dest") == outputs(reference)
    assert (tmp_path / "dest" / SITE_MODEL_NAME).read_bytes() == Path(model).read_bytes()
    assert not [p for p in (tmp_path / "dest").rglob(TEMP_PREFIX + "*")]  # spill files removed
    assert not kept._kept and kept._kept_blocks == 0


def test_classify_does_not_read_the_site_boilerplate_mark() -> None:
    """What lets pass 1 classify before the model is learned (pipeline.prepare)."""
    page = Path(__file__).parent.parent / "fixtures" / "ap-seed-two-articles-repeated-captions" / "input.txt"
    config = CleanerConfig()

    def deduped() -> list[Block]:
        blocks, _ = split_blocks(read_input(page.read_bytes()), config)
        return mark_duplicates(blocks, config)

    plain, marked = deduped(), deduped()
    for block in marked:
        block.site_boilerplate = True
    scores = [b.content_score for b in score_blocks(plain, config, html=False)]
    assert len(set(scores)) > 2
    assert [b.content_score for b in score_blocks(marked, config, html=False)] == scores


def test_a_changed_site_boilerplate_cleans_again_only_the_pages_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After new pages change a site's boilerplate, an old page is cleaned again
    only if its own lines meet the old and the new boilerplate differently; the
    outputs and manifest rows are those of a fresh run over all the pages."""
    from cleaner.batch.run import BatchResult
    from cleaner.pipeline import page_fingerprints
    from cleaner.sitemodel import load_boilerplate
    from test_batch import manifest_rows

    make_pages(tmp_path / "all", 40)
    src = tmp_path / "src"
    added = sorted((tmp_path / "all").rglob("*.txt"), key=lambda p: p.name)[-15:]  # three more pages a site
    for page in sorted((tmp_path / "all").rglob("*.txt")):
        if page not in added:
            target = src / page.relative_to(tmp_path / "all")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.read_bytes())
    dest = tmp_path / "dest"
    # no article index: the pages repeat each other, and an article added in a
    # later run names the first telling seen, not the first in input order
    run(src, dest, duplicates="off")
    config = CleanerConfig()
    old = load_boilerplate(str(dest / SITE_MODEL_NAME), config)
    for page in added:
        target = src / page.relative_to(tmp_path / "all")
        target.write_bytes(page.read_bytes())
    calls = count_parses(monkeypatch, tmp_path / "parses")
    results: list[BatchResult] = []
    results.append(run_batch(list_inputs(str(src), "*", str(dest)), str(dest),
                             BatchOptions(output_format="json", duplicates="off"), engine=LocalEngine(1)))
    parses = calls()
    monkeypatch.undo()
    new = load_boilerplate(str(dest / SITE_MODEL_NAME), config)
    assert old != new  # the added pages changed some site's boilerplate
    redone = [
        page for page in sorted(src.rglob("*.txt"))
        if not any(page.name == a.name for a in added)
        and (lines := page_fingerprints(page.read_bytes())) & old.get(page.parent.name, frozenset())
        != lines & new.get(page.parent.name, frozenset())
    ]
    assert 0 < len(redone) < 25  # some old pages have other boilerplate lines now, not all
    assert parses == len(added) + len(redone)
    assert results[0].cleaned == len(added) + len(redone) and results[0].parsed == len(redone)
    reference = tmp_path / "reference"
    run(src, reference, duplicates="off")
    assert outputs(dest) == outputs(reference)
    strip = lambda rows: [(path, os.path.relpath(out, root)) for (path, out), root in rows]  # noqa: E731
    assert strip([(r, dest) for r in manifest_rows(dest)]) == strip([(r, reference) for r in manifest_rows(reference)])



@pytest.mark.parametrize("dies_in", ["pass 1", "pass 2"])
def test_kept_pages_survive_a_worker_killed_by_one_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dies_in: str
) -> None:
    """--jobs 1 runs in a pool of one worker, which keeps the prepared pages in
    its memory. An input that kills it loses them: the pool is replaced, the
    partition is run again input by input, and each page whose kept copy is gone
    is parsed again. Every other output is the same as without the killer."""
    from cleaner.batch.tasks import DIE_ON_VARIABLE

    def edit(src: Path) -> None:  # changed pages: prepared and kept anew by pass 1
        for page in sorted(src.rglob("page*.txt"))[::3]:
            page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    for name in ("src", "ref"):
        make_pages(tmp_path / name, 30)
        (tmp_path / name / "site1" / "killer.txt").write_bytes((tmp_path / name / "site1" / "page0011.txt").read_bytes()
                                                               + b"\nThe killer.\n")
    if dies_in == "pass 1":  # a new input that kills its worker in both passes
        (tmp_path / "ref" / "site1" / "killer.txt").unlink()
        run(tmp_path / "ref", tmp_path / "reference")
        monkeypatch.setenv(DIE_ON_VARIABLE, "killer.txt")
        result = run_batch(list_inputs(str(tmp_path / "src"), "*", str(tmp_path / "dest")), str(tmp_path / "dest"),
                           BatchOptions(output_format="json"), engine=LocalEngine(1))
    else:  # counted before, so only pass 2 meets it: after pass 1 kept the changed pages
        for name, dest in (("ref", "reference"), ("src", "dest")):
            run(tmp_path / name, tmp_path / dest)
            edit(tmp_path / name)
            (tmp_path / dest / "site1" / "killer.json").unlink()
        run(tmp_path / "ref", tmp_path / "reference")
        monkeypatch.setenv(DIE_ON_VARIABLE, "killer.txt")
        result = run_batch(list_inputs(str(tmp_path / "src"), "*", str(tmp_path / "dest")), str(tmp_path / "dest"),
                           BatchOptions(output_format="json"), engine=LocalEngine(1))
        assert result.learned == 10
        (tmp_path / "reference" / "site1" / "killer.json").unlink()
    assert [o.relative for o in result.failed] == ["site1/killer.txt"]
    assert result.parsed > 0  # pages kept by the worker that died: parsed again
    assert outputs(tmp_path / "dest") == outputs(tmp_path / "reference")
    assert (tmp_path / "dest" / SITE_MODEL_NAME).read_bytes() == (tmp_path / "reference" / SITE_MODEL_NAME).read_bytes()
    assert not [p for p in (tmp_path / "dest").rglob(TEMP_PREFIX + "*")]
