"""How the ``cartera`` command asks the C library to keep the memory it frees.

glibc hands every block above 32 MB out of fresh pages of the kernel (``mmap``) and gives it
back when freed, so each ten-million-row column is zeroed by the kernel again: on the
benchmark machine a third of cleaning 10 M rows went there. A batch command can keep freed
blocks for its next ones instead. A library must not change its host's allocator, so
:func:`cartera.clean` and the rest leave it alone; a notebook can ask for the same with the
environment variables ``MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=2147483647``
(docs/command-line.md, "Memory").
"""

from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> bool:
    """Blocks up to 1 GiB come from the process's heap and freed memory stays with it (up to
    2 GiB free at its top); False where the C library is not glibc."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_MMAP_THRESHOLD, 1 << 30)) and bool(mallopt(_M_TRIM_THRESHOLD, (1 << 31) - 1))
