"""Build the course as an HTML book with Sphinx, myst-nb and the book theme: execute, stage, render.

    python tools/build_book.py --out build/book --jobs 2

1. **Execute.** Every chapter notebook (``chapters/<part>/<section>.ipynb``) runs in its own folder with a fresh
   kernel (nbclient), ``--jobs`` at a time. The executed copy is cached under ``build/cache``, keyed by a hash of
   the notebook, of the ``gradcourse`` sources and of this builder, so a build after editing one chapter re-runs
   only that chapter and a build after no change runs none. A cell that fails stops the build with the notebook,
   the cell and the error; a cell tagged ``raises-exception`` may fail (it shows a source document's bug live).
2. **Stage.** The executed copies go to ``build/book_src/`` under their repository paths, with the student
   exercise notebooks beside them, so every relative link between chapters and to the exercises stays valid.
   On the way, cells a reader need not read (imports and seeding only; ``claim`` and ``assert`` only) are tagged
   ``hide-input``, progress-bar widgets are dropped, each moving figure (a Vega-Lite output) becomes a
   ``div.gc-explorable`` holding its specification, each page gets a note saying when it was executed, in how
   many seconds and with which seeds, and each figure's titles and axis labels are recorded as its alt text. A file
   is rewritten only when its content changes, so Sphinx re-reads only what changed.
3. **Render.** ``sphinx-build`` with ``book/conf.py`` writes the book (sidebar, search, dark mode, citations);
   a warning fails the build. MathJax is copied from ``jupyter-server-mathjax`` into ``_static/mathjax``, and
   Vega-Lite with vega-embed (which draw the moving figures of ``gradcourse.explorables``) is written by
   ``vl-convert-python`` into ``_static/vega``: the book needs no network.
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import translations  # tools/translations.py: the Chinese edition's catalogs and glossary terms

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
EXERCISES = ROOT / "exercises" / "student"
CONF = ROOT / "book"
CELL_TIMEOUT = 300

UNTRANSLATED_NOTE = "```{note}\n本页尚未译成中文，下面是英文原文。\n```"
PART_TITLES_ZH = {
    "00_preface": "前言",
    "01_background": "第一部分 · 背景",
    "02_concepts": "第二部分 · 概念",
    "03_algorithms": "第三部分 · 算法及其数学",
    "04_code": "第四部分 · 代码",
    "05_trends": "第五部分 · 趋势",
    "06_faq": "第六部分 · 常见问题、论断核查、参考文献",
}
PART_TITLES = {
    "00_preface": "Preface",
    "01_background": "Part 1 · Background",
    "02_concepts": "Part 2 · Concepts",
    "03_algorithms": "Part 3 · Algorithms and their mathematics",
    "04_code": "Part 4 · Code",
    "05_trends": "Part 5 · Trends",
    "06_faq": "Part 6 · FAQ, claims checked, references",
}

# Run before a chapter's first cell, then removed from the executed copy: a figure's plain-text form (which
# myst-nb does not show) becomes its titles and axis labels, used as the image's alt text. (It replaces
# Figure.__repr__ in the book's kernel only: IPython's own per-type printers for figures are reset whenever the
# inline backend is configured.)
DESCRIBE_FIGURES = '''\
import matplotlib.figure


def _gc_describe_figure(fig):
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    for ax in fig.axes:
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)
        labels = ", ".join(f"{k}: {v}" for k, v in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if v)
        if title or labels:
            parts.append(title + (f" ({labels})" if labels else ""))
    return "Figure: " + "; ".join(parts) if parts else "Figure (untitled)"


matplotlib.figure.Figure.__repr__ = _gc_describe_figure
del _gc_describe_figure
'''


@dataclass(frozen=True)
class Page:
    source: Path  # the .ipynb in chapters/
    rel: str  # its path in the book, without suffix: "chapters/01_background/02_first_experiment"
    part: str


def discover(chapters: Path = CHAPTERS) -> list[Page]:
    pages = []
    for nb_path in sorted(chapters.glob("*/*.ipynb")):
        part = nb_path.parent.name
        rel = nb_path.relative_to(ROOT).with_suffix("").as_posix()
        pages.append(Page(nb_path, rel, part))
    return pages


def _sources_digest() -> str:
    digest = hashlib.sha256(DESCRIBE_FIGURES.encode())  # what the book's kernel runs first is part of the key
    for path in sorted((ROOT / "src" / "gradcourse").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------------- 1. execute


def _execute(nb_path: str, cache_path: str) -> tuple[str, float]:
    """Execute one notebook (in a worker process) and write the executed copy to ``cache_path``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(DESCRIBE_FIGURES))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no "running over TCP" warning per kernel
        resources={"metadata": {"path": str(Path(nb_path).parent)}},
        allow_errors=False,
    )
    try:
        client.execute()
    except CellExecutionError as err:
        raise RuntimeError(f"{nb_path}: a cell failed while building the book:\n{err}") from None
    nb.cells.pop(0)
    seconds = time.perf_counter() - start
    nb.metadata["gradcourse_book"] = {
        "executed": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "torch": _version("torch"),
    }
    nbformat.write(nb, cache_path)
    return nb_path, seconds


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


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


