"""Stage 4: judge every block: how likely is it article text (0-1)?

A small logistic model over features of each line and of its neighbourhood:
length, sentence punctuation, function-word ratio, capitalisation, symbols,
paragraph margins, repetition, caption/date/byline hints, and where the line
sits relative to the page's mass of prose. A second model of the same kind then
reads the first one's scores in a window around each line, so a short
sub-heading inside a body is kept and a lone sentence in a footer is not.

The weights are trained by ``bench/train_model.py`` on the dev gold (by site,
cross-validated) and shipped as ``cleaner/data/line_model.json``.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

from .config import CleanerConfig
from .model import Block, BlockKind
from .text import WORD

# Features are computed on at most this many characters of a line: every feature
# is a ratio or a capped count, and a 50 MB line must not cost 50 MB of tokens.
FEATURE_SAMPLE_CHARS = 5000
# A line at least this long is "prose-sized" for the distance feature.
LONG_LINE_CHARS = 120
# Window half-widths (in blocks) for neighbourhood features.
NEAR_WINDOW = 3
WIDE_WINDOW = 8
# Cap for the "distance to the nearest long line" feature (blocks).
MAX_DISTANCE = 30
# Length bins (characters): nav items, headings, short sentences, paragraphs.
LENGTH_BINS = (20, 50, 100, 200, 400)

SENTENCE_END = re.compile(r"""[.!?…。！？][\"'”’»)\]]*$""")
SENTENCE_MARK = re.compile(r"[.!?;…。！？](?:\s|$)")
SEPARATORS = re.compile(r"[|•›»·«‹>/]|\s[-–—]\s")
BULLET_START = re.compile(r"^[\W_]")
URLISH = re.compile(r"https?://|www\.|\S@\S|@\w")
COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
DIGIT = re.compile(r"\d")
SYMBOL = re.compile(r"[^\w\s]")

# The most frequent function words of the languages most common on the web. A
# prose line is full of them in any of these languages; menus and names are not.
STOPWORDS = frozenset(
    # English
    "the of and to a in is that for it was on with as he she be by at are this have from or an "
    "but not they his her which you we were their been has had will would there who what when "
    "its our can all more also if about into than after over said one so up out them"
    # German, Dutch
    " der die das und ist nicht ein eine zu den mit sich des auf für von dem im auch es "
    "het een van en niet dat op te zijn voor met als ook maar"
    # French, Spanish, Portuguese, Italian
    " le la les et est une un du dans pour qui que pas sur au avec il elle ce sont "
    "el los las y es en por con para una del se lo como más pero su al "
    "o os e da do em um uma para com não por mais na no "
    "il di che è per con non una sono della nel anche gli alla"
    # Russian, Indonesian
    " и в не на что с по это как он она но из к о за от же то для "
    "yang dan di ini itu dengan untuk dari dalam tidak ke akan pada"
    .split()
)

OWN_FEATURES = (
    "log_chars", "log_words", "ends_sentence", "ends_colon", "sentence_marks", "commas",
    "stopwords", "titlecase", "uppercase", "digits", "symbols", "bullet_start", "separators",
    "blank_before", "blank_after", "log_copies", "is_repeat", "caption_hint", "date_hint",
    "byline_hint", "promo_hint", "urlish", "copyright", "position",
) + tuple(f"len_ge_{n}" for n in LENGTH_BINS)
CONTEXT_FEATURES = (
    "near_log_chars", "near_ends_sentence", "near_stopwords", "near_blank_before",
    "wide_log_chars", "wide_ends_sentence", "log_distance_long", "mass_before", "mass_after",
    "head_zone", "tail_zone",
)
FEATURE_NAMES = OWN_FEATURES + CONTEXT_FEATURES
STAGE2_FEATURES = ("logit", "near_mean", "wide_mean", "prev", "next", "near_max", "run_mass")


def score_blocks(blocks: list[Block], config: CleanerConfig) -> list[Block]:
    """Set content_score on every block."""
    if not blocks:
        return blocks
    model = _load_model(config.line_model)
    rows = line_features(blocks)
    first = [_predict(model["stage1"], row) for row in rows]
    second = stage2_features(blocks, first)
    for block, row in zip(blocks, second):
        block.content_score = _predict(model["stage2"], row)
    return blocks


