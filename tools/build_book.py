"""Build the course as a static HTML book: execute every chapter, convert it to HTML, add navigation.

    python tools/build_book.py --out build/book --jobs 2

What it does, in order:
1. finds every chapter notebook (``chapters/<part>/<section>.ipynb``, in name order);
2. executes each one in its own folder with a fresh kernel (nbclient), ``--jobs`` at a time; an executed copy is
   cached under ``build/cache`` keyed by a hash of the notebook and of the ``gradcourse`` sources, so a second
   build after editing one chapter re-runs only that chapter;
3. converts each executed notebook with ``tools/book_template/gradcourse`` (nbconvert's ``lab`` look without its
   CDN scripts), with MathJax served from the book itself (copied from the ``jupyter-server-mathjax`` package:
   no network is needed to typeset the math);
4. rewrites links between chapters (``x.ipynb`` -> ``x.html``), adds a header and footer with the table of
   contents and previous/next links, and writes ``index.html``.

A chapter that fails to execute stops the build with the notebook, the cell and the error.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
TEMPLATES = ROOT / "tools" / "book_template"  # gradcourse/index.html.j2: the lab look, with no CDN
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
CELL_TIMEOUT = 300

PART_TITLES = {
    "00_preface": "Preface",
    "01_background": "Part 1 · Background",
    "02_concepts": "Part 2 · Concepts",
    "03_algorithms": "Part 3 · Algorithms and their mathematics",
    "04_code": "Part 4 · Code",
    "05_trends": "Part 5 · Trends",
    "06_faq": "Part 6 · FAQ, claims checked, references",
}


@dataclass(frozen=True)
class Page:
    source: Path  # the .ipynb in chapters/
    rel_html: str  # e.g. "01_background/02_first_experiment.html"
    part: str
    title: str


def discover(chapters: Path = CHAPTERS) -> list[Page]:
    pages = []
    for nb_path in sorted(chapters.glob("*/*.ipynb")):
        if ".ipynb_checkpoints" in nb_path.parts:
            continue
        part = nb_path.parent.name
        rel = f"{part}/{nb_path.stem}.html"
        pages.append(Page(nb_path, rel, part, _title_of(nb_path)))
    return pages


def _title_of(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = "".join(cell.get("source", []))
            match = re.search(r"^#\s+(.+)$", text, flags=re.M)
            if match:
                return match.group(1).strip()
    return nb_path.stem.replace("_", " ")


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "gradcourse").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _execute(nb_path: str, cache_path: str) -> tuple[str, float]:
    """Execute one notebook (in a worker process) and write the executed copy to ``cache_path``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no "running over TCP" warning per kernel
        resources={"metadata": {"path": str(Path(nb_path).parent)}},
        allow_errors=False,
    )
    # nbclient lets a cell tagged `raises-exception` fail (it shows a source document's bug live); any other
    # error stops the build.
    try:
        client.execute()
    except CellExecutionError as err:
        raise RuntimeError(f"{nb_path}: a cell failed while building the book:\n{err}") from None
    nbformat.write(nb, cache_path)
    return nb_path, time.perf_counter() - start


def execute_all(pages: list[Page], cache_dir: Path, jobs: int, quiet: bool) -> dict[Path, Path]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    lib = _sources_digest()
    executed: dict[Path, Path] = {}
    todo: list[tuple[Page, Path]] = []
    for page in pages:
        key = hashlib.sha256(lib.encode() + page.source.read_bytes()).hexdigest()[:16]
        cached = cache_dir / f"{page.part}__{page.source.stem}__{key}.ipynb"
        executed[page.source] = cached
        if not cached.exists():
            todo.append((page, cached))
    if not quiet:
        print(f"book: {len(pages)} chapters, {len(pages) - len(todo)} cached, executing {len(todo)} ({jobs} at a time)")
    if todo:
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_execute, str(p.source), str(c) + ".tmp") for p, c in todo]
            for fut in as_completed(futures):
                nb_path, seconds = fut.result()
                if not quiet:
                    print(f"  executed {Path(nb_path).relative_to(ROOT)} in {seconds:.1f} s")
        for _, cached in todo:
            os.replace(str(cached) + ".tmp", cached)
    return executed


