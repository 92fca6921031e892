"""Stage 6: Documents -> Markdown, JSON and JSONL, deterministic and in a fixed shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cleaner.model import Article, Document, Dropped
from cleaner.render import render_json, render_jsonl, render_markdown

ARTICLE_KEYS = ["title", "published", "updated", "dateline", "byline", "paragraphs", "captions"]


def full_article() -> Article:
    return Article(
        title="Bridge plan approved",
        published="2024-03-12",
        updated="2024-03-12T10:05",
        dateline="BRUSSELS (AP)",
        byline="By Jane Doe",
        paragraphs=["The council voted on Monday.", "Work starts next spring."],
        captions=["Workers inspect the bridge. (AP Photo/Jane Smith)"],
    )


def untitled_article() -> Article:
    return Article(paragraphs=["A storm reaches the coast on Saturday."])


def document(*articles: Article, source: str = "page.txt") -> Document:
    return Document(
        source=source,
        articles=list(articles),
        dropped=[
            Dropped(line=1, text="Home", reason="boilerplate (short link-like line, score 0.04)"),
            Dropped(line=9, text="Bridge plan approved", reason="duplicate", duplicate_of=7, score=100.0),
        ],
    )


# --- Markdown -----------------------------------------------------------------


def test_markdown_shape() -> None:
    assert render_markdown([document(full_article())]) == (
        "# Bridge plan approved\n\n"
        "_2024-03-12 · updated 2024-03-12T10:05 · BRUSSELS (AP) · By Jane Doe_\n\n"
        "The council voted on Monday.\n\n"
        "Work starts next spring.\n"
    )


def test_markdown_separates_articles_with_a_rule() -> None:
    rendered = render_markdown([document(full_article(), untitled_article())])
    first, second = rendered.split("\n---\n\n")
    assert first.startswith("# Bridge plan approved\n")
    assert second == "A storm reaches the coast on Saturday.\n"


def test_markdown_captions_only_when_asked() -> None:
    caption = "Workers inspect the bridge. (AP Photo/Jane Smith)"
    assert caption not in render_markdown([document(full_article())])
    assert render_markdown([document(full_article())], captions=True).endswith(f"Captions:\n\n- {caption}\n")


def test_markdown_has_no_heading_without_title() -> None:
    rendered = render_markdown([document(untitled_article())])
    assert not any(line.startswith("# ") for line in rendered.splitlines())
    assert rendered == "A storm reaches the coast on Saturday.\n"


# --- JSON ---------------------------------------------------------------------


def test_json_key_order() -> None:
    payload = json.loads(render_json([document(full_article())]))
    assert list(payload) == ["source", "articles"]
    assert list(payload["articles"][0]) == ARTICLE_KEYS


def test_json_values() -> None:
    payload = json.loads(render_json([document(untitled_article())]))
    assert payload == {
        "source": "page.txt",
        "articles": [{
            "title": None, "published": None, "updated": None, "dateline": None, "byline": None,
            "paragraphs": ["A storm reaches the coast on Saturday."], "captions": [],
        }],
    }


def test_json_several_documents_give_an_array() -> None:
    payload = json.loads(render_json([document(full_article(), source="a.txt"), document(source="b.txt")]))
    assert isinstance(payload, list)
    assert [d["source"] for d in payload] == ["a.txt", "b.txt"]


def test_json_explain_adds_dropped() -> None:
    plain = json.loads(render_json([document(full_article())]))
    explained = json.loads(render_json([document(full_article())], explain=True))
    assert "dropped" not in plain
    assert list(explained) == ["source", "articles", "dropped"]
    assert explained["dropped"] == [
        {"line": 1, "text": "Home", "reason": "boilerplate (short link-like line, score 0.04)"},
        {"line": 9, "text": "Bridge plan approved", "reason": "duplicate", "duplicate_of": 7, "score": 100.0},
    ]


def test_jsonl_one_article_per_line_with_source() -> None:
    rendered = render_jsonl([document(full_article(), untitled_article(), source="a.txt"), document(source="b.txt")])
    lines = rendered.splitlines()
    assert rendered.endswith("\n")
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [list(r) for r in records] == [["source", *ARTICLE_KEYS]] * 2
    assert [(r["source"], r["title"]) for r in records] == [("a.txt", "Bridge plan approved"), ("a.txt", None)]


def test_non_ascii_is_kept_as_is() -> None:
    article = Article(title="Crème brûlée — café", paragraphs=["Привет, 세계 “quoted”."])
    for rendered in (render_json([document(article)]), render_jsonl([document(article)])):
        assert "Crème brûlée — café" in rendered
        assert "Привет, 세계 “quoted”." in rendered
        assert "\\u" not in rendered


def test_rendering_is_deterministic() -> None:
    documents = [document(full_article(), untitled_article()), document(source="b.txt")]
    assert render_markdown(documents, captions=True) == render_markdown(documents, captions=True)
    assert render_json(documents, explain=True) == render_json(documents, explain=True)
    assert render_jsonl(documents, explain=True) == render_jsonl(documents, explain=True)


def test_rendering_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "from cleaner.model import Article, Document\n"
        "from cleaner.render import render_json, render_markdown\n"
        "d = [Document('a.txt', [Article(title='T', byline='By Jane Doe', paragraphs=['One.', 'Two.'],"
        " captions=['C. (AP Photo/X)'])])]\n"
        "print(render_json(d, explain=True) + render_markdown(d, captions=True))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, encoding="utf-8",
            env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).resolve().parents[1],
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert next(iter(outputs)).startswith('{\n  "source": "a.txt"')