def line_features(blocks: list[Block]) -> list[list[float]]:
    own = [_own_features(b, i / max(1, len(blocks) - 1)) for i, b in enumerate(blocks)]
    lengths = [len(b.text) for b in blocks]
    log_chars = [row[0] for row in own]
    ends = [row[2] for row in own]
    stops = [row[6] for row in own]
    blanks = [1.0 if b.blank_before else 0.0 for b in blocks]
    prose_mass = [float(n) if n >= LONG_LINE_CHARS else 0.0 for n in lengths]
    total_mass = sum(prose_mass) or 1.0
    before = _prefix_sums(prose_mass)
    distance = _distance_to_long(lengths)
    rows = []
    for i, row in enumerate(own):
        mass_before = before[i] / total_mass
        mass_after = (total_mass - before[i + 1]) / total_mass
        rows.append(
            row
            + [
                _window_mean(log_chars, i, NEAR_WINDOW),
                _window_mean(ends, i, NEAR_WINDOW),
                _window_mean(stops, i, NEAR_WINDOW),
                _window_mean(blanks, i, NEAR_WINDOW),
                _window_mean(log_chars, i, WIDE_WINDOW),
                _window_mean(ends, i, WIDE_WINDOW),
                math.log1p(min(distance[i], MAX_DISTANCE)),
                mass_before,
                mass_after,
                1.0 if mass_before < 0.02 else 0.0,
                1.0 if mass_after < 0.02 else 0.0,
            ]
        )
    return rows


def stage2_features(blocks: list[Block], first: list[float]) -> list[list[float]]:
    rows = []
    n = len(first)
    weighted = [p * min(len(b.text), 1000) for p, b in zip(first, blocks)]
    for i, p in enumerate(first):
        near = first[max(0, i - NEAR_WINDOW): i + NEAR_WINDOW + 1]
        wide = first[max(0, i - WIDE_WINDOW): i + WIDE_WINDOW + 1]
        mass = sum(weighted[max(0, i - WIDE_WINDOW): i + WIDE_WINDOW + 1])
        rows.append([
            _logit(p),
            sum(near) / len(near),
            sum(wide) / len(wide),
            first[i - 1] if i > 0 else 0.0,
            first[i + 1] if i + 1 < n else 0.0,
            max(q for j, q in enumerate(near) if j != min(i, NEAR_WINDOW)) if len(near) > 1 else 0.0,
            math.log1p(mass),
        ])
    return rows


def _own_features(block: Block, position: float) -> list[float]:
    text = block.text[:FEATURE_SAMPLE_CHARS]
    tokens = WORD.findall(text)
    n_words = max(1, len(tokens))
    n_chars = max(1, len(text))
    lowered = [t.lower() for t in tokens]
    titled = sum(1 for t in tokens if t[:1].isupper())
    upper = sum(1 for t in tokens if t.isupper() and len(t) > 1)
    full_length = len(block.text)
    return [
        math.log1p(full_length),
        math.log1p(len(tokens)),
        1.0 if SENTENCE_END.search(text) else 0.0,
        1.0 if text.endswith(":") else 0.0,
        min(1.0, len(SENTENCE_MARK.findall(text)) / n_words * 5),
        min(1.0, text.count(",") / n_words * 5),
        sum(1 for t in lowered if t in STOPWORDS) / n_words,
        titled / n_words,
        upper / n_words,
        len(DIGIT.findall(text)) / n_chars,
        len(SYMBOL.findall(text)) / n_chars,
        1.0 if BULLET_START.match(text) else 0.0,
        min(1.0, len(SEPARATORS.findall(text)) / 3),
        1.0 if block.blank_before else 0.0,
        1.0 if block.blank_after else 0.0,
        math.log(block.copies),
        1.0 if block.duplicate_of is not None else 0.0,
        1.0 if block.kind is BlockKind.CAPTION else 0.0,
        1.0 if block.kind is BlockKind.DATE else 0.0,
        1.0 if block.kind is BlockKind.BYLINE else 0.0,
        1.0 if block.kind is BlockKind.PROMO else 0.0,
        1.0 if URLISH.search(text) else 0.0,
        1.0 if COPYRIGHT.search(text) else 0.0,
        position,
    ] + [1.0 if full_length >= n else 0.0 for n in LENGTH_BINS]


def _prefix_sums(values: list[float]) -> list[float]:
    sums = [0.0]
    for v in values:
        sums.append(sums[-1] + v)
    return sums


def _window_mean(values: list[float], i: int, half: int) -> float:
    window = values[max(0, i - half): i + half + 1]
    return sum(window) / len(window)


def _distance_to_long(lengths: list[int]) -> list[int]:
    n = len(lengths)
    distance = [MAX_DISTANCE] * n
    last = -MAX_DISTANCE - 1
    for i in range(n):
        if lengths[i] >= LONG_LINE_CHARS:
            last = i
        distance[i] = min(distance[i], i - last)
    last = n + MAX_DISTANCE + 1
    for i in range(n - 1, -1, -1):
        if lengths[i] >= LONG_LINE_CHARS:
            last = i
        distance[i] = min(distance[i], last - i)
    return distance


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _predict(weights: dict[str, list[float]], row: list[float]) -> float:
    z = weights["intercept"][0]
    for x, mean, scale, coef in zip(row, weights["mean"], weights["scale"], weights["coef"]):
        z += coef * (x - mean) / scale
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=8)
def _load_model(path: str | None) -> dict[str, dict[str, list[float]]]:
    if path is None:
        raw = resources.files("cleaner").joinpath("data/line_model.json").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
    model: dict[str, dict[str, list[float]]] = json.loads(raw)
    return model
