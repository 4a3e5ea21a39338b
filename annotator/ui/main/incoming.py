"""News as analysts receive it besides files: File → Open URL… (a web page fetched and kept as a file) and File → New
Document from Clipboard (the copied text kept as a ``.txt`` file).

Either way the document becomes a real file, then opens through the window's usual open path: in a project, a new
file in the project folder under a name the user confirms (the next free one offered: ``Talks (2).html``); outside a
project, where the save dialog says. A file is never written over (:func:`annotator.io.atomic.atomic_create_bytes`).

The page is fetched and converted off the GUI thread (an executor's worker waits on the fetch, then on the converter's
child process); the status bar says "Fetching <url>…" meanwhile and the window stays usable. The page's bytes are
saved unchanged, so the source record's SHA-256 names the saved file; its conversion (whose record holds the final
URL after redirects, under ``name`` and ``metadata["url"]``, and which read the page with the HTTP header's charset)
is handed to the open path with the file (``open_page``), so the document is that text, and its annotation file
names the URL. A file made in a project is announced (:attr:`Incoming.created`) before it opens, so the Documents
panel lists it at once.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from annotator.formats.checking import is_text
from annotator.io.atomic import atomic_create_bytes
from annotator.io.convert.fetched import FetchedPage, fetch_and_convert
from annotator.io.convert.source import ConversionError, Converted
from annotator.io.errors import FileFault
from annotator.project.layout import Project, safe_file_name
from annotator.ui.dialogs.questions import Questions
from annotator.ui.main.notices import Notices
from annotator.ui.main.workers import let_go, when_done
from annotator.ui.plain_text import NameSafeStatusBar, shown_name
from annotator.ui.timing import STATUS_TIMEOUT_MS

_BOM = "\ufeff"
#: Words of the clipboard's text that name its document by default, and the most characters of that name.
NAME_WORDS = 6
NAME_CHARS = 60
PAGE_FILTER = "Web pages (*.html *.htm)"
TEXT_FILTER = "Text files (*.txt)"


def page_name(url: str, converted: Converted) -> str:
    """The file name (without suffix) a fetched page is offered under: its title, else the last part of the URL's
    path, else the server's name; file-name safe; ``"page"`` when nothing is left."""
    parts = urllib.parse.urlsplit(url)
    last = PurePosixPath(urllib.parse.unquote(parts.path)).stem
    for candidate in (converted.source.metadata.get("title", ""), last, parts.hostname or ""):
        if name := safe_file_name(candidate, NAME_CHARS):
            return name
    return "page"


def with_scheme(address: str) -> tuple[str, bool]:
    """``(url, added)``: ``address`` with ``https://`` put before it when it names no scheme (``example.com/news``,
    ``//example.com/news``), as browsers do, and whether it was; an address with a scheme (``http://...``, even
    ``ftp://...``, which the fetch refuses with a message) is left as it is."""
    if "://" in address:
        return address, False
    return "https:" + address if address.startswith("//") else "https://" + address, True


def clipboard_name(text: str) -> str:
    """The file name (without suffix) offered for the clipboard's ``text``: its first :data:`NAME_WORDS` words (at
    most :data:`NAME_CHARS` characters), file-name safe; ``"Clipboard"`` when nothing is left."""
    words = re.findall(r"\w[\w'’-]*", text)[:NAME_WORDS]
    name = safe_file_name(" ".join(words)[:NAME_CHARS])
    return name or "Clipboard"


def free_name(folder: Path, stem: str, suffix: str) -> str:
    """``stem + suffix`` when no file of that name is in ``folder``, else the first free of ``stem (2)``,
    ``stem (3)``..."""
    number = 1
    while True:
        name = f"{stem}{suffix}" if number == 1 else f"{stem} ({number}){suffix}"
        if not (folder / name).exists():
            return name
        number += 1


def clipboard_plain_text() -> str:
    """The system clipboard's plain text (``text/plain``; never its HTML), as copied."""
    return QGuiApplication.clipboard().text()


