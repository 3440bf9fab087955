"""Claims a chapter makes about behaviour, checked where they are made.

Every statement the course makes about what a run does is executed. A chapter states it once, in plain words
with the measured numbers, and the reader sees one line::

    claim(acc < 0.12, f"the 20-layer sigmoid net stays at chance: {acc:.1%} validation accuracy")
    ✓ the 20-layer sigmoid net stays at chance: 10.3 % validation accuracy

If the claim is false the cell fails loudly (``ClaimFailed``), so a chapter that stops telling the truth stops
building.
"""

from __future__ import annotations

__all__ = ["ClaimFailed", "claim"]


class ClaimFailed(AssertionError):
    """A chapter's claim about behaviour did not hold for this run."""


def claim(holds: object, statement: str) -> None:
    """Print ``✓ statement`` when ``holds`` is true; raise :class:`ClaimFailed` naming the statement otherwise.

    ``holds`` is anything with a truth value (a bool, a numpy bool, a one-element tensor); ``statement`` says in
    plain words what was measured, with the numbers the run printed.
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError("claim(holds, statement): statement must be a non-empty string saying what is claimed")
    if not bool(holds):
        raise ClaimFailed(f"✗ claim does not hold: {statement}")
    print(f"✓ {statement}")