# --------------------------------------------------------------------------------------------------- 2. stage

_SETUP_CALLS = {"seed_everything", "use_book_style", "set_printoptions", "filterwarnings", "manual_seed"}
_CHECK_CALLS = {"claim"}


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return None


def reader_need_not_read(source: str) -> bool:
    """True for a code cell that only imports and seeds, or only checks (``claim`` / ``assert``).

    >>> reader_need_not_read("import torch\\nfrom gradcourse import plots\\nplots.use_book_style()")
    True
    >>> reader_need_not_read("claim(loss < 0.1, 'it learns')\\nassert x == 1")
    True
    >>> reader_need_not_read("loss = train(model)\\nclaim(loss < 0.1, 'it learns')")
    False
    """
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics
        return False
    if not body:
        return False
    setup = all(isinstance(s, ast.Import | ast.ImportFrom) or _called_name(s) in _SETUP_CALLS for s in body)
    checks = all(isinstance(s, ast.Assert) or _called_name(s) in _CHECK_CALLS for s in body)
    return setup or checks


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VEGA_LITE = "application/vnd.vegalite.v5+json"  # gradcourse.explorables.MIMETYPE (a moving figure)
VEGA_VERSION = "5.21"  # the Vega-Lite that draws them in the book (JupyterLab 4 brings its own 5.x)


def explorable_html(spec: dict, alt: str, number: int) -> str:
    """A moving figure as the book shows it: its spec in an inert JSON script, drawn by _static/gc-explorables.js.

    ``alt`` (the figure's plain-text form) labels it for screen readers; ``</`` is escaped so that no string in
    the spec can close the script element."""
    payload = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    label = html.escape(alt, quote=True)
    return (f'<div class="gc-explorable" id="gc-explorable-{number}" role="figure" aria-label="{label}">'
            f'<script type="application/json" class="gc-explorable-spec">{payload}</script>'
            f'<noscript>{html.escape(alt)}</noscript></div>')
_SEED = re.compile(r"(?:seed_everything|manual_seed|default_rng|RandomState)\((\d+)\)|\bseed\s*=\s*(\d+)")


def executed_note(nb, edition: str = "en") -> str:
    info = nb.metadata.get("gradcourse_book", {})
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    seeds = sorted({int(a or b) for a, b in _SEED.findall(code)})
    if edition == "zh":
        seed_text = "随机种子 " + "、".join(map(str, seeds)) if seeds else "未设随机种子"
        return (
            "```{container} gc-executed\n"
            f"本页于 {info.get('executed', '?')} 为构建本书而执行，用时 {info.get('seconds', '?')} 秒（Python "
            f"{info.get('python', '?')}，torch {info.get('torch', '?')}；{seed_text}）。用 `make lab` 亲自运行："
            "数字只取决于随机种子，至多相差浮点舍入误差。\n```"
        )
    seed_text = "seeds " + ", ".join(map(str, seeds)) if seeds else "no random seed set"
    return (
        "```{container} gc-executed\n"
        f"This page was executed for the book on {info.get('executed', '?')} in {info.get('seconds', '?')} s "
        f"(Python {info.get('python', '?')}, torch {info.get('torch', '?')}; {seed_text}). Run it yourself "
        "with `make lab`: the numbers depend only on the seeds, up to floating-point rounding.\n```"
    )


