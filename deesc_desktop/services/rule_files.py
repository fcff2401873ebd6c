"""Rule-pack files on disk: those shipped with the app and those an agency loads.

Core reads only their text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from deesc_desktop.core.rules import RulePack, RulePackError, parse_pack


def load_pack(
    path: Path | str,
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
) -> RulePack:
    """Read a rule-pack file (UTF-8 TOML); messages name the file by its file name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RulePackError([f"{path.name}: not UTF-8 text; save the file as UTF-8"]) from None
    except OSError as exc:
        raise RulePackError([f"{path.name}: cannot be read ({exc.strerror or exc})"]) from None
    return parse_pack(text, path.name, extra_topics=extra_topics)


def builtin_pack_paths(rules_dir: Path) -> dict[str, Path]:
    """The rule packs shipped in `rules_dir`, by jurisdiction code (the file stem, upper case)."""
    return {path.stem.upper(): path for path in sorted(Path(rules_dir).glob("*.toml"))}
