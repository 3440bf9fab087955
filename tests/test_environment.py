"""environment.yml (conda) and pyproject.toml (pip) describe the same project."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower()


def _spec(requirement: str) -> str:
    return requirement.strip()[len(_name(requirement)) :].replace(" ", "")


def _load():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return project, conda, pip


def test_every_runtime_dependency_is_in_the_conda_environment_with_the_same_bounds():
    project, conda, pip = _load()
    available = {_name(r): _spec(r) for r in conda + [p for p in pip if not p.startswith("-")]}
    for requirement in project["dependencies"]:
        name = _name(requirement)
        assert name in available, f"{name} is in pyproject.toml but not in environment.yml"
        assert available[name] == _spec(requirement), (
            f"{name}: pyproject says {_spec(requirement)!r}, environment.yml says {available[name]!r}"
        )


def test_conda_python_satisfies_requires_python_and_installs_the_package_with_the_torch_pin():
    project, conda, pip = _load()
    minimum = tuple(int(x) for x in re.search(r">=\s*([\d.]+)", project["requires-python"]).group(1).split("."))
    python = next(d for d in conda if _name(d) == "python")
    version = tuple(int(x) for x in python.split("=")[-1].split("."))
    assert version >= minimum, f"environment.yml pins python {version}, pyproject requires >= {minimum}"
    assert "-e .[dev]" in pip, "environment.yml must install the package itself with its dev extras"
    assert "-c constraints.txt" in pip, "environment.yml must pin torch through constraints.txt"


def test_constraints_pin_the_cpu_torch_inside_the_declared_range():
    project, _, _ = _load()
    pins = {_name(line): line.split("==")[1].strip() for line in (ROOT / "constraints.txt").read_text().splitlines()
            if "==" in line}
    assert "torch" in pins, "constraints.txt must pin torch (an unpinned torch downloads a multi-GB CUDA build)"
    declared = next(r for r in project["dependencies"] if _name(r) == "torch")
    low = tuple(int(x) for x in re.search(r">=\s*([\d.]+)", declared).group(1).split("."))
    assert tuple(int(x) for x in pins["torch"].split(".")) >= low
