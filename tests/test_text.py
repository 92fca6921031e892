"""text.py: dates, datelines, caption credits and match keys, one line in, one answer out."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.text import MAX_KEY_CHARS, NOT_WORD, dateline_of, find_dates, has_caption_credit, match_key, match_keys

# --- find_dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("2024-12-03T22:15:00", "2024-12-03T22:15"),
        ("17 February 2013", "2013-02-17"),
        ("Nov 18, 2019 at 9:24 pm ET", "2019-11-18T21:24"),
        ("Dec. 3, 2024", "2024-12-03"),
    ],
    ids=["iso-with-time", "day-month-year", "month-day-year-at-time", "abbreviated-month-with-dot"],
)
def test_find_dates_published(line: str, published: str) -> None:
    assert find_dates(line) == (published, None)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Von Moritz Bachmann publiziert am 30. Juli 2018", "2018-07-30"),
        ("Publié le 1er décembre 2024 à 14:30", "2024-12-01T14:30"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "2010-10-22T20:13"),
        ("Pubblicato il 5 maggio 2019 alle 10:15", "2019-05-05T10:15"),
        ("3 de marzo de 2021", "2021-03-03"),
        ("12 maart 2015", "2015-03-12"),
        ("25. September 2018", "2018-09-25"),
    ],
    ids=["german-day-dot", "french-1er-with-time", "portuguese-de-with-time", "italian-alle", "spanish", "dutch",
         "english-month-after-day-dot"],
)
def test_find_dates_day_first_in_other_languages(line: str, published: str) -> None:
    assert find_dates(line) == (published, None)


def test_bare_updated_time_in_another_language_takes_the_published_day() -> None:
    assert find_dates("30. Juli 2018 10:05 Aktualisiert 12:30") == ("2018-07-30T10:05", "2018-07-30T12:30")


@pytest.mark.parametrize("line", ["NASA Mars 2020 rover", "Mai 2019", "maart 2015 en later", "Juli 30, 2018"])
def test_other_languages_month_needs_a_day_before_it(line: str) -> None:
    assert find_dates(line) == (None, None)


def test_numeric_date_is_read_month_first() -> None:
    assert find_dates("12/07/2012") == ("2012-12-07", None)


def test_numeric_date_is_read_day_first_when_first_number_exceeds_12() -> None:
    assert find_dates("23/08/2018") == ("2018-08-23", None)


def test_time_before_date_is_the_published_time() -> None:
    assert find_dates("4:42 PM on 12/07/2012") == ("2012-12-07T16:42", None)


def test_bare_updated_time_takes_the_published_day() -> None:
    assert find_dates("2024-12-03 22:15 Last Updated At:22:20") == ("2024-12-03T22:15", "2024-12-03T22:20")


def test_second_full_date_is_the_updated_one() -> None:
    assert find_dates("Published 17 February 2013 Updated 18 February 2013") == ("2013-02-17", "2013-02-18")


@pytest.mark.parametrize("line", ["2012-13-05", "13/13/2012", "32 March 2013"])
def test_impossible_date_is_none(line: str) -> None:
    assert find_dates(line) == (None, None)


def test_day_past_the_end_of_the_month_is_none() -> None:
    assert find_dates("31 February 2013") == (None, None)


def test_line_without_date() -> None:
    assert find_dates("Share this article") == (None, None)


# --- dateline_of --------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "dateline"),
    [
        ("BRUSSELS (AP) — NATO Secretary-General Mark Rutte on Tuesday sidestepped questions.", "BRUSSELS (AP)"),
        ("LONDON, June 3 (Reuters) - Britain's economy grew faster than expected.", "LONDON, June 3 (Reuters)"),
        ("WASHINGTON — The Senate voted on Thursday to extend the program.", "WASHINGTON"),
        ("DeKalb, Ill. — A man was charged on Friday after a crash.", "DeKalb, Ill."),
    ],
    ids=["agency", "agency-with-date", "capitals-only", "mixed-case-place"],
)
def test_dateline_found(paragraph: str, dateline: str) -> None:
    assert dateline_of(paragraph) == dateline


@pytest.mark.parametrize(
    "paragraph",
    [
        "The US — and its allies in Europe — have yet to agree on the terms.",
        "The president said on Tuesday that he would travel to Brussels next week.",
        "Rutte said: “We have to make sure that Ukraine gets into a position of strength.”",
    ],
    ids=["short-capitals-before-dash", "ordinary-sentence", "quote"],
)
def test_no_dateline(paragraph: str) -> None:
    assert dateline_of(paragraph) is None


# --- has_caption_credit -------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "NATO Secretary General Mark Rutte speaks in Brussels, Tuesday, Dec. 3, 2024. (AP Photo/Virginia Mayo)",
        "Firefighters work at the scene of the blaze on Sunday. (Reuters)",
        "Protesters gather outside parliament on Monday. (Photo by John Roe via AP)",
        "Photo: Jane Doe",
        "A protester holds a sign in Kyiv on Saturday. REUTERS/Gleb Garanich",
        "Sunlight reaches the valley floor early.Kathrin Ziegler/Getty",
        "Crowds fill the square before the concert. Getty Images",
    ],
    ids=["ap-photo", "agency-in-brackets", "via-ap", "photo-colon", "reuters-slash", "glued-getty", "getty-images"],
)
def test_caption_credit_found(line: str) -> None:
    assert has_caption_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "He said he took a photo of the crowd before the police arrived.",
        "The photo shows a man walking his dog in the park.",
        "The city council voted on Monday to rebuild the old harbour bridge.",
    ],
    ids=["took-a-photo", "the-photo-shows", "ordinary-sentence"],
)
def test_no_caption_credit(line: str) -> None:
    assert not has_caption_credit(line)


# --- match_key ----------------------------------------------------------------


def test_match_key_folds_case_and_punctuation() -> None:
    assert match_key("Hello, World!") == match_key("HELLO -- world") == "hello world"


def test_match_key_keeps_words_apart() -> None:
    assert match_key("News") != match_key("Newsletter")


def test_match_key_of_a_very_long_line_is_bounded() -> None:
    line = "word " * 200_000
    key = match_key(line)
    assert len(key) <= MAX_KEY_CHARS + 20
    assert key.endswith(str(len(line)))  # the length tells long lines with one opening apart


KEY_CASES = (
    "Hello, World!", "", "  --  ", "snake_case_name", "Straße — “Grüße” … ΟΔΟΣ.Α", "İstanbul’s ﬁne café", "a\nb\n\nc",
    "tab\tand\u00a0space", "Ｆｕｌｌｗｉｄｔｈ　ｗｏｒｄｓ", "12:30 · 4,5 % »more«", "x" * (MAX_KEY_CHARS + 5),
)


def test_match_keys_of_many_texts_are_each_texts_key() -> None:
    # each text alone, as NOT_WORD's runs replaced by one space say, casefolded
    expected = [NOT_WORD.sub(" ", text[:MAX_KEY_CHARS].casefold()).strip() for text in KEY_CASES]
    expected[-1] += f" {MAX_KEY_CHARS + 5}"
    assert [match_key(text) for text in KEY_CASES] == expected
    assert match_keys(list(KEY_CASES)) == expected
    assert match_keys([text for text in KEY_CASES if "\n" not in text]) == [
        key for text, key in zip(KEY_CASES, expected) if "\n" not in text
    ]
    assert match_keys([]) == []


def test_agency_caption_openings_and_bracketed_credits_are_captions() -> None:
    from cleaner.text import has_caption_credit

    assert has_caption_credit("In this Dec. 12, 2006, file photo, made available by NASA, two astronauts work.")
    assert has_caption_credit("In this image released by the army, soldiers cross a bridge.")
    assert has_caption_credit("Protesters have worn masks to protect their identities (Image: GETTY )")
    assert has_caption_credit("(Image credit: NASA/JPL)")
    assert not has_caption_credit("In this article we discuss the picture of health in the region.")
    assert not has_caption_credit("In this town, people vote early.")


def test_related_link_labels_are_calls_to_action_and_by_alone_is_a_byline() -> None:
    from cleaner.text import BYLINE, CALL_TO_ACTION

    assert CALL_TO_ACTION.match("Related: SpaceX's Starship in pictures")
    assert CALL_TO_ACTION.match("Related news")
    assert not CALL_TO_ACTION.match("Related research shows the same effect in mice.")
    assert BYLINE.match("By") and not BYLINE.match("Byron")


@pytest.mark.parametrize("line", ["Lesen Sie auch: Die Bahn streikt", "Lire aussi", "Leia também", "Leggi anche",
                                  "Lees ook: De trein staakt", "Compartir en Facebook"])
def test_read_also_and_share_in_other_languages_are_calls_to_action(line: str) -> None:
    from cleaner.text import CALL_TO_ACTION

    assert CALL_TO_ACTION.match(line)


def test_a_sentence_opening_with_a_verb_of_those_languages_is_none() -> None:
    from cleaner.text import CALL_TO_ACTION

    assert not CALL_TO_ACTION.match("Lire le livre de sa mère a changé sa vie, dit-elle.")
    assert not CALL_TO_ACTION.match("Leer es un placer.")


def test_words_of_many_texts_are_each_texts_words() -> None:
    from cleaner.text import WORD, words_of

    texts = ["snake_case and CamelCase!", "", "a\nb", "İstanbul’s café, 12:30", "tab\there", *KEY_CASES]
    assert list(words_of(texts)) == [WORD.findall(text) for text in texts]


DEV_TEXT = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev" / "text"
CREDIT_CASES = (
    "A man waits. (AP Photo/Jane Doe)", "Crowds gather (Getty Images) ", "Flames rise. Photo: John Smith",
    "Flames rise (Image credit: NASA)", "A view of the city Getty Images", "Kathrin Ziegler/Getty",
    "A boat [File: Reuters]", "Police at the scene.REUTERS/Jane Doe", "A caption without a credit.", "By Jane Doe",
    "by", "Von Hans Meier", "Zachary Roth, @zackroth", "Di Mario Rossi", "Posted by Ann", "", "Par :",
)


@pytest.mark.skipif(not DEV_TEXT.exists(), reason="needs ../shared/eval/dev")
def test_credit_and_byline_prefilters_let_every_match_through() -> None:
    # has_caption_credit and is_byline ask their regexes only of lines that may match
    from cleaner.text import BYLINE, CAPTION_CREDIT_END, CAPTION_TAIL_CHARS, _may_end_in_credit, is_byline

    lines = [line.strip() for path in sorted(DEV_TEXT.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    for line in [*CREDIT_CASES, *lines]:
        tail = line[-CAPTION_TAIL_CHARS:]
        assert not CAPTION_CREDIT_END.search(tail) or _may_end_in_credit(tail), line
        assert is_byline(line) is (BYLINE.match(line) is not None), line
