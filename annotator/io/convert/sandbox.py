"""Running a converter in a child process with a time and a memory limit, so that a hostile file (a PDF that
loops, a zip bomb inside a DOCX, a huge page) is refused with a reason instead of hanging or crashing the app.

The child is started with multiprocessing's ``"spawn"`` method: a fresh interpreter that imports only what the
converter needs. ``fork`` would copy the parent as it is, with Qt's threads and whatever locks they hold at that
moment (a forked child of a threaded process can deadlock on a lock no thread will release, and Qt is not fork-safe);
spawn is also what Windows and macOS use, so the three platforms behave alike.

The parent sends the converter object and the source's bytes (our own data, pickled by multiprocessing); the child
sends back only JSON (the text and :meth:`SourceRecord.to_json`, or a refusal), read with :func:`json.loads`: the
parent never unpickles anything the child made, so a converter misled by its input cannot hand the parent code.

Limits: the time limit counts from the child's start (its interpreter and imports included, about a second) until
its answer; past it the child is killed. The memory limit is ``RLIMIT_AS`` (the child's address space), set with
:func:`resource.setrlimit` in the child before the conversion, on Linux and the BSDs. macOS accepts but does not
enforce ``RLIMIT_AS``, and Windows has no :mod:`resource`: there only the time limit applies.
"""

from __future__ import annotations

import contextlib
import json
import signal
import traceback
from typing import TYPE_CHECKING

from annotator.io.convert.source import ConversionError, Converted, Converter, SourceRecord

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: Seconds a conversion may take (child's start included) before it is refused.
DEFAULT_TIME_LIMIT = 60.0
#: Bytes of address space the child may use (1 GiB).
DEFAULT_MEMORY_LIMIT = 1 << 30
#: Seconds a child that answered has to exit before it is killed, and to wait for a killed child to be gone.
_EXIT_TIME = 1.0
_REAP_TIME = 5.0


def run_converter(
    converter: Converter,
    data: bytes,
    name: str,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
) -> Converted:
    """``converter.convert(data, name)`` run in a child process; blocks until it answers (call it off the GUI thread).

    ``converter`` must be picklable (a module-level class's instance); ``time_limit`` is in seconds,
    ``memory_limit`` in bytes (``None``: no memory limit).

    Raises
    ------
    ConversionError
        With ``source`` ``name`` and the reason: the converter's own refusal; "took longer than 60 s: refused";
        "needed more than 1 GB of memory: refused"; "the converter crashed: <its exception's last line>" (made one
        line) or "the converter crashed: it was killed by signal SIGSEGV" / "it exited with status 3".
    """
    import multiprocessing  # on first use: not imported to show the app's window (issue 22)

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_convert_in_child, args=(sender, converter, data, name, memory_limit), name="annotator-convert"
    )
    child.daemon = True  # never outlives the app
    answer: bytes | None = None
    try:
        child.start()
        sender.close()  # the child holds its own end: EOF here once it is gone
        answer = _answer(receiver, time_limit)
    finally:
        receiver.close()
        child.join(0 if answer is None else _EXIT_TIME)  # one that answered exits at once
        if child.is_alive():
            child.kill()
        child.join(_REAP_TIME)
    if answer is None:
        raise ConversionError(name, f"took longer than {time_limit:g} s: refused")
    if answer == b"":
        raise ConversionError(name, f"the converter crashed: {_death(child.exitcode)}")
    return _result(answer, name, memory_limit)


def _answer(receiver: Connection, time_limit: float) -> bytes | None:
    """The child's answer; ``b""`` if it died without one, ``None`` if its time ran out."""
    if not receiver.poll(time_limit):
        return None
    try:
        return receiver.recv_bytes()
    except (EOFError, OSError):
        return b""


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"it was killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"it was killed by signal {-exitcode}"
    return f"it exited with status {exitcode}"


def _result(answer: bytes, name: str, memory_limit: int | None) -> Converted:
    """The :class:`Converted` of the child's JSON ``answer``, or its refusal raised as :class:`ConversionError`."""
    try:
        message = json.loads(answer)
        if "converted" in message:
            converted = message["converted"]
            text = converted["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
            return Converted(text, SourceRecord.from_json(converted["source"]))
        if "refused" in message:
            error = ConversionError(str(message["source"]), str(message["refused"]))
        elif "memory" in message:
            error = ConversionError(name, f"needed more than {memory_words(memory_limit)} of memory: refused")
        else:
            error = ConversionError(name, f"the converter crashed: {message['crashed']}")
    except (ValueError, TypeError, KeyError) as fault:
        raise ConversionError(name, f"the converter answered something unreadable ({fault})") from None
    raise error


def memory_words(memory_limit: int | None) -> str:
    """``1 << 30`` as "1 GB", ``256 << 20`` as "256 MB" (binary units, written the way people say them)."""
    if memory_limit is None:
        return "the memory available"
    if memory_limit >= 1 << 30 and memory_limit % (1 << 30) == 0:
        return f"{memory_limit >> 30} GB"
    return f"{memory_limit / (1 << 20):.0f} MB"


def _limit_memory(memory_limit: int | None) -> None:
    """Sets ``RLIMIT_AS`` of this process (the child) where :mod:`resource` exists (module docstring)."""
    if memory_limit is None:
        return
    try:
        import resource
    except ImportError:  # Windows: the time limit only
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
    with contextlib.suppress(ValueError, OSError):  # a platform that refuses it (macOS, some): the time limit only
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _convert_in_child(sender: Connection, converter: Converter, data: bytes, name: str, limit: int | None) -> None:
    """The child's work: convert, and send one JSON answer (``converted``, ``refused``, ``memory`` or
    ``crashed``)."""
    import logging

    logging.disable(logging.CRITICAL)  # libraries' warnings about a page are not the user's business here
    answer: dict[str, object]
    try:
        _limit_memory(limit)
        result = converter.convert(data, name)
        answer = {"converted": {"text": result.text, "source": result.source.to_json()}}
        message = json.dumps(answer).encode("utf-8")
    except ConversionError as refusal:
        message = json.dumps({"refused": refusal.reason, "source": refusal.source}).encode("utf-8")
    except MemoryError:
        del data
        message = b'{"memory": true}'
    except BaseException as error:  # the converter's fault, whatever it is: reported, never raised in the app
        last = traceback.format_exception_only(type(error), error)[-1]
        message = json.dumps({"crashed": " ".join(last.split())}).encode("utf-8")  # on one line
    try:
        sender.send_bytes(message)
    finally:
        sender.close()
