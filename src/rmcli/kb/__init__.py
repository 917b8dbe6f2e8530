"""The knowledge base: model, loading, validation and name lookup. Pure Python, no UI imports.

The names below are imported lazily (PEP 562), so that `import rmcli.kb.cache` does not pay
for name lookup or validation code that a command may never use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rmcli.kb.lookup import NameIndex, UnknownTherapy, name_index, normalize
    from rmcli.kb.model import KnowledgeBase, Therapy
    from rmcli.kb.problems import InvalidKnowledgeBase, Problem

_HOMES = {
    "KnowledgeBase": "rmcli.kb.model",
    "Therapy": "rmcli.kb.model",
    "NameIndex": "rmcli.kb.lookup",
    "UnknownTherapy": "rmcli.kb.lookup",
    "name_index": "rmcli.kb.lookup",
    "normalize": "rmcli.kb.lookup",
    "InvalidKnowledgeBase": "rmcli.kb.problems",
    "Problem": "rmcli.kb.problems",
}
__all__ = [
    "InvalidKnowledgeBase",
    "KnowledgeBase",
    "NameIndex",
    "Problem",
    "Therapy",
    "UnknownTherapy",
    "name_index",
    "normalize",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'rmcli.kb' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
