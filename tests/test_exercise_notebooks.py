"""Student notebooks run cleanly up to their first unfinished exercise, and stop there with the friendly message.

(The solution notebooks are executed in full by nbval in `make test`.) The Chinese student notebooks
(exercises/student_zh) stop at the same place, with the message in Chinese.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
STUDENT = sorted((ROOT / "exercises" / "student").glob("*.ipynb"))
STUDENT_ZH = sorted((ROOT / "exercises" / "student_zh").glob("*.ipynb"))  # the same, in Chinese


def test_there_are_student_notebooks():
    assert len(STUDENT) >= 6, f"expected one student notebook per part of the course, found {len(STUDENT)}"
    assert [p.name for p in STUDENT_ZH] == [p.name for p in STUDENT], "one Chinese student notebook per part"


@pytest.mark.parametrize("path", STUDENT + STUDENT_ZH, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_student_notebook_stops_at_its_first_stub_with_a_friendly_message(path: Path):
    nb = nbformat.read(path, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first_stub = next((i for i in code if "raise NotImplementedError" in nb.cells[i].source), None)
    assert first_stub is not None, f"{path.name} has no stub: was it generated from a source with solution markers?"
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    failed = next(i for i in code if any(o.get("output_type") == "error" for o in nb.cells[i].get("outputs", [])))
    assert failed >= first_stub, f"{path.name}: cell {failed} failed before the first exercise (cell {first_stub})"
    assert info.value.ename in {"NotDone", "NotImplementedError"}, (
        f"{path.name}: stopped with {info.value.ename}: {info.value.evalue}"
    )
    if info.value.ename == "NotDone":
        assert ("尚未完成" if path in STUDENT_ZH else "not implemented yet") in info.value.evalue
    elif path in STUDENT_ZH:
        assert "练习尚未完成" in info.value.evalue, info.value.evalue
