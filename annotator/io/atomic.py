"""Atomic file writes: the target is either its old content or the complete new content, never a mix."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from annotator.io.errors import FileFault


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX); best effort."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: str | Path, content: str, durable: bool = True) -> None:
    """Write ``content`` as UTF-8 to ``path`` atomically.

    The bytes go to a temporary file in the same folder, which is flushed, fsynced and then moved over ``path`` with
    ``os.replace`` (atomic on POSIX and Windows). On any failure the temporary file is removed and ``path`` is left as
    it was.

    ``durable=False`` leaves out the fsyncs (of the file and of its folder): other processes still see the old
    content or the new, never a mix, but after a power cut the file may be empty or missing. Only for a file whose
    meaning ends with the process anyway (a lock's owner file): an fsync just after big writes waits for them to
    reach the disk (0.1-0.3 s).

    Raises
    ------
    FileFault
        Naming ``path`` and the OS error (permission denied, disk full, missing folder...).
    """
    try:
        data = content.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FileFault(path, f"could not save: the content is not valid Unicode text ({error.reason})") from error
    if durable:
        atomic_write_bytes(path, data)
    else:
        with atomic_writer(path, durable=False) as handle:
            handle.write(data)


def _write_temporary(path: Path, data: bytes) -> str:
    """Write ``data`` to a new, fsynced temporary file beside ``path`` with ``path``'s mode (or the umask's), and
    return its name (``OSError`` passes through; the temporary file is removed then)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def atomic_write_bytes(path: str | Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically, as :func:`atomic_write_text` does (``FileFault`` on failure, with
    ``path`` left as it was; ``durable`` as there)."""
    with atomic_writer(path, durable) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | Path, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into piece by piece (an export of many documents, without
    holding it all in memory), moved over ``path`` atomically when the ``with`` block ends without an exception, as
    :func:`atomic_write_bytes` does; on an exception in the block the temporary file is removed, ``path`` is left as
    it was and the exception passes through. ``durable=False``: without the fsyncs (see :func:`atomic_write_text`).

    Raises
    ------
    FileFault
        Naming ``path`` and the OS error, when the temporary file cannot be made, written or moved.
    """
    path = Path(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp_name, path)
        tmp_name = None
        if durable:
            _fsync_folder(path.parent)
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileFault(path, f"could not save ({reason}); the previous file, if any, is unchanged") from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def atomic_create_bytes(path: str | Path, data: bytes) -> bool:
    """Create ``path`` holding ``data``, complete or not at all, unless a file of that name exists (made by another
    process even between a check and this call): then it is left as it is and ``False`` is returned.

    The complete temporary file is hard-linked to ``path`` (``link`` never replaces a file); where the file system
    has no hard links, the name is first reserved with ``O_CREAT | O_EXCL`` (empty for an instant), then replaced.

    Raises
    ------
    FileFault
        Naming ``path`` and the OS error; ``path`` is not created.
    """
    path = Path(path)
    tmp_name = None
    try:
        tmp_name = _write_temporary(path, data)
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (FAT, some network shares)
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                return False
            try:
                os.replace(tmp_name, path)
            except OSError:
                with contextlib.suppress(OSError):
                    if path.stat().st_size == 0:  # the name this call reserved, still empty: never leave it
                        path.unlink()
                raise
            tmp_name = None
        _fsync_folder(path.parent)
        return True
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileFault(path, f"could not create the file ({reason})") from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
