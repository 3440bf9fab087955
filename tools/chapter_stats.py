"""Per chapter: lines of ``.py`` and the share of prose that quotes the source documents.

    .venv/bin/python tools/chapter_stats.py          # prints the table; exit 1 if a chapter is over a limit

A chapter teaches first: the source articles' misconceptions appear once each, as short "Common misconception"
callouts, and the full record lives in 6.2 (``06_faq/02_claims_checked``), which is exempt from the share limit.
A prose line counts as *quoting the documents* when it quotes them in Chinese (「…」), or sits inside a
"Common misconception" callout or a "The documents say" block.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500
MAX_QUOTED_SHARE = 0.08
EXEMPT_FROM_SHARE = {"06_faq/02_claims_checked", "06_faq/01_faq", "04_code/01_documents_code_repaired"}
CALLOUT_START = re.compile(r"```\{admonition\}\s*Common misconception|The documents say", re.IGNORECASE)


def prose_lines(text: str) -> list[tuple[str, bool]]:
    """(line, quotes the documents?) for every non-empty line of every markdown cell."""
    out: list[tuple[str, bool]] = []
    in_markdown = False
    callout = None  # "fence": inside a ```{admonition} Common misconception; "quote": inside a "> The documents say"
    for raw in text.splitlines():
        if raw.startswith("# %%"):
            in_markdown, callout = "[markdown]" in raw, None
            continue
        if not in_markdown:
            continue
        line = raw[2:] if raw.startswith("# ") else raw.lstrip("#")
        if not line.strip():
            continue
        if callout == "quote" and not line.lstrip().startswith(">"):
            callout = None
        if callout is None and CALLOUT_START.search(line):
            callout = "quote" if line.lstrip().startswith(">") else "fence"
        out.append((line, callout is not None or "\u300c" in line))
        if callout == "fence" and line.strip() == "```":
            callout = None
    return out


def stats(path: Path) -> tuple[int, int, float]:
    text = path.read_text(encoding="utf-8")
    prose = prose_lines(text)
    quoted = sum(q for _, q in prose)
    return len(text.splitlines()), len(prose), (quoted / len(prose) if prose else 0.0)


def main() -> int:
    bad = []
    print(f"{'chapter':52} {'lines':>6} {'prose':>6} {'quoted':>7}")
    for path in sorted((ROOT / "chapters").glob("*/*.py")):
        key = path.relative_to(ROOT / "chapters").with_suffix("").as_posix()
        lines, prose, share = stats(path)
        flags = []
        if lines > MAX_LINES:
            flags.append(f"over {MAX_LINES} lines")
        if share > MAX_QUOTED_SHARE and key not in EXEMPT_FROM_SHARE:
            flags.append(f"quotes over {MAX_QUOTED_SHARE:.0%}")
        print(f"{key:52} {lines:6d} {prose:6d} {share:7.1%}  {'; '.join(flags)}")
        if flags:
            bad.append(key)
    if bad:
        print(f"\n{len(bad)} chapter(s) over a limit: {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
