"""Shared helpers for the storage tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from companion.storage import atomic
from companion.storage import format as vault_format

PASSPHRASE = "correct horse battery staple"
MARKER = b"ZQX-PRIVATE-MARKER-7f3a"


def image_with(marker: bytes = MARKER, size: int = 4096, gen: int = 0) -> bytes:
    """A fake SQLite image containing a marker and a generation number."""
    head = b"SQLite format 3\x00" + f"gen={gen:08d};".encode() + marker
    filler = (hashlib.sha256(head).digest() * (size // 32 + 1))[: max(0, size - len(head))]
    return head + filler


def gen_of(image: bytes) -> int:
    start = image.index(b"gen=") + 4
    return int(image[start : start + 8])


def split(data: bytes) -> tuple[bytes, dict[str, Any], bytes]:
    """(prefix 14 bytes, header object, everything after the checksum)."""
    _, _, hlen = struct.unpack_from(">8sHI", data)
    header = json.loads(data[14 : 14 + hlen])
    return data[:14], header, data[14 + hlen + 32 :]


def aad_end(data: bytes) -> int:
    _, _, hlen = struct.unpack_from(">8sHI", data)
    return 14 + hlen + 32


def with_header_bytes(data: bytes, raw_header: bytes, *, version: int = 1) -> bytes:
    """Replace the header and recompute the checksum (a deliberate tamper)."""
    rest = data[aad_end(data) :]
    prefix = struct.pack(">8sHI", vault_format.MAGIC, version, len(raw_header)) + raw_header
    return prefix + hashlib.sha256(prefix).digest() + rest


def with_header(data: bytes, mutate: Callable[[dict[str, Any]], object]) -> bytes:
    _, header, _ = split(data)
    mutate(header)
    return with_header_bytes(data, vault_format.canonical(header))


def tree_snapshot(directory: Path) -> dict[str, bytes]:
    """Every regular file below ``directory`` (relative name → content)."""
    out: dict[str, bytes] = {}
    for root, _dirs, files in os.walk(directory):
        for name in files:
            p = Path(root) / name
            out[str(p.relative_to(directory))] = p.read_bytes()
    return out


def temp_files(directory: Path) -> list[Path]:
    found: list[Path] = []
    for folder in (directory, directory / "backups"):
        if folder.is_dir():
            found += [p for p in folder.iterdir() if atomic.TEMP_RE.match(p.name)]
    return found


def kill_while_saving(
    child: Callable[[Path, int, int], None], path: Path, on_disk: int, within_s: float
) -> list[int]:
    """Fork a process that runs ``child(path, on_disk, write_fd)`` (saving generation after
    generation and writing each acknowledged one to the pipe), kill -9 it after ``within_s``
    seconds, and return the generations it acknowledged before it died."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(rfd)
        child(path, on_disk, wfd)
    os.close(wfd)
    deadline = time.monotonic() + within_s
    buf = b""
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([rfd], [], [], remaining)
        if ready:
            chunk = os.read(rfd, 4096)
            if not chunk:
                break
            buf += chunk
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        while chunk := os.read(rfd, 4096):
            buf += chunk
    os.close(rfd)
    return [int(x) for x in buf.decode().split()]
