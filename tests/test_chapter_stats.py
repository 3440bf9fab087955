"""Every chapter stays a textbook chapter: ≤ 500 lines, and ≤ 8 % of its prose quoting the source articles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_chapter_is_within_its_length_and_quotation_limits():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "chapter_stats.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_measure_counts_a_misconception_callout_as_quoted():
    sys.path.insert(0, str(ROOT / "tools"))
    from chapter_stats import prose_lines

    text = ("# %% [markdown]\n# A plain line.\n# ```{admonition} Common misconception\n# :class: warning\n"
            "# 「引文」 a quote\n# ```\n# Another plain line.\n")
    assert [quoted for _, quoted in prose_lines(text)] == [False, True, True, True, True, False]
