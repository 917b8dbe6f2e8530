"""The knowledge base: model, loading, validation and name lookup. Pure Python, no UI imports."""

from rmcli.kb.lookup import NameIndex, UnknownTherapy, normalize
from rmcli.kb.model import KnowledgeBase, Therapy
from rmcli.kb.problems import InvalidKnowledgeBase, Problem

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


def name_index(kb: KnowledgeBase) -> NameIndex:
    return NameIndex((t.id, t.name, t.aliases) for t in kb.therapies)
