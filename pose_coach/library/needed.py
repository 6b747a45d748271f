"""The library as one session sees it, read in part: what ``drill ID`` needs to start.

A session needs its drill or routine and whatever that includes; and, to warn as every
command does, the user's own files: the broken ones, ids defined twice, folders that
cannot be read. So ``session_catalog`` reads every user folder as ``load_catalog`` does
(through the index) and, of the built-in library, only the files the session and the
user's routines name. A built-in file is found by its name: its id is its file name and
it is valid (``tests/library/test_builtin_library.py`` checks both), so the other
built-in files cannot change the answer.

Whenever the answer could differ from the whole library's, the whole library is loaded
instead: a user id that is also a built-in one (shadowing, which built-in routines
including it must see), an id the session asks for that is not there or of the other
kind (its "did you mean" weighs every id), a routine set aside (the same), a built-in
folder that cannot be read, a built-in file that does not load.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pose_coach.errors import DrillFileError
from pose_coach.library.catalog import (
    Catalog,
    FolderError,
    LibraryFile,
    _loader,
    check_references,
    load_catalog,
    scan_folder,
)
from pose_coach.library.index import load_some
from pose_coach.library.model import ItemKind, Routine
from pose_coach.paths import library_dirs


class _Whole(Exception):
    """The part read cannot be trusted to answer as the whole library would."""


def session_catalog(
    entry_id: str, kind: str | None = None, folders: Iterable[tuple[str, Path]] | None = None
) -> Catalog:
    """A Catalog that answers ``get(entry_id, kind)`` and ``warnings(entry_id)`` as
    ``load_catalog()`` would, holding every valid user entry and the built-in entries
    the session (and the user's routines) need."""
    dirs = list(folders if folders is not None else library_dirs())
    try:
        return _partial(entry_id, kind, dirs)
    except _Whole:
        return load_catalog(dirs)


def _partial(entry_id: str, kind: str | None, dirs: list[tuple[str, Path]]) -> Catalog:
    builtin = [folder for origin, folder in dirs if origin == "builtin"]
    users = [(origin, folder) for origin, folder in dirs if origin != "builtin"]
    if len(builtin) != 1 or dirs[0][0] != "builtin":
        raise _Whole()  # not the usual search path: nothing to save
    folder = builtin[0]
    real = os.path.realpath(folder)
    if any(os.path.realpath(user) == real for _, user in users):
        raise _Whole()  # the built-in folder listed again as a user folder
    try:
        files = scan_folder(folder)
    except FolderError:
        raise _Whole() from None
    by_id: dict[str, list[LibraryFile]] = {}
    for file in files:
        by_id.setdefault(file.path.stem, []).append(file)
    catalog = load_catalog(users, check=False)
    user_ids = set(catalog.entries) | set(catalog.conflicts) | set(catalog.broken_ids())
    if user_ids & set(by_id):
        raise _Whole()  # a user file shadows (or breaks) a built-in id
    for entry in catalog.entries.values():
        # a user file that links to a built-in one is read once, as the built-in
        if os.path.islink(entry.source):
            target = os.path.realpath(entry.source)
            if target.startswith(real + os.sep):
                raise _Whole()
    wanted = {entry_id}
    for entry in catalog.entries.values():
        if isinstance(entry, Routine):
            wanted |= {item.target for item in entry.items if item.kind is not ItemKind.REST}
    seen: set[str] = set()
    while wanted:  # level by level, one reading of the index per level
        level = sorted(ref for ref in wanted if ref in by_id and ref not in seen)
        seen.update(level)
        wanted = set()
        if any(len(by_id[ref]) != 1 for ref in level):
            raise _Whole()  # two built-in files of one name (x.yaml and x.yml)
        batch = [by_id[ref][0] for ref in level]
        loaded_batch = load_some(folder, "builtin", batch, _loader("builtin"))
        for ref, loaded in zip(level, loaded_batch, strict=True):
            if isinstance(loaded, DrillFileError) or loaded.id != ref:
                raise _Whole()
            catalog.entries[ref] = loaded
            if isinstance(loaded, Routine):
                wanted |= {it.target for it in loaded.items if it.kind is not ItemKind.REST}
    asked = catalog.entries.get(entry_id)
    if asked is None:
        if entry_id not in catalog.conflicts and catalog.broken_error(entry_id) is None:
            raise _Whole()  # unknown: "did you mean" needs every id
    elif kind is not None and asked.kind != kind:
        raise _Whole()
    before = len(catalog.broken)
    check_references(catalog)
    if len(catalog.broken) != before:
        raise _Whole()  # a routine set aside: its message may weigh the whole library
    return catalog