_NAV_CSS = """
.gc-nav { font-family: system-ui, sans-serif; display: flex; justify-content: space-between; gap: 1em;
  padding: 0.6em 1.2em; background: #f4f6f8; border-bottom: 1px solid #d0d7de; font-size: 0.95em; }
.gc-nav.gc-bottom { border-top: 1px solid #d0d7de; border-bottom: none; margin-top: 2em; }
.gc-nav a { color: #0b5cad; text-decoration: none; } .gc-nav a:hover { text-decoration: underline; }
.gc-nav .gc-part { color: #57606a; }
"""


def _nav(pages: list[Page], i: int, prefix: str, bottom: bool = False) -> str:
    prev_link = (
        f'<a rel="prev" href="{prefix}{pages[i - 1].rel_html}">← {html.escape(pages[i - 1].title)}</a>'
        if i > 0
        else "<span></span>"
    )
    next_link = (
        f'<a rel="next" href="{prefix}{pages[i + 1].rel_html}">{html.escape(pages[i + 1].title)} →</a>'
        if i + 1 < len(pages)
        else "<span></span>"
    )
    middle = (
        f'<span><a href="{prefix}index.html">Contents</a> · '
        f'<span class="gc-part">{html.escape(PART_TITLES.get(pages[i].part, pages[i].part))}</span></span>'
    )
    cls = "gc-nav gc-bottom" if bottom else "gc-nav"
    return f'<nav class="{cls}">{prev_link}{middle}{next_link}</nav>'


_LINK = re.compile(r'href="([^"#:]+)\.ipynb(#[^"]*)?"')


def convert_all(pages: list[Page], executed: dict[Path, Path], out: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    for i, page in enumerate(pages):
        depth = page.rel_html.count("/")
        prefix = "../" * depth
        exporter = HTMLExporter(template_name="gradcourse", extra_template_basedirs=[str(TEMPLATES)])
        exporter.mathjax_url = f"{prefix}_static/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
        nb = nbformat.read(executed[page.source], as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page.title}})
        body = _LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
        body = body.replace("</head>", f"<style>{_NAV_CSS}</style>\n</head>", 1)
        top, bottom = _nav(pages, i, prefix), _nav(pages, i, prefix, bottom=True)
        body = re.sub(r"(<body[^>]*>)", lambda m, top=top: m.group(1) + top, body, count=1)
        body = body.replace("</body>", bottom + "\n</body>", 1)
        target = out / page.rel_html
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")


def write_index(pages: list[Page], out: Path) -> None:
    parts: dict[str, list[Page]] = {}
    for page in pages:
        parts.setdefault(page.part, []).append(page)
    items = []
    for part, members in parts.items():
        links = "\n".join(f'    <li><a href="{p.rel_html}">{html.escape(p.title)}</a></li>' for p in members)
        items.append(f"  <h2>{html.escape(PART_TITLES.get(part, part))}</h2>\n  <ol>\n{links}\n  </ol>")
    first = f'<p><a rel="next" href="{pages[0].rel_html}">Start reading →</a></p>' if pages else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>gradcourse — vanishing and exploding gradients, and what fixes them</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5;
  color: #1f2328; }}
h1 {{ margin-bottom: 0.2em; }} h2 {{ margin-top: 1.4em; border-bottom: 1px solid #d0d7de; }}
a {{ color: #0b5cad; }} .sub {{ color: #57606a; margin-top: 0; }}
</style></head>
<body>
<h1>gradcourse</h1>
<p class="sub">An executable textbook on why deep networks are hard to train — vanishing and exploding
gradients — and on what fixes it. Every page was executed to build this book; every claim about behaviour
ends in an <code>assert</code>.</p>
{first}
{chr(10).join(items)}
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def copy_mathjax(out: Path) -> None:
    import jupyter_server_mathjax

    src = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (src / "MathJax.js").exists():
        sys.exit(f"book: MathJax is missing from {src}; reinstall the dev extras (`make setup`).")
    dst = out / "_static" / "mathjax"
    if not (dst / "MathJax.js").exists():
        shutil.copytree(src, dst, dirs_exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "cache")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    pages = discover()
    if not pages:
        sys.exit("book: no chapter notebooks found under chapters/*/ (run `make sync` to create them)")
    executed = execute_all(pages, args.cache, args.jobs, args.quiet)
    args.out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(args.out)
    convert_all(pages, executed, args.out)
    write_index(pages, args.out)
    index = (args.out / "index.html").resolve()
    print(f"book: {len(pages)} pages built in {time.perf_counter() - start:.0f} s")
    print(f"book: open file://{index}")
    print(f"      or serve it: {sys.executable} -m http.server -d {args.out} 8000  (then http://127.0.0.1:8000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
