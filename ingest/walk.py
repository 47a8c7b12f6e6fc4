"""Expand the paths a user gave into the input files to read.

Folders are walked recursively in sorted (deterministic, case-insensitive)
order. Hidden
entries and Office lock files inside folders are skipped; symbolic links are
followed, but no real folder or file is visited twice, so link loops end.
Problems (missing paths, broken links, unreadable folders or files) are
yielded as :class:`~ingest.models.IngestError` values: the walk never raises,
so one bad path does not stop a batch.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.models import IngestError
from ingest.read import display_path

__all__ = ["DEFAULT_SUFFIXES", "iter_inputs"]

DEFAULT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

# Names skipped inside folders: hidden files (".git", ".DS_Store") and the
# owner/lock files Word leaves beside an open document ("~$báo cáo.docx").
_SKIPPED_PREFIXES = (".", "~$")

_Identity = tuple[int, int]  # (st_dev, st_ino): one real file or folder


def iter_inputs(
    paths: Sequence[str | Path], *, suffixes: Sequence[str] = DEFAULT_SUFFIXES
) -> Iterator[Path | IngestError]:
    """Yield the files to read under ``paths``, and an error for each problem.

    A file named explicitly is yielded whatever its extension (reading it
    then says what is wrong); inside folders only names ending in one of
    ``suffixes`` (case-insensitive) are.

    Args:
        paths: files and folders, in the order given.
        suffixes: extensions to take from folders.

    Yields:
        A ``Path`` for each input file, or an ``IngestError`` for each path
        that cannot be used. Never raises.
    """
    wanted = frozenset(s.lower() for s in suffixes)
    seen: set[_Identity] = set()
    for raw in paths:
        yield from _walk_one(raw, wanted, seen)


def _walk_one(
    raw: str | Path, wanted: frozenset[str], seen: set[_Identity]
) -> Iterator[Path | IngestError]:
    if str(raw) == "":
        yield IngestError("", "empty path", "give a file or folder name")
        return
    path = Path(raw)
    st = _stat(path)
    if isinstance(st, IngestError):
        yield st
    elif stat.S_ISDIR(st.st_mode):
        yield from _walk_dir(path, st, wanted, seen)
    elif stat.S_ISREG(st.st_mode):
        if _first_visit(st, seen):
            yield _readable(path)
    else:
        yield IngestError(
            display_path(path),
            "not a regular file or folder (device, pipe or socket)",
            "copy the content into a file first",
        )


def _walk_dir(
    root: Path, st: os.stat_result, wanted: frozenset[str], seen: set[_Identity]
) -> Iterator[Path | IngestError]:
    """Depth-first, sorted, with an explicit stack (any depth works)."""
    if not _first_visit(st, seen):
        return
    listing = _list(root)
    if isinstance(listing, IngestError):
        yield listing
        return
    stack = [iter(listing)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith(_SKIPPED_PREFIXES):
            continue
        est = _stat(entry)
        if isinstance(est, IngestError):
            yield est
        elif stat.S_ISDIR(est.st_mode):
            if _first_visit(est, seen):
                sub = _list(entry)
                if isinstance(sub, IngestError):
                    yield sub
                else:
                    stack.append(iter(sub))
        elif (
            stat.S_ISREG(est.st_mode) and entry.suffix.lower() in wanted and _first_visit(est, seen)
        ):
            yield _readable(entry)


def _first_visit(st: os.stat_result, seen: set[_Identity]) -> bool:
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _stat(path: Path) -> os.stat_result | IngestError:
    """``os.stat`` following links, or the error that explains why not."""
    name = display_path(path)
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return IngestError(
                name, "broken symbolic link (its target does not exist)", "fix or remove the link"
            )
        return IngestError(name, "file or folder not found", "check the path")
    except PermissionError:
        return IngestError(
            name,
            "permission denied",
            "make the parent folders searchable (chmod +x) or leave it out",
        )
    except OSError as e:
        if e.errno == errno.ELOOP:
            return IngestError(name, "symbolic link loop", "fix the links")
        return IngestError(name, f"cannot open ({e.strerror or e})", "check the path")
    except ValueError as e:  # e.g. an embedded NUL byte in the name
        return IngestError(name, f"invalid path ({e})", "check the path")


def _list(folder: Path) -> list[Path] | IngestError:
    try:
        names = sorted(os.listdir(folder), key=_sort_key)
    except PermissionError:
        return IngestError(
            str(folder),
            "permission denied: cannot list the folder",
            "make it readable (chmod +rx) or leave it out",
        )
    except OSError as e:
        return IngestError(
            str(folder), f"cannot list the folder ({e.strerror or e})", "check the folder"
        )
    return [folder / n for n in names]


def _sort_key(name: str) -> tuple[str, str]:
    """Case-insensitive order, the same for NFC and NFD names (macOS writes NFD);
    the raw name breaks ties so the order is total."""
    return unicodedata.normalize("NFC", name).casefold(), name


def _readable(path: Path) -> Path | IngestError:
    if os.access(path, os.R_OK):
        return path
    return IngestError(
        display_path(path), "permission denied", "make the file readable (chmod +r) or leave it out"
    )
