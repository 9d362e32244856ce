"""Helpers over query trees shared by the query tests."""

from __future__ import annotations

import dataclasses

from lyssna.query.ast import And, Not, Or


def positive(node) -> bool:
    """Whether a tree looks for something (the parser refuses one that only excludes)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(positive(kid) for kid in node.children)
    if isinstance(node, Or):
        return all(positive(kid) for kid in node.children)
    return True


def nopos(node):
    """The tree with every ``pos`` set to 0 (for comparing shapes)."""
    if isinstance(node, tuple):
        return tuple(nopos(n) for n in node)
    if not dataclasses.is_dataclass(node):
        return node
    changes = {f.name: nopos(getattr(node, f.name)) for f in dataclasses.fields(node)}
    changes["pos"] = 0
    return type(node)(**changes)
