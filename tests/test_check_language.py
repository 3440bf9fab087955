"""The check messages speak the student's language: every sentence is a translatable template, and in Chinese
the checks answer in Chinese.

The catalogs themselves (every template translated, current, its ``{fields}`` kept, glossary terms used) are
checked with the book's in ``test_translations.py``.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gradcourse import check
from gradcourse.check import _i18n

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "src" / "gradcourse" / "check"
MODULES = sorted(p for p in CHECKS.glob("*.py") if p.stem not in ("__init__", "_i18n"))
KEEP = "# i18n: keep"  # on a string's line: shown as it is in every language (an answer key, a code name)
_WORDS = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _prose(text: str) -> bool:
    """A literal a student reads as words: two or more Latin words."""
    return " " in text and len(_WORDS.findall(text)) >= 2


def _untranslatable(path: Path) -> Iterator[str]:
    """The places in ``path`` where a sentence would reach the student in English whatever the language: a
    prose literal outside ``_()``/``N_()``, an f-string with words in it, or a ``_()`` of something other than
    one literal (which gettext cannot extract)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docstrings, marked = set(), set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            docstrings.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
            arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                yield f"{path.name}:{node.lineno}: {node.func.id}() takes one string literal (no f-string)"
            else:
                marked.add(id(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if _prose(text):
                yield f"{path.name}:{node.lineno}: f-string with words: {text[:60]!r}"
            for value in node.values:  # the literal parts of an f-string are judged as the f-string
                marked.add(id(value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _prose(node.value):
            if id(node) in docstrings or id(node) in marked:
                continue
            span = lines[node.lineno - 1: (node.end_lineno or node.lineno)]
            if not any(KEEP in line for line in span):
                yield f"{path.name}:{node.lineno}: {node.value[:60]!r}"


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_every_sentence_of_a_check_is_a_translatable_template(path):
    found = list(_untranslatable(path))
    assert not found, ("wrap each sentence in _() (a str.format template with named {fields}), or mark a string "
                       f"that must stay as it is with {KEEP!r}:\n" + "\n".join(found))


def test_the_scan_finds_what_it_must(tmp_path):
    sample = tmp_path / "i18n_scan_sample.py"
    sample.write_text('"""Docstring with many words."""\n'
                      'a = "an English sentence"\n'
                      'b = f"{x} is wrong here"\n'
                      'c = _(f"{x} is wrong")\n'
                      'd = _("a fine {x} template").format(x=1)\n'
                      'e = "sigmoid + xavier"  # i18n: keep\n'
                      'f = "{x:.3g}"\n', encoding="utf-8")
    found = "\n".join(_untranslatable(sample))
    assert ":2: 'an English sentence'" in found and ":3: f-string" in found and ":4: _() takes" in found
    assert ":5:" not in found and ":6:" not in found and ":7:" not in found and ":1:" not in found


def test_the_language_is_chosen_by_name_and_a_wrong_name_is_explained():
    before = check.language()
    try:
        assert check.language("zh") == "zh" and check.language() == "zh"
        assert check.language("zh-CN") == "zh" and check.language("中文") == "zh"
        assert check.language("EN") == "en"
        with pytest.raises(ValueError, match=r"check.language\(name\): unknown language 'fr'.*'en', 'zh'"):
            check.language("fr")
        assert check.language() == "en", "a rejected name leaves the language as it was"
    finally:
        check.language(before)


def _in_a_new_kernel(code: str, lang: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != _i18n.ENVIRONMENT}
    if lang is not None:
        env[_i18n.ENVIRONMENT] = lang
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_environment_variable_sets_the_language_a_kernel_starts_with():
    code = ("from gradcourse import check\n"
            "print(check.language())\n"
            "try:\n    check.sigmoid_prime(lambda z: z)\nexcept check.ExerciseError as e:\n    print(e)\n")
    chinese = _in_a_new_kernel(code, "zh_CN.UTF-8")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("zh\n") and _CJK.search(chinese.stdout), chinese.stdout
    english = _in_a_new_kernel(code, None)
    assert english.stdout.startswith("en\n") and not _CJK.search(english.stdout), english.stdout
    wrong = _in_a_new_kernel(code, "klingon")
    assert wrong.stdout.startswith("en\n") and "GRADCOURSE_LANG" in wrong.stderr and "'zh'" in wrong.stderr


def test_a_template_without_translation_is_shown_in_english():
    before = check.language()
    try:
        check.language("zh")
        assert _i18n._("a sentence no catalog has") == "a sentence no catalog has"
    finally:
        check.language(before)


def test_the_catalogs_agree_where_two_modules_share_a_sentence():
    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    for path in sorted((_i18n.CATALOG_DIR / "zh_CN").glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if not message.id or not message.string or message.fuzzy:
                    continue
                other = seen.setdefault(message.id, (path.stem, message.string))
                assert other[1] == message.string, (f"{message.id!r} is translated one way in {other[0]}.po and "
                                                    f"another in {path.stem}.po")
