"""Execute every notebook (chapters and exercise solutions) and record its wall-clock time.

    .venv/bin/python benchmarks/notebook_times.py [--jobs 1] [--only chapters/03_algorithms]

Writes ``benchmarks/results/notebook_times.md`` (a Markdown table) and prints it. Run with ``--jobs 1`` (the
default) for times a reader will see on their own machine; the README quotes this table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from notebook_pairs import notebooks  # noqa: E402

BUDGET_SECONDS = 30.0
OUT = ROOT / "benchmarks" / "results" / "notebook_times.md"


def run_one(path: Path) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="run only notebooks whose path starts with this")
    args = parser.parse_args(argv)

    selected = [
        p  # student notebooks stop at their first stub on purpose: they are not timed
        for p in notebooks()
        if "student" not in p.parts and p.relative_to(ROOT).as_posix().startswith(args.only)
    ]
    rows, total = [], 0.0
    for path in selected:
        seconds = run_one(path)
        total += seconds
        rel = path.relative_to(ROOT).as_posix()
        flag = "" if seconds <= BUDGET_SECONDS else " (over budget)"
        rows.append(f"| `{rel}` | {seconds:.1f}{flag} |")
        print(f"{seconds:6.1f} s  {rel}", flush=True)
    table = "\n".join(
        [
            f"Notebook run times (one at a time, fresh kernel each; {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}). Budget per notebook: {BUDGET_SECONDS:.0f} s.",
            "",
            "| notebook | seconds |",
            "|---|---:|",
            *rows,
            f"| **total** | **{total:.1f}** |",
            "",
        ]
    )
    if not args.only:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(table, encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