def stage_notebook(executed: Path, alt_text: dict[str, str], edition: str = "en", translated: bool = True):
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("widgets", None)  # a progress bar (tqdm in JupyterLab) has nothing to say in a static page
    explorables = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})]
        tags = cell.metadata.setdefault("tags", [])
        if not any(t.startswith(("hide-", "remove-")) for t in tags) and reader_need_not_read(cell.source):
            tags.append("hide-input")
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGA_LITE in data:
                explorables += 1
                alt = str(data.get("text/plain", "An interactive figure")).strip()
                output["data"] = {"text/html": explorable_html(data[VEGA_LITE], alt, explorables)}
            if "image/png" in data:
                digest = hashlib.sha256(base64.b64decode(data["image/png"])).hexdigest()
                alt_text[digest] = str(data.get("text/plain", "Figure")).strip()
    # A fixed cell id: the same note gives the same file, so Sphinx does not re-read an unchanged page.
    nb.cells.append(nbformat.v4.new_markdown_cell(executed_note(nb, edition), id="gc-executed-note"))
    if not translated:
        mark_untranslated(nb)
    return nb


def mark_untranslated(nb) -> None:
    """A page without a Chinese catalog is shown in English in the Chinese book, and says so under its title
    (which must stay the page's first heading)."""
    import nbformat

    if nb.cells and nb.cells[0].cell_type == "markdown":
        title, _, rest = nb.cells[0].source.partition("\n")
        nb.cells[0].source = f"{title}\n\n{UNTRANSLATED_NOTE}\n{rest}"
    else:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(UNTRANSLATED_NOTE, id="gc-untranslated"))


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


INDEX_INTRO_ZH = (
    "# gradcourse\n\n"
    "一本可以运行的教科书，讲深度网络为什么难以训练——梯度消失与梯度爆炸——以及什么能解决它：学习率及其调度、动量、"
    "自适应优化器、梯度裁剪、初始化、归一化与残差连接。本书的每一页都为构建本书而执行过；每一个关于行为的论断都由"
    "它上方的代码核查，其 ✓ 行就是核查通过。\n\n"
    "从 [0.1 如何使用本课程](chapters/00_preface/01_how_to_use.ipynb) 开始。"
    "[术语表](chapters/00_preface/02_glossary.ipynb)"
    "给出每个术语的英文与中文。本书以英文版为源，中文版由翻译目录随之更新；尚未译完的页面以英文显示并加以说明。"
    "练习的中文笔记本在仓库的 `exercises/student_zh/` 中（用 `make lab` 在 JupyterLab 中打开），"
    "自动检查也用中文回答。\n"
)


