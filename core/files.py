"""Creating Helpline's data folders and files private to the user it runs as (0700 and 0600).

Tickets, conversations and the knowledge index are customers' words: nobody else on the machine
should read them, whatever the umask says. Folders and files that already exist keep their modes.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import DataError

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a folder, creating it and any missing parents with mode 0700; ``DataError`` if it cannot be."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        if not path.is_dir():
            raise NotADirectoryError(f"{path} is a file")
    except OSError as exc:
        raise DataError(f"cannot use {path} as a data folder: {exc.strerror or exc}") from None
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 unless it exists (a database file SQLite then opens as it is)."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise DataError(f"cannot create {path}: {exc.strerror or exc}") from None
    return path
