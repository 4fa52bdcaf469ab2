"""Hostile library files shared by the CLI and web tests: the YAML alias bomb and an over-size file."""

from __future__ import annotations

from commonground.core.sources import MAX_FILE_BYTES


def alias_bomb(levels: int = 8, width: int = 9) -> str:
    """`a1: &a1 [*a0, *a0, …]` nested `levels` deep: under a kilobyte, width**levels items expanded."""
    lines = ["id: bomb-code", "requirements: []", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def oversize() -> str:
    """A well-formed YAML file one line past the size limit."""
    line = "# " + "x" * 97 + "\n"
    return "id: big-code\nrequirements: []\n" + line * (MAX_FILE_BYTES // len(line) + 1)
