"""Pure view models: what each command shows and in what order, decided once, no Rich.

Data flows one way: load -> decide -> view -> format. A view holds display-ready text (cited,
labelled, cleaned of control characters) and, where JSON needs it, the record it was made
from. Formats (rmcli.formats) turn a view into output; they never decide content.
"""

from __future__ import annotations

import enum


class ViewKind(enum.StrEnum):
    """Every kind of view; the format registry is keyed by these."""

    listing = "listing"
    monograph = "monograph"
    comparison = "comparison"
    matrix = "matrix"
    forest = "forest"
    assessment = "assessment"
    diff = "diff"
    references = "references"
