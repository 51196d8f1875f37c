"""install.sh, the README's set-up: torch from PyTorch's CPU index first, then Helpline, pinned by constraints-cpu.txt.

pip and python are stand-ins that record their arguments, so this runs without a network or a real install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_install(tmp_path: Path, *args: str, torch_installed: bool = False, **env: str) -> list[list[str]]:
    """Runs a copy of install.sh whose `python3 -m venv` makes a .venv of recording stand-ins."""
    shutil.copy(ROOT / "install.sh", tmp_path / "install.sh")
    bin_dir, calls = tmp_path / "fakebin", tmp_path / "calls"
    bin_dir.mkdir()
    stand_in = f'#!/bin/sh\necho "$(basename "$0") $*" >> {calls}\n'
    fake_python3 = (
        f"#!/bin/sh\nmkdir -p .venv/bin\nfor tool in pip python; do\n"
        f"  printf '%s' '{stand_in}' > .venv/bin/$tool\n"
        + ("" if torch_installed else '  [ "$tool" = python ] && echo "exit 1" >> .venv/bin/python\n')
        + "  chmod +x .venv/bin/$tool\ndone\n"
    )
    (bin_dir / "python3").write_text(fake_python3)
    (bin_dir / "python3").chmod(0o755)
    environment = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", **env}
    subprocess.run(["bash", "install.sh", *args], cwd=tmp_path, env=environment, check=True)
    return [line.split() for line in calls.read_text().splitlines() if line.startswith("pip")]


def test_torch_comes_first_from_the_cpu_index_then_helpline_with_the_pin(tmp_path: Path) -> None:
    torch_step, helpline_step = run_install(tmp_path, "dev")
    assert torch_step[-1] == "torch" and "--no-deps" in torch_step
    assert torch_step[torch_step.index("--extra-index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    assert torch_step[torch_step.index("-c") + 1] == "constraints-cpu.txt"
    assert helpline_step[-2:] == ["-e", ".[dev]"]
    assert helpline_step[helpline_step.index("-c") + 1] == "constraints-cpu.txt"


def test_without_extras_it_installs_what_chat_needs(tmp_path: Path) -> None:
    *_, helpline_step = run_install(tmp_path)
    assert helpline_step[-2:] == ["-e", "."]


def test_an_empty_torch_index_asks_only_the_configured_registry(tmp_path: Path) -> None:
    torch_step, _ = run_install(tmp_path, HELPLINE_TORCH_INDEX="")
    assert "--extra-index-url" not in torch_step


def test_an_installed_torch_is_kept(tmp_path: Path) -> None:
    steps = run_install(tmp_path, "dev", torch_installed=True)
    assert len(steps) == 1 and "torch" not in steps[0]


def test_the_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```sh\n{command}\n```" in readme
