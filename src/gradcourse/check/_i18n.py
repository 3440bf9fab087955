"""The language of the check messages: English (the source) or 简体中文, chosen by the student.

    from gradcourse import check
    check.language("zh")        # from now on the checks answer in Chinese; check.language("en") goes back

or, before starting Jupyter, ``export GRADCOURSE_LANG=zh`` (Windows: ``set GRADCOURSE_LANG=zh``).

Every sentence a check can print is written in English in the check modules, wrapped in :func:`_`; a sentence
with values in it is a ``str.format`` template whose fields have names::

    raise WrongAnswer(ex, _("{name} has shape {got}, expected {expected}.").format(name=name, got=..., ...))

The Chinese of each template lives in ``locale/zh_CN/<module>.po`` next to this file, one catalog per check
module, keyed by the English (``msgid``) — the same gettext catalogs, and the same tool
(``tools/translations.py``), as the book's Chinese edition. A template whose English changed has no translation
until a translator updates its catalog: it is then shown in English, never wrong, and ``make test`` fails until
the catalog is current.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

#: The languages a student can choose: the name they type -> the catalogs' folder (None: the English source).
LANGUAGES: dict[str, str | None] = {"en": None, "zh": "zh_CN"}
#: The environment variable read when the package is imported.
ENVIRONMENT = "GRADCOURSE_LANG"
CATALOG_DIR = Path(__file__).resolve().parent / "locale"

_ALIASES = {"en": "en", "en_us": "en", "en_gb": "en", "english": "en",
            "zh": "zh", "zh_cn": "zh", "zh_hans": "zh", "cn": "zh", "chinese": "zh", "中文": "zh"}


def _normalize(name: str, *, where: str) -> str:
    key = str(name).strip().lower().replace("-", "_").split(".")[0]
    if key not in _ALIASES:
        raise ValueError(f"{where}: unknown language {name!r}; choose one of {', '.join(map(repr, LANGUAGES))} "
                         "(English or 简体中文).")
    return _ALIASES[key]


def _from_environment() -> str:
    value = os.environ.get(ENVIRONMENT, "").strip()
    if not value:
        return "en"
    try:
        return _normalize(value, where=f"the environment variable {ENVIRONMENT}")
    except ValueError as err:
        import warnings

        warnings.warn(f"{err} The checks answer in English.", stacklevel=2)
        return "en"


_current = {"language": _from_environment()}


def language(name: str | None = None) -> str:
    """Choose the language of the check messages (``"en"`` or ``"zh"``) and return it; without an argument,
    return the language in use. ``GRADCOURSE_LANG`` sets the language a new kernel starts with."""
    if name is not None:
        _current["language"] = _normalize(name, where="check.language(name)")
    return _current["language"]


@functools.cache
def catalog(folder: str) -> dict[str, str]:
    """English template -> translation, from every ``locale/<folder>/*.po`` (fuzzy and empty entries left out:
    a draft is never shown)."""
    from babel.messages.pofile import read_po

    table: dict[str, str] = {}
    for path in sorted((CATALOG_DIR / folder).glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not message.fuzzy:
                    table[message.id] = message.string
    return table


def _(message: str) -> str:
    """``message`` in the chosen language (itself in English, or where its translation is missing)."""
    folder = LANGUAGES[_current["language"]]
    if folder is None:
        return message
    return catalog(folder).get(message, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a sentence for translation where it is defined (a module-level table); :func:`_` translates it
    where it is shown."""
    return message
