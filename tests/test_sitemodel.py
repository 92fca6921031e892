"""Boilerplate learned across a site's pages (sitemodel) and its use in batch and clean."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleaner import CleanerConfig, clean
from cleaner.batch import SITE_MODEL_NAME
from cleaner.cli import main
from cleaner.pipeline import page_fingerprints
from cleaner.sitemodel import SiteModel, load_model, merge_counts, save_model, site_of

TOPICS = ["bridge", "school", "library", "harbour", "market", "stadium"]
QUOTE = "“We will not stop until the river is clean again,” the mayor told the crowd on the steps of city hall."
# The site's own line, printed inside every story: read alone, a page keeps it.
FOOTER = "The Riverside Gazette has covered the valley and its people since 1921, in print and online."


def story(topic: str, quote: bool = False) -> str:
    """A page of one site: its own article, with the site's line once in the middle."""
    paragraphs = [
        f"The council voted on Monday to approve the new {topic} plan, ending a debate about the {topic} "
        f"that had lasted for more than six years and divided the town into two camps of residents.",
        f"Work on the {topic} is expected to start next spring, and officials said the first part of the "
        f"{topic} project should be finished within three years if the weather is kind to the builders.",
        f"Opponents of the {topic} said they would keep fighting the decision in court, arguing that the "
        f"cost of the {topic} had doubled since the plan was first put to the council members in 2018.",
        f"Supporters of the {topic} welcomed the vote and said the town had waited long enough for a "
        f"decision on the {topic}, which they expect to bring new visitors and jobs to the old centre.",
    ]
    paragraphs.insert(2, FOOTER)
    if quote:
        paragraphs.insert(3, QUOTE)
    return f"Local news: the {topic} vote\n\n" + "\n\n".join(paragraphs) + "\n"


def body_lines(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p for a in document.articles for p in a.paragraphs]


def learned(pages: list[str]) -> SiteModel:
    return merge_counts(SiteModel(), (("site", page_fingerprints(p)) for p in pages))


def test_site_is_the_host_else_the_folder() -> None:
    assert site_of("https://www.example.test/a/b", "x/y/page.txt") == "example.test"
    assert site_of(None, "/data/raw/sitea/page.txt") == "sitea"


def test_a_line_on_every_page_is_learned_and_dropped() -> None:
    pages = [story(t) for t in TOPICS]
    model = learned(pages)
    boilerplate = model.boilerplate("site", CleanerConfig())
    assert FOOTER not in body_lines(clean(pages[0], site_boilerplate=boilerplate))
    assert len(body_lines(clean(pages[0], site_boilerplate=boilerplate))) == 4


def test_a_sentence_two_articles_quote_stays_in_both() -> None:
    pages = [story(t, quote=t in ("bridge", "school")) for t in TOPICS]
    boilerplate = learned(pages).boilerplate("site", CleanerConfig())
    assert QUOTE in body_lines(clean(pages[0], site_boilerplate=boilerplate))
    assert QUOTE in body_lines(clean(pages[1], site_boilerplate=boilerplate))


def test_model_round_trip(tmp_path: Path) -> None:
    model = learned([story(t) for t in TOPICS])
    model.counted["a.txt"] = "abc"
    save_model(model, str(tmp_path / "model.json"))
    again = load_model(str(tmp_path / "model.json"))
    assert again.boilerplate("site", CleanerConfig()) == model.boilerplate("site", CleanerConfig())
    assert again.counted == {"a.txt": "abc"}


def test_batch_learns_the_site_and_clean_can_reuse_it(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    (src / "local").mkdir(parents=True)
    for topic in TOPICS:
        (src / "local" / f"{topic}.txt").write_text(story(topic, quote=topic in ("bridge", "school")))
    result = CliRunner().invoke(main, ["batch", str(src), str(dest), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    bridge = json.loads((dest / "local" / "bridge.json").read_text())
    paragraphs = bridge["articles"][0]["paragraphs"]
    assert FOOTER not in paragraphs and QUOTE in paragraphs and len(paragraphs) == 5
    alone = CliRunner().invoke(main, ["clean", str(src / "local" / "market.txt"), "-f", "json"])
    assert FOOTER in alone.stdout
    reused = CliRunner().invoke(
        main, ["clean", str(src / "local" / "market.txt"), "-f", "json", "--site-model", str(dest / SITE_MODEL_NAME)]
    )
    assert reused.exit_code == 0 and FOOTER not in reused.stdout


def batch_of_one_site(src: Path, dest: Path) -> CliRunner:
    """A site folder of stories in src, cleaned into dest; the runner, for more runs."""
    (src / "local").mkdir(parents=True)
    for topic in TOPICS:
        (src / "local" / f"{topic}.txt").write_text(story(topic))
    runner = CliRunner()
    assert runner.invoke(main, ["batch", str(src), str(dest), "--jobs", "1"]).exit_code == 0
    return runner


def test_no_change_rerun_keeps_the_model_and_the_outputs(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    runner = batch_of_one_site(src, dest)
    model = (dest / SITE_MODEL_NAME).read_bytes()
    second = runner.invoke(main, ["batch", str(src), str(dest), "--jobs", "1"])
    assert "cleaned 0, skipped 6" in second.stderr
    assert (dest / SITE_MODEL_NAME).read_bytes() == model


def test_a_json_model_of_cleaner_0_1_is_read_and_migrated(tmp_path: Path) -> None:
    """A DEST made by the JSON-model batch: the re-run rewrites no output and
    moves the model to the binary artifact."""
    from cleaner.batch import LEGACY_SITE_MODEL_NAME

    src, dest = tmp_path / "src", tmp_path / "dest"
    runner = batch_of_one_site(src, dest)
    model = load_model(str(dest / SITE_MODEL_NAME))
    legacy = {  # the version 1 layout
        "version": 1,
        "sites": {s: {"pages": c.pages, "counts": sorted([fp, n] for fp, n in c.counts.items())}
                  for s, c in model.sites.items()},
        "counted": model.counted,
    }
    (dest / LEGACY_SITE_MODEL_NAME).write_text(json.dumps(legacy))
    binary = (dest / SITE_MODEL_NAME).read_bytes()
    (dest / SITE_MODEL_NAME).unlink()
    mtimes = {p: p.stat().st_mtime_ns for p in dest.rglob("*.json") if not p.name.startswith(".")}
    second = runner.invoke(main, ["batch", str(src), str(dest), "--jobs", "1"])
    assert "cleaned 0, skipped 6" in second.stderr
    assert {p: p.stat().st_mtime_ns for p in dest.rglob("*.json") if not p.name.startswith(".")} == mtimes
    assert (dest / SITE_MODEL_NAME).read_bytes() == binary
    assert not (dest / LEGACY_SITE_MODEL_NAME).exists()
