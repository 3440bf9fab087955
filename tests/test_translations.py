"""The Chinese edition stays in step with the English: every page with a catalog is 100 % translated and current.

``tools/translations.py status`` extracts the English messages afresh (Sphinx's gettext builder, about 6 s) and
compares them with ``locales/zh_CN/LC_MESSAGES/*.po``: an English paragraph edited without its translation, a
formula or link changed in translation, or a glossary term translated another way fails here.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import translations  # noqa: E402


def test_invariants_are_what_a_translation_must_keep():
    english = ("See [claim 8 in 6.2](../06_faq/02_claims_checked.ipynb#claim-8): $\\eta < 2/L$ with `optim.SGD` "
               "{cite:p}`kingma2015adam` <span id=\"claim-8\"></span>")
    chinese = ("见 [6.2 中的论断 8](../06_faq/02_claims_checked.ipynb#claim-8)：`optim.SGD` 在 $\\eta < 2/L$ 时 "
               "{cite:p}`kingma2015adam` <span id=\"claim-8\"></span>")
    assert translations.invariants(english) == translations.invariants(chinese)
    changed = chinese.replace("2/L", "2/\\lambda")
    assert translations.invariants(english) != translations.invariants(changed), "a changed formula must be caught"
    relinked = chinese.replace("#claim-8)", "#claim-9)")
    assert translations.invariants(english) != translations.invariants(relinked), "a changed link must be caught"


def test_glossary_terms_need_their_chinese_name():
    terms = translations.glossary_terms()
    assert len(terms) > 100
    english = "Adam's bias correction divides by 1 − β^t; the learning rate stays fixed."
    assert translations.missing_terms(english, "Adam 的偏差修正除以 1 − β^t；学习率保持不变。", terms, set()) == []
    missing = translations.missing_terms(english, "Adam 的偏置校正除以 1 − β^t；步长保持不变。", terms, set())
    assert missing == ["bias correction → 偏差修正"], missing  # 步长 is one of learning rate's names: accepted
    assert translations.missing_terms(english, "Adam 的偏置校正……学习率", terms, {"bias correction"}) == []


def test_a_stale_or_unfaithful_translation_is_reported(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    template = Catalog(locale="zh_CN")
    for msgid in ("The learning rate $\\eta$ matters.", "Momentum helps.", "A new English paragraph."):
        template.add(msgid)
    catalog = Catalog(locale="zh_CN")
    catalog.add("The learning rate $\\eta$ matters.", "学习率 $\\alpha$ 很重要。")  # formula changed
    catalog.add("Momentum helps.", "冲量有帮助。")  # not the glossary's 动量
    catalog.add("An old English paragraph.", "旧段落。")  # the English changed: no translation of the new one
    monkeypatch.setattr(translations, "CATALOGS", tmp_path)
    (tmp_path / "chapters").mkdir()
    translations.write_catalog(catalog, tmp_path / "chapters" / "x.po")
    status = translations.page_status("chapters/x", template, translations.glossary_terms())
    assert status.has_catalog and status.messages == 3 and status.current == 2
    text = "\n".join(status.problems)
    assert "formula, code, link or citation differs" in text
    assert "momentum → 动量" in text
    assert "changed in English: 'A new English paragraph.'" in text
    out = io.StringIO()
    assert not translations.report([status], out)
    assert "NEEDS WORK" in out.getvalue()


@pytest.mark.timeout(300)
def test_every_chinese_catalog_is_complete_and_current():
    pytest.importorskip("sphinx")
    results = translations.status()
    out = io.StringIO()
    ok = translations.report(results, out)
    print(out.getvalue())
    assert ok, "the Chinese edition is behind the English (see tools/translations.py status):\n" + out.getvalue()
    assert any(r.has_catalog for r in results), "no page has a Chinese catalog"


def test_a_check_message_must_keep_its_fields(tmp_path):
    from babel.messages.catalog import Catalog

    template = Catalog(locale="zh_CN")
    template.add("{name} is {got:.3g}, expected {expected}.")
    template.add("Likely cause: {hint}")
    catalog = Catalog(locale="zh_CN")
    catalog.add("{name} is {got:.3g}, expected {expected}.", "{name} 为 {got}，应为 {expected}。")  # lost :.3g
    catalog.add("Likely cause: {hint}", "可能的原因：{hint")  # a lone brace
    path = tmp_path / "demo.po"
    translations.write_catalog(catalog, path)
    status = translations.check_catalog_status("demo", template, [], path=path)
    assert status.current == 2
    text = "\n".join(status.problems)
    assert "{fields} differ" in text and "{got:.3g}" in text
    assert "not a valid template" in text


def test_a_student_notebook_is_translated_block_by_block():
    table = {"Adam": "Adam", "Use Adam here, with a wide\nnetwork.": "这里用 Adam 和一个宽网络。",
             "Exercise 1 · Adam": "练习 1 · Adam", "a |x| cell": "一个 |x| 单元格"}
    text = ("## Exercise 1 · Adam\n\nUse Adam here,\nwith a wide network.\n\n- Adam\n\n"
            "| a \\|x\\| cell | Adam is fine |\n")
    out, count = translations.translate_markdown(text, table)
    assert out == ("## 练习 1 · Adam\n\n这里用 Adam 和一个宽网络。\n\n- Adam\n\n"
                   "| 一个 \\|x\\| 单元格 | Adam is fine |\n"), out
    assert count == 4  # "Adam" replaced (by itself) once, as the list item; never inside "Adam is fine"


@pytest.mark.timeout(20)
def test_a_near_miss_is_rejected_quickly():
    """A catalog entry that shares all but its last word with a long paragraph (the English was just edited) is no
    match — found in linear time, not by trying every way of splitting the spaces (which once ran for minutes)."""
    words = [f"word{i}" for i in range(80)]
    text = " ".join(words[:40]) + "\n" + " ".join(words[40:]) + " end.\n"
    out, count = translations.translate_markdown(text, {" ".join(words) + " finish.": "译文。"})
    assert (out, count) == (text, 0)
