"""CleanerConfig's own repr, == and hash give what dataclass would make."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, make_dataclass, replace

import pytest

from cleaner import CleanerConfig

# The same fields and defaults, with the methods dataclass makes.
TWIN = make_dataclass(
    "CleanerConfig", [(field.name, field.type, field.default) for field in fields(CleanerConfig)], frozen=True
)
CHANGES = [{}, {"max_gap_blocks": 3}, {"keep_comments": True, "line_model": "model's.json"}, {"site_min_share": 0.25}]


@pytest.mark.parametrize("changes", CHANGES)
def test_repr_eq_and_hash_are_dataclass_ones(changes: dict[str, object]) -> None:
    config, twin = CleanerConfig(**changes), TWIN(**changes)  # type: ignore[arg-type]
    assert repr(config) == repr(twin)
    assert hash(config) == hash(twin)
    for other in CHANGES:
        assert (config == CleanerConfig(**other)) == (twin == TWIN(**other))  # type: ignore[arg-type]
        assert (config != CleanerConfig(**other)) == (twin != TWIN(**other))  # type: ignore[arg-type]
    assert config.__eq__(twin) is NotImplemented


def test_frozen_and_replace() -> None:
    config = replace(CleanerConfig(), max_gap_blocks=3)
    assert config.max_gap_blocks == 3 and config == CleanerConfig(max_gap_blocks=3)
    with pytest.raises(FrozenInstanceError):
        config.max_gap_blocks = 4  # type: ignore[misc]