def index_page(pages: list[Page], exercises: list[Path], edition: str = "en") -> str:
    parts: dict[str, list[Page]] = {}
    for page in pages:
        parts.setdefault(page.part, []).append(page)
    titles = PART_TITLES_ZH if edition == "zh" else PART_TITLES
    blocks = [INDEX_INTRO_ZH] if edition == "zh" else [
        "# gradcourse\n\n"
        "An executable textbook on why deep networks are hard to train — vanishing and exploding gradients — and "
        "on what fixes it: learning rates and their schedules, momentum, adaptive optimizers, gradient clipping, "
        "initialization, normalization and residual connections. Every page was executed to build this book; "
        "every claim about behaviour is checked by the code above it, and its ✓ line is the check passing.\n\n"
        "Start with [0.1 How to use this course](chapters/00_preface/01_how_to_use.ipynb). The "
        "[glossary](chapters/00_preface/02_glossary.ipynb) gives every term in English and 中文.\n"
    ]
    for part, members in parts.items():
        entries = "\n".join(p.rel for p in members)
        blocks.append(f"```{{toctree}}\n:caption: {titles.get(part, part)}\n:maxdepth: 1\n\n{entries}\n```")
    if exercises:
        entries = "\n".join(p.relative_to(ROOT).with_suffix("").as_posix() for p in exercises)
        caption = "练习" if edition == "zh" else "Exercises"
        blocks.append(f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```")
    return "\n\n".join(blocks) + "\n"


def has_catalog(rel: str) -> bool:
    """Whether the page (``chapters/…/…`` or ``exercises/student/…``, no suffix) has a Chinese catalog."""
    return (translations.CATALOGS / f"{rel}.po").exists()


def search_dictionary() -> str:
    """jieba's user dictionary for the Chinese search index: each Chinese name in the glossary, one word."""
    names = {name for term in translations.glossary_terms() for name in term.chinese}
    return "".join(f"{name} 1000 n\n" for name in sorted(n for n in names if " " not in n))


def stage(pages: list[Page], executed: dict[Path, Path], src: Path, edition: str = "en") -> None:
    import nbformat

    alt_text: dict[str, str] = {}
    wanted = set()
    for page in pages:
        translated = edition == "en" or has_catalog(page.rel)
        nb = stage_notebook(executed[page.source], alt_text, edition, translated)
        target = src / f"{page.rel}.ipynb"
        _write_if_changed(target, nbformat.writes(nb))
        wanted.add(target)
    exercises = sorted(EXERCISES.glob("*.ipynb"))
    for notebook in exercises:
        target = src / notebook.relative_to(ROOT)
        nb = nbformat.read(notebook, as_version=4)
        if edition == "zh" and not has_catalog(notebook.relative_to(ROOT).with_suffix("").as_posix()):
            mark_untranslated(nb)
        _write_if_changed(target, nbformat.writes(nb))
        wanted.add(target)
    for path in src.rglob("*.ipynb"):  # a chapter renamed or removed leaves no stale page behind
        if path not in wanted:
            path.unlink()
    _write_if_changed(src / "_gc_alt.json", json.dumps(alt_text, ensure_ascii=False, indent=0, sort_keys=True))
    _write_if_changed(src / "index.md", index_page(pages, exercises, edition))
    if edition == "zh":
        _write_if_changed(src / "_gc_search_dict.txt", search_dictionary())


# -------------------------------------------------------------------------------------------------- 3. render


def render(src: Path, out: Path, doctrees: Path, jobs: int, quiet: bool, edition: str = "en") -> None:
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF), "-d", str(doctrees),
               "-W", "--keep-going", "-j", str(max(1, jobs)), str(src), str(out)]
    if edition == "zh":
        command[3:3] = ["-D", "language=zh_CN"]
    # A page added or removed changes what links on other, unchanged pages resolve to (MyST decides when it reads
    # a page), and a change to book/'s configuration or extension can change what a page's reading produces
    # (anchors, citations): then every page is read again.
    config = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(CONF.glob("*.py")))).hexdigest()
    pages = "\n".join([config, *sorted(p.relative_to(src).as_posix() for p in src.rglob("*.ipynb"))])
    listing = doctrees / "gradcourse-pages.txt"
    if not listing.exists() or listing.read_text(encoding="utf-8") != pages:
        command.append("-E")
    if quiet:
        command.append("-q")
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        sys.exit("book: sphinx-build reported the problems above; the book was not (fully) built")
    listing.write_text(pages, encoding="utf-8")
    copy_mathjax(out)
    write_vega_bundle(out)


CJK_CHARACTERS = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
CJK_FONT = "_static/fonts/gc-cjk.woff"


def write_chinese_font(out: Path) -> None:
    """Subset the Noto Sans SC that the Python install brings (``pylopdf-fonts-zh-cn``, SIL OFL 1.1) to the Chinese
    characters the built pages and their scripts use, as ``_static/fonts/gc-cjk.woff`` in both editions:
    gradcourse.css names it last in the page's font list, with a unicode-range, so a browser fetches it only for
    Chinese text that no system font covers. Nothing is fetched from the network; no system font is needed."""
    from fontTools import subset

    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        sys.exit("book: the Chinese font (pylopdf-fonts-zh-cn) is missing; reinstall the book extras (`make book`).")
    source = Path(sans_path())
    characters = set()
    for path in (*out.rglob("*.html"), *out.rglob("_static/*.js")):
        characters.update(CJK_CHARACTERS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    text = "".join(sorted(characters))
    targets = [out / CJK_FONT] + ([out / "zh" / CJK_FONT] if (out / "zh").is_dir() else [])
    stamp = out / "_static" / "fonts" / "gc-cjk.characters"
    if all(t.exists() for t in targets) and stamp.exists() and stamp.read_text(encoding="utf-8") == text:
        return
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed: woff2 would need brotli
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    licenses = [f for f in metadata.distribution("pylopdf-fonts-zh-cn").files or [] if f.name == "LICENSE"]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(target), options)
        if licenses:  # the OFL travels with the font
            shutil.copyfile(licenses[0].locate(), target.with_name("gc-cjk.LICENSE.txt"))
    stamp.write_text(text, encoding="utf-8")


def copy_mathjax(out: Path) -> None:
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (source / "MathJax.js").exists():
        sys.exit(f"book: MathJax is missing from {source}; reinstall the book extras (`make book` does it).")
    target = out / "_static" / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(source, target, dirs_exist_ok=True)


def write_vega_bundle(out: Path) -> None:
    """Write Vega, Vega-Lite and vega-embed as one script, ``_static/vega/vega-bundle.js`` (the moving figures'
    renderer), from the vl-convert-python package: no network, no npm. Rewritten only when the version changes."""
    try:
        import vl_convert
    except ImportError:
        sys.exit("book: vl-convert-python is missing (it draws the moving figures); reinstall the book extras "
                 "(`make book` does it).")
    target = out / "_static" / "vega" / "vega-bundle.js"
    stamp = target.with_suffix(".version")
    version = f"vl-convert {_version('vl-convert-python')}, vega-lite {VEGA_VERSION}"
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == version:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(vl_convert.javascript_bundle(vl_version=VEGA_VERSION), encoding="utf-8")
    stamp.write_text(version, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "cache")
    parser.add_argument("--src", type=Path, default=ROOT / "build" / "book_src")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--languages", default="en,zh", help="en (the English book) and/or zh (中文版, in zh/)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    pages = discover()
    if not pages:
        sys.exit("book: no chapter notebooks found under chapters/*/ (run `make sync` to create them)")
    executed = execute_all(pages, args.cache, args.jobs, args.quiet)
    built = time.perf_counter()
    stage(pages, executed, args.src)
    render(args.src, args.out, args.src.parent / "book_doctrees", args.jobs, args.quiet)
    english = time.perf_counter() - built
    print(f"book: English edition rendered in {english:.0f} s")
    if "zh" in args.languages.split(","):
        src_zh = args.src.with_name(args.src.name + "_zh")
        stage(pages, executed, src_zh, "zh")
        render(src_zh, args.out / "zh", args.src.parent / "book_doctrees_zh", args.jobs, args.quiet, "zh")
        translated = sum(has_catalog(p.rel) for p in pages)
        print(f"book: 中文版 rendered in {time.perf_counter() - built - english:.0f} s ({translated} of "
              f"{len(pages)} chapters translated; the others are shown in English)")
    write_chinese_font(args.out)
    index = (args.out / "index.html").resolve()
    print(f"book: {len(pages)} chapters built in {time.perf_counter() - start:.0f} s")
    print(f"book: open file://{index}")
    print(f"      or serve it: {sys.executable} -m http.server -d {args.out} 8000  (then http://127.0.0.1:8000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
