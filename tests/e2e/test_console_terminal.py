"""The console on a real terminal (a pty): Ctrl-C leaves at once, the arrow keys edit and recall lines."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Generous: only reached when the console hangs, which is the failure these tests look for.
PATIENCE = 60.0


def _take_the_terminal() -> None:
    """Make the pty the child's controlling terminal, so Ctrl-C typed there reaches it as SIGINT."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """The console of ``tests.console_world`` running on a pty, and what it has printed so far."""

    def __init__(self) -> None:
        main, child = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.console_world"],
            stdin=child,
            stdout=child,
            stderr=child,
            env=env,
            cwd=REPO,
            start_new_session=True,
            preexec_fn=_take_the_terminal,
        )
        os.close(child)
        self.fd = main
        self.seen = ""

    def read_until(self, text: str, times: int = 1) -> str:
        """Everything printed until ``text`` appeared ``times`` times (fails if the console stops or never does)."""
        while self.seen.count(text) < times:
            ready, _, _ = select.select([self.fd], [], [], PATIENCE)
            assert ready, f"the console never printed {text!r}; it printed {self.seen!r}"
            try:
                chunk = os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                chunk = ""
            assert chunk, f"the console ended before printing {text!r}; it printed {self.seen!r}"
            self.seen += chunk
        return self.seen

    def type(self, keys: str) -> None:
        """Press ``keys``."""
        os.write(self.fd, keys.encode())

    def close(self) -> None:
        """Stop the console if a test left it running."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self.fd)


def test_ctrl_c_at_the_prompt_leaves_at_once() -> None:
    terminal = Terminal()
    try:
        terminal.read_until("you> ")
        terminal.type("half a line")
        terminal.read_until("you> half a line")  # echoed: the line editor is reading keys
        terminal.type("\x03")  # Ctrl-C, with no Enter after it
        assert terminal.process.wait(timeout=PATIENCE) == 130
        assert "Traceback" not in terminal.read_until("")
    finally:
        terminal.close()


def test_arrow_up_recalls_the_last_line_instead_of_printing_escape_codes() -> None:
    terminal = Terminal()
    try:
        terminal.read_until("you> ")
        terminal.type("hello\r")
        terminal.read_until("you> ", times=2)  # the next prompt: the line editor is reading keys again
        terminal.type("\x1b[A\r")  # the up arrow, then Enter: "hello" again
        seen = terminal.read_until("Hi! Ask me", times=2)
        assert "^[[A" not in seen
        terminal.read_until("you> ", times=3)
        terminal.type("\x04")  # Ctrl-D ends the session
        assert terminal.process.wait(timeout=PATIENCE) == 0
    finally:
        terminal.close()
