"""Streams for the storage tests."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

BLOCK = 64 * 1024


class IterStream:
    """A read-only binary stream over an iterable of byte blocks. ``read(n)`` returns at
    most one block (short reads, like a socket), so nothing is ever held whole."""

    def __init__(self, blocks: Iterable[bytes]) -> None:
        self._blocks = iter(blocks)
        self._pending = b""

    def read(self, size: int = -1, /) -> bytes:
        if not self._pending:
            self._pending = next(self._blocks, b"")
        if size is None or size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


def generated_blocks(size: int, seed: str = "portal") -> Iterator[bytes]:
    """``size`` bytes of varied, reproducible content, made block by block."""
    counter = 0
    while size > 0:
        block = hashlib.sha256(f"{seed}:{counter}".encode()).digest() * (BLOCK // 32)
        counter += 1
        yield block[:size]
        size -= len(block[:size])


def sha256_of_blocks(blocks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for block in blocks:
        digest.update(block)
    return digest.hexdigest()
