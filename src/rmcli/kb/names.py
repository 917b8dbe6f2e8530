"""Names for shell completion: therapy ids and one-word aliases, fast and never validating."""

from __future__ import annotations

from pathlib import Path

from rmcli.kb.cache import cached_only
from rmcli.kb.files import therapy_files
from rmcli.kb.limits import MAX_FILE_BYTES
from rmcli.kb.read import Refused, parse_toml, read_bytes


def completion_names(root: Path, folder: Path | None) -> list[str]:
    """Therapy ids and one-word aliases for shell completion, without validating anything.

    From the cache when it is warm; otherwise each therapy file's `id` and `aliases` are read
    with a plain TOML parse. Files that do not parse are skipped: completion never fails.
    """
    kb = cached_only(root, folder)
    if kb is not None:
        entries = [(t.id, t.aliases) for t in kb.therapies]
    else:
        entries = []
        for file in therapy_files(root):
            try:
                data = parse_toml(read_bytes(file, MAX_FILE_BYTES)[0])
            except Refused:
                continue
            aliases = data.get("aliases")
            aliases = (
                [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
            )
            entries.append((str(data.get("id", file.name.removesuffix(".toml"))), aliases))
    names = [name for therapy_id, aliases in entries for name in (therapy_id, *aliases)]
    return list(dict.fromkeys(n for n in names if n and not any(c.isspace() for c in n)))
