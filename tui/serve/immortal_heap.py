"""Immortal template objects: sessions forked from the template stop copying its pages
merely by using its objects (CPython 3.12 and 3.13).

CPython keeps a reference count inside every object, so a forked session that only reads
an object (calls a function, looks up a class, formats with a string) still writes to the
object's page, and the kernel copies that page for the session. On 3.11 that is about
20 MiB of the template's heap per session after a search (`benchmarks/session_cpu.py
--search`). Since 3.12 (PEP 683) an object whose count holds the immortal value is never
counted again. The template marks every object it can reach as immortal once, just before
it starts forking; a session then copies a page only where it really changes an object.
The marked objects are never freed, which suits a template: they live as long as it does.

Python has no public call for this, so the count is written with ctypes, and only where
the object header is known to be `ob_refcnt` first and the immortal value is the one this
interpreter itself reports for None: CPython 3.12 or 3.13, 64-bit, with the GIL, not a
debug build. Anywhere else nothing is marked and sessions cost what they did.
"""

from __future__ import annotations

import gc
import sys
import sysconfig

IMMORTAL_COUNT = 0xFFFF_FFFF  # _Py_IMMORTAL_REFCNT on 64-bit CPython 3.12 and 3.13


def supported() -> bool:
    """Whether this interpreter's objects can be marked immortal safely."""
    return (
        sys.implementation.name == "cpython"
        and (3, 12) <= sys.version_info[:2] <= (3, 13)
        and sys.maxsize > 2**32
        and not sysconfig.get_config_var("Py_GIL_DISABLED")  # another header layout
        and not hasattr(sys, "gettotalrefcount")  # debug builds count differently
        and sys.getrefcount(None) == IMMORTAL_COUNT  # the value this build really uses
    )


def immortalize_reachable() -> int:
    """Mark every object reachable from the collector's objects as immortal; returns how
    many were marked (0 where unsupported). Call it last, after a collection, with no
    thread running: a count written while another thread changes it would be lost."""
    if not supported():
        return 0
    import ctypes

    pending = gc.get_objects()  # modules, classes, functions and containers
    marked = 0
    while pending:
        obj = pending.pop()
        # An immortal count doubles as "already seen": no set of ids that would itself
        # take megabytes and leave holes that sessions then fill.
        if sys.getrefcount(obj) >= IMMORTAL_COUNT:
            continue
        ctypes.c_ssize_t.from_address(id(obj)).value = IMMORTAL_COUNT
        marked += 1
        pending.extend(gc.get_referents(obj))
    return marked
