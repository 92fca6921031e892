"""Record streams: JSONL, WARC and WET, read one record at a time."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import main
from cleaner.records import RecordFields, is_stream, read_records
from test_html import PARAGRAPH

PAGE = "<html><body><article><h1>Bridge approved</h1>" + "".join(
    f"<p>{PARAGRAPH}This is paragraph {n} of the report.</p>" for n in range(6)
) + "</article></body></html>"
# Site learning in batch would take lines shared by every page of a site for
# boilerplate: the test pages of one site share none.
TEXT = "Bridge approved\n\n" + "\n\n".join(f"{PARAGRAPH}This is paragraph {n} of the report." for n in range(6))


def write_warc(path: Path, wet: bool = False) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(3):
            url = f"https://example.test/story{n}"
            text, page = TEXT.replace("report", f"report {n}"), PAGE.replace("report", f"report {n}")
            if wet:
                record = writer.create_warc_record(url, "conversion", payload=io.BytesIO(text.encode()),
                                                   warc_content_type="text/plain")
            else:
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode()), http_headers=http)
            writer.write_record(record)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.test/a.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG"), http_headers=image))


def test_stream_names() -> None:
    assert all(is_stream(n) for n in ("a.jsonl", "a.jsonl.gz", "a.warc", "a.warc.gz", "a.warc.wet.gz"))
    assert not any(is_stream(n) for n in ("a.txt", "a.html", "a.html.gz", "a.json"))


def test_jsonl_fields_and_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    lines = [json.dumps({"url": "u1", "html": PAGE, "id": 7}), "not json", json.dumps({"body": TEXT}),
             json.dumps({"link": "u2", "body": TEXT})]
    path.write_text("\n".join(lines) + "\n")
    records = list(read_records(str(path), RecordFields(text="body", url="link")))
    assert [(r.url, r.record_id, r.input_format, r.error is None) for r in records] == [
        (None, "7", "html", True), (None, "2", "text", False), (None, "3", "text", True), ("u2", "4", "text", True),
    ]


def test_warc_gives_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    records = list(read_records(str(path)))
    assert [r.url for r in records] == [f"https://example.test/story{n}" for n in range(3)]
    assert all(r.input_format == "html" and r.record_id and r.date for r in records)


def test_wet_gives_text_conversions(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    write_warc(path, wet=True)
    records = list(read_records(str(path)))
    assert len(records) == 3 and all(r.input_format == "text" and r.data.startswith(b"Bridge") for r in records)


def test_clean_writes_one_article_a_line_with_its_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    result = CliRunner().invoke(main, ["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["url"] for line in lines] == [f"https://example.test/story{n}" for n in range(3)]
    assert all(line["title"] == "Bridge approved" and len(line["paragraphs"]) == 6 for line in lines)


def test_broken_record_is_reported_and_the_stream_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text("{broken\n" + json.dumps({"url": "u", "text": TEXT}) + "\n")
    result = CliRunner().invoke(main, ["clean", str(path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert "error" in lines[0] and lines[1]["url"] == "u"


def test_batch_turns_a_stream_into_one_jsonl(tmp_path: Path) -> None:
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    write_warc(src / "crawl.warc.gz")
    write_warc(src / "crawl.warc.wet.gz", wet=True)
    result = CliRunner().invoke(main, ["batch", str(src), str(dest), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in dest.glob("*.jsonl")) == ["crawl.jsonl", "crawl.warc.jsonl"]
    assert len((dest / "crawl.jsonl").read_text().splitlines()) == 3


def test_field_names_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"link": "https://example.test/x", "content": PAGE}) + "\n")
    result = CliRunner().invoke(main, ["clean", str(path), "--fields", "html=content,url=link"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["url"] == "https://example.test/x"
    assert CliRunner().invoke(main, ["clean", str(path), "--fields", "page=content"]).exit_code == 2
