"""The model's dataclasses write their own __init__, repr and == (model._dataclass_methods):
they must behave as the ones dataclass would make from the same fields."""

from __future__ import annotations

import inspect
from dataclasses import MISSING, Field, field, fields, make_dataclass, replace
from typing import Any

import pytest

from cleaner.model import Article, Block, BlockKind, Document, Dropped, Role


def twin(cls: type) -> type:
    """A dataclass with cls's fields and the methods dataclass makes."""
    def copied(f: Field[Any]) -> Any:
        default = {"default": f.default} if f.default is not MISSING else {"default_factory": f.default_factory}
        return field(**default, init=f.init, repr=f.repr, compare=f.compare)  # type: ignore[call-overload]

    return make_dataclass(cls.__name__, [(f.name, f.type, copied(f)) for f in fields(cls)])  # type: ignore[arg-type]


# each class with the arguments of a few instances (the required ones first)
CASES: dict[type, list[dict[str, Any]]] = {
    Block: [{"index": 0, "text": "A line.", "line": 1},
            {"index": 3, "text": "Photo: AP", "line": 7, "kind": BlockKind.CAPTION, "duplicate_of": 1, "copies": 2},
            {"index": 3, "text": "Photo: AP", "line": 7, "role": Role.CAPTION, "parents": (4, 2), "tag": "p"}],
    Article: [{}, {"title": "Storm", "paragraphs": ["One.", "Two."], "captions": ["A photo."]},
              {"title": "Storm", "paragraphs": ["One.", "Two."], "formatted": ["*One.*"], "byline": "By Ann"}],
    Dropped: [{"line": 1, "text": "Home", "reason": "boilerplate"},
              {"line": 9, "text": "Home", "reason": "duplicate", "duplicate_of": 1, "score": 100.0}],
    Document: [{"source": None, "articles": []}, {"source": "a.txt", "articles": [Article(title="T")],
                                                  "warnings": ("cut",)}],
}


@pytest.mark.parametrize("cls", CASES, ids=lambda cls: cls.__name__)
def test_init_repr_and_eq_are_dataclass_ones(cls: type) -> None:
    made = twin(cls)
    ours, theirs = inspect.signature(cls), inspect.signature(made)
    assert list(ours.parameters) == list(theirs.parameters)
    factories = {f.name for f in fields(cls) if f.default_factory is not MISSING}  # ours: None, then a new list
    for name, parameter in theirs.parameters.items():
        if name not in factories:
            assert ours.parameters[name].default == parameter.default, name
    for changes in CASES[cls]:
        mine, its = cls(**changes), made(**changes)
        assert repr(mine) == repr(its)
        assert [getattr(mine, f.name) for f in fields(cls)] == [getattr(its, f.name) for f in fields(made)]
        for other in CASES[cls]:
            assert (mine == cls(**other)) == (its == made(**other))
            assert (mine != cls(**other)) == (its != made(**other))
        assert mine.__eq__(its) is NotImplemented
        assert replace(mine) == mine
    assert cls.__hash__ is None  # unhashable, as a dataclass with == and not frozen


def test_block_keeps_its_slots_and_markup_out_of_eq() -> None:
    block = Block(0, "A line.", 1)
    assert not hasattr(block, "__dict__")
    with pytest.raises(AttributeError):
        block.colour = "red"  # type: ignore[attr-defined]
    other = Block(0, "A line.", 1)
    other.markup = object()  # type: ignore[assignment]
    assert block == other
    other.markdown = "*A line.*"
    assert block != other  # its Markdown is compared, as dataclass's == does