class Incoming(QObject):
    """File → Open URL… and File → New Document from Clipboard.

    Parameters
    ----------
    questions: asks the URL, the file name in a project (:meth:`Questions.text`) or where to save outside one
        (:meth:`Questions.save_file`).
    notices, status: a plain-text message per failure; the status bar ("Fetching <url>…", an empty clipboard).
    project: the open project, or ``None``.
    start_folder: where a save dialog starts outside a project (the open document's folder), or ``None``.
    open_path: opens a file as File → Open does (the clipboard's ``.txt``).
    open_page: opens a saved page with its conversion (``(path, converted)``): the window's open path, told to use
        ``converted`` for the file instead of converting it again.
    clipboard_text: the clipboard's plain text (tests pass their own).
    executor: runs the fetch (default: one worker thread); tests pass one that runs it when told.

    Attributes
    ----------
    fetching: the URL being fetched, or ``""``.

    Signals
    -------
    fetched(str, object): a fetch ended (the URL and its future); queued to the GUI thread.
    created(object): a new file (its ``Path``) was written in the project folder, before it is opened (the window
        refreshes the project's document list).
    """

    fetched = Signal(str, object)
    created = Signal(object)

    def __init__(
        self,
        questions: Questions,
        notices: Notices,
        status: NameSafeStatusBar,
        project: Callable[[], Project | None],
        start_folder: Callable[[], Path | None],
        open_path: Callable[[Path], bool],
        open_page: Callable[[Path, Converted], bool],
        parent: QObject | None = None,
        clipboard_text: Callable[[], str] = clipboard_plain_text,
        executor: Executor | None = None,
        fetch: Callable[[str], FetchedPage] = fetch_and_convert,
    ) -> None:
        super().__init__(parent)
        self.questions = questions
        self.notices = notices
        self.status = status
        self._project = project
        self._start_folder = start_folder
        self._open_path = open_path
        self.open_page = open_page
        self.clipboard_text = clipboard_text
        self.executor = executor
        self._fetch = fetch
        self.fetching = ""
        self.fetched.connect(self._on_fetched)  # queued when emitted by the worker thread

    # -- File → Open URL… ---------------------------------------------------------------------------------------
    def open_url_dialog(self) -> None:
        """Ask a web address, then fetch and convert the page in the background (:meth:`_on_fetched` goes on)."""
        if self.fetching:
            self.status.showMessage(f"Still fetching {self.fetching}…", STATUS_TIMEOUT_MS)
            return
        url = self.questions.text("Open URL", "The web page's address (https:// is tried when none is given):", "")
        url = (url or "").strip()
        if not url:
            return
        url, added = with_scheme(url)
        self.fetching = url
        self.status.showMessage(
            f"Fetching {url}… (no http:// or https:// was given: trying https://)" if added else f"Fetching {url}…"
        )
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fetch")

        self.executor.submit(self._fetch, url).add_done_callback(
            when_done(lambda future: self.fetched.emit(url, future))
        )

    def _on_fetched(self, url: str, future: Future) -> None:
        """The fetch is back (on the GUI thread): save the page as a file and open it, or say why not."""
        self.fetching = ""
        self.status.clearMessage()
        error = future.exception()
        if isinstance(error, ConversionError):
            self.notices.show_message("Could not open the web page", str(error))
            return
        if error is not None:
            self.notices.show_message("Could not open the web page", f"{url}: {error}")
            return
        page: FetchedPage = future.result()
        path = self._create(page_name(url, page.converted), ".html", page.data, "web page", PAGE_FILTER)
        if path is not None:
            self.open_page(path, page.converted)

    # -- File → New Document from Clipboard ---------------------------------------------------------------------
    def new_from_clipboard(self) -> None:
        """Keep the clipboard's plain text, exactly as copied (a leading BOM left out), as a new ``.txt`` file and
        open it; an empty clipboard creates nothing (the status bar says so)."""
        text = self.clipboard_text().removeprefix(_BOM)
        if not text.strip():
            self.status.showMessage("The clipboard holds no text: no document was created.", STATUS_TIMEOUT_MS)
            return
        if not is_text(text):
            self.notices.show_message("Could not create the document", "The clipboard's text is not valid Unicode.")
            return
        content = (_BOM + text if text.startswith(_BOM) else text).encode("utf-8")  # reading removes one BOM
        path = self._create(clipboard_name(text), ".txt", content, "document", TEXT_FILTER)
        if path is not None:
            self._open_path(path)

    # -- files --------------------------------------------------------------------------------------------------
    def _create(self, stem: str, suffix: str, data: bytes, what: str, filters: str) -> Path | None:
        """Write ``data`` to a new file the user names (never over one); ``None`` when cancelled or not written
        (after saying why)."""
        project = self._project()
        if project is None:
            start = self._start_folder()
            name = f"{stem}{suffix}"
            path = self.questions.save_file(f"Save the {what} as", str(start / name if start else name), filters)
            if path is None:
                return None
            if path.suffix.lower() not in (suffix, ".htm" if suffix == ".html" else suffix):
                path = path.with_name(path.name + suffix)
            return path if self._write(path, data) else None
        caption = f"File name of the new {what} in the project folder {shown_name(project.name)}:"
        offered = free_name(project.root, stem, suffix)
        while True:
            answer = self.questions.text(f"New {what}", caption, offered)
            if answer is None:
                return None
            name = safe_file_name(answer.strip())
            if name and Path(name).suffix.lower() not in (suffix, ".htm" if suffix == ".html" else suffix):
                name += suffix
            if not name or name == suffix:
                caption = f"{shown_name(answer)} cannot name a file. File name of the new {what}:"
                continue
            path = project.root / name
            if path.exists() or path.is_symlink():
                offered = free_name(project.root, Path(name).stem, Path(name).suffix)
                caption = f"{shown_name(name)} already exists. File name of the new {what}:"
                continue
            if not self._write(path, data):
                return None
            self.created.emit(path)
            return path

    def _write(self, path: Path, data: bytes) -> bool:
        """Create ``path`` holding ``data``, complete or not at all, never over a file; say why when not."""
        try:
            created = atomic_create_bytes(path, data)
        except FileFault as fault:
            self.notices.show_message("Could not save the file", fault.message)
            return False
        if not created:
            self.notices.show_message(
                "Could not save the file", f"{path}: already exists, and is left as it is (choose another name)"
            )
        return created

    def shut_down(self) -> None:
        """The window closes: the fetches' worker thread is let go (one under way ends on its own, unheard)."""
        executor, self.executor = self.executor, None
        let_go(executor)
