# %% [markdown]
# # 0.2 Glossary · 术语表 (English / 中文)
#
# Which Chinese term goes with which English one, and where is each idea explained? Many readers meet these
# ideas in Chinese first. This glossary lists every technical term of the five source articles A1–A5 (identified
# in [0.1](01_how_to_use.ipynb)) and of the course, with its usual Chinese name, a one-line definition in the
# course's notation, and the chapters that explain it. Where an article uses a term wrongly — a garbled name, a
# wrong definition — the last column says so; each of those errors is corrected, with a cell that proves it, in
# the chapter linked, and recorded in [6.2](../06_faq/02_claims_checked.ipynb).
#
# The table lives in a data file beside this page, `glossary.csv` (one row per term: English, 中文, definition,
# chapters, misuse), so it can be searched, sorted and reused; the cell below renders it.

# %% tags=["hide-input"]
import csv
from collections import Counter
from pathlib import Path

from IPython.display import Markdown, display

from gradcourse.claims import claim

# the data file sits beside this notebook (the path also works when run from the repository root)
GLOSSARY_FILE = next(p for p in (Path("glossary.csv"), Path("chapters/00_preface/glossary.csv")) if p.exists())
# every chapter that exists, by its section number: chapters/04_code/05_optimizer_shootout.ipynb is "4.5"
CHAPTERS = {f"{int(nb.parent.name[:2])}.{int(nb.stem[:2])}": f"../{nb.parent.name}/{nb.stem}"
            for nb in sorted(GLOSSARY_FILE.resolve().parent.parent.glob("[0-9]*/[0-9]*.ipynb"))}
with open(GLOSSARY_FILE, encoding="utf-8", newline="") as fh:
    GLOSSARY = list(csv.DictReader(fh))


def cell(text: str) -> str:
    """Escape what would break a Markdown table cell: a literal | ends the cell."""
    return text.replace("|", "\\|")


rows = ["| English | 中文 | Definition | Explained in | What the articles get wrong |", "|---|---|---|---|---|"]
for term in GLOSSARY:
    links = ", ".join(f"[{ref}]({CHAPTERS[ref]}.ipynb)" for ref in term["chapters"].split(", "))
    rows.append(f"| **{cell(term['english'])}** | {cell(term['chinese'])} | {cell(term['definition'])} | {links} "
                f"| {cell(term['misuse'])} |")
display(Markdown("\n".join(rows)))

# %% tags=["hide-input"]
english_terms = Counter(t["english"].lower() for t in GLOSSARY)
chinese_terms = Counter(t["chinese"] for t in GLOSSARY)
duplicates = [t for t, n in (english_terms + chinese_terms).items() if n > 1]
claim(not duplicates, f"{len(GLOSSARY)} terms, each English and each Chinese name once")
claim(all(t["definition"] and t["chapters"] for t in GLOSSARY)
      and all(ref in CHAPTERS for t in GLOSSARY for ref in t["chapters"].split(", ")),
      "every term has a definition and links to chapters that exist")
claim(all(line.count("|") - line.count("\\|") == 6 for line in rows),
      "every rendered row has exactly five cells (no unescaped | inside an entry)")
names = {name for c in chinese_terms for name in c.replace("）", "").replace("（", "、").replace(" / ", "、").split("、")}
required = ("梯度消失", "梯度爆炸", "学习率", "动量", "梯度裁剪", "批量归一化", "正则化", "初始化", "反向传播", "激活函数",
            "损失函数", "收敛", "鞍点", "过拟合", "自适应学习率", "学习率衰减", "指数移动平均", "一阶矩估计", "二阶矩估计",
            "预条件", "尖锐度", "稳定性边缘", "学习率预热")
claim(all(r in names for r in required), f"the core terms of the course are all here ({len(required)} checked)")
print(f"{sum(bool(t['misuse']) for t in GLOSSARY)} of the {len(GLOSSARY)} terms are misused by at least one article")

# %% [markdown]
# ## What we learned
#
# - Each term of the course has one English and one (usual) Chinese name; synonyms the articles use are given
#   in brackets (损失函数 / 代价函数, 学习率 / 步长).
# - About a third of the terms are misused by at least one article — most often *batch normalization*
#   (A5's 批量正则化), *backpropagation* (A5's 反向差分法), *saddle point* and *overfitting* (A2). Each misuse is
#   corrected, with evidence, in the chapter linked from its row, and collected in
#   [6.2 claims checked](../06_faq/02_claims_checked.ipynb).
