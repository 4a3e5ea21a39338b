"""Converters for the sandbox's tests: each misbehaves in one way (module-level classes, so that the spawned child
can import them)."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from annotator.io.convert.source import ConversionError, Converted, SourceRecord, sha256_hex


@dataclass(frozen=True)
class Upper:
    """Behaves: the text in capitals."""

    kind: str = "test"
    suffixes: tuple[str, ...] = (".up",)

    def convert(self, data: bytes, name: str) -> Converted:
        record = SourceRecord(self.kind, name, sha256_hex(data), "upper", "1.0", left_out=("nothing",))
        return Converted(data.decode("utf-8").upper(), record)


@dataclass(frozen=True)
class Looping(Upper):
    """Never returns."""

    def convert(self, data: bytes, name: str) -> Converted:
        while True:
            pass


@dataclass(frozen=True)
class Greedy(Upper):
    """Allocates 16 MB at a time, up to 4 GB (then gives up, so that a platform without the limit survives)."""

    def convert(self, data: bytes, name: str) -> Converted:
        hoard = [bytearray(16 << 20) for _ in range(256)]
        raise RuntimeError(f"no memory limit: {len(hoard)} blocks allocated")


@dataclass(frozen=True)
class Raising(Upper):
    """Fails with an exception of its own."""

    def convert(self, data: bytes, name: str) -> Converted:
        raise ValueError("bad table at byte 12\nsecond line")


@dataclass(frozen=True)
class Refusing(Upper):
    """Refuses its input as converters do."""

    def convert(self, data: bytes, name: str) -> Converted:
        raise ConversionError(name, "an encrypted PDF: refused")


@dataclass(frozen=True)
class Killing(Upper):
    """Kills its own process (as a crash in a C library would)."""

    def convert(self, data: bytes, name: str) -> Converted:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Exiting(Upper):
    """Leaves with an exit status and no answer."""

    def convert(self, data: bytes, name: str) -> Converted:
        os._exit(3)
