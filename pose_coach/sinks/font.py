"""Block letters for the live view: the time left and the cue, readable across a room.

Two bitmap fonts, drawn with the half-block characters ``▀ ▄ █``: each terminal cell
holds two pixels stacked, so a pixel ``scale`` columns wide is ``scale`` half-rows
tall and stays square on a cell about twice as tall as it is wide. Any whole scale
is exact (no resampling), which is how the digits grow with the window.

- ``DIGITS``: 5×7 figures and ``:``, for the time: 4 rows at scale 1, 7 at 2, 18 at 5.
- ``LETTERS``: 3×5 capitals (M, N, W wider), figures and punctuation, for the cue and
  the leg: 3 rows at scale 1, 5 at 2.

A font of our own rather than FIGlet fonts (pyfiglet): these scale to any size the
window allows, draw a frame's block text in tens of microseconds with no font files to
parse, and cost nothing at start-up (pyfiglet: ~27 ms to import, fixed sizes per font).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# typographic forms drill files may use, drawn as their plain glyph
_SAME_AS = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}

_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def normalise(text: str) -> str:
    """``text`` in the fonts' alphabet: capitals, typographic quotes and dashes plain."""
    return "".join(_SAME_AS.get(ch, ch) for ch in text.upper())


@dataclass(frozen=True, eq=False)  # compared by identity: a cache key
class Font:
    """Glyphs as rows of pixels, ``#`` on and ``.`` off, all ``height`` rows tall."""

    glyphs: Mapping[str, tuple[str, ...]]

    @property
    def height(self) -> int:
        return len(next(iter(self.glyphs.values())))

    def drawable(self, text: str) -> bool:
        return all(ch in self.glyphs for ch in normalise(text))

    def rows(self, scale: int) -> int:
        """Terminal rows of one line of block text at ``scale``."""
        return (self.height * scale + 1) // 2

    def width(self, text: str, scale: int) -> int:
        """Columns of ``text`` in block letters: glyphs one pixel apart."""
        text = normalise(text)
        if not text:
            return 0
        return scale * (sum(len(self.glyphs[ch][0]) for ch in text) + len(text) - 1)

    def render(self, text: str, scale: int) -> list[str]:
        """``text`` as ``rows(scale)`` lines of block characters, all one width.

        Every character must be ``drawable``. Cached: a countdown shows the same few
        strings again and again.
        """
        return list(_render(self, normalise(text), scale))

    def wrap(self, text: str, scale: int, columns: int) -> list[str] | None:
        """``text`` broken at spaces into lines that fit ``columns`` at ``scale``; None
        when a word alone is too wide or a character has no glyph."""
        if not self.drawable(text):
            return None
        lines: list[str] = []
        for word in text.split():
            if self.width(word, scale) > columns:
                return None
            if lines and self.width(f"{lines[-1]} {word}", scale) <= columns:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return lines


@lru_cache(maxsize=256)
def _render(font: Font, text: str, scale: int) -> tuple[str, ...]:
    # one bitmap row per pixel row: glyphs side by side, one blank pixel between them
    bitmap = []
    for r in range(font.height):
        row = ".".join(font.glyphs[ch][r] for ch in text)
        bitmap.append("".join(px * scale for px in row))
    # each pixel row is ``scale`` half-rows tall; half-rows pair up into terminal rows
    halves = [row for row in bitmap for _ in range(scale)]
    if len(halves) % 2:
        halves.append("." * len(halves[0]))
    return tuple(
        "".join(_HALVES[a == "#", b == "#"] for a, b in zip(top, bottom, strict=True))
        for top, bottom in zip(halves[::2], halves[1::2], strict=True)
    )


DIGITS = Font(
    {
        "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
        "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
        "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
        "3": (".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."),
        "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
        "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
        "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
        "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
        "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
        "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
        ":": ("..", "##", "##", "..", "##", "##", ".."),
    }
)

LETTERS = Font(
    {
        "A": (".#.", "#.#", "###", "#.#", "#.#"),
        "B": ("##.", "#.#", "##.", "#.#", "##."),
        "C": (".##", "#..", "#..", "#..", ".##"),
        "D": ("##.", "#.#", "#.#", "#.#", "##."),
        "E": ("###", "#..", "##.", "#..", "###"),
        "F": ("###", "#..", "##.", "#..", "#.."),
        "G": (".##", "#..", "#.#", "#.#", ".##"),
        "H": ("#.#", "#.#", "###", "#.#", "#.#"),
        "I": ("###", ".#.", ".#.", ".#.", "###"),
        "J": ("..#", "..#", "..#", "#.#", ".#."),
        "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
        "L": ("#..", "#..", "#..", "#..", "###"),
        "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
        "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
        "O": (".#.", "#.#", "#.#", "#.#", ".#."),
        "P": ("##.", "#.#", "##.", "#..", "#.."),
        "Q": (".#.", "#.#", "#.#", ".#.", "..#"),
        "R": ("##.", "#.#", "##.", "#.#", "#.#"),
        "S": (".##", "#..", ".#.", "..#", "##."),
        "T": ("###", ".#.", ".#.", ".#.", ".#."),
        "U": ("#.#", "#.#", "#.#", "#.#", "###"),
        "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
        "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
        "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
        "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
        "Z": ("###", "..#", ".#.", "#..", "###"),
        "0": ("###", "#.#", "#.#", "#.#", "###"),
        "1": (".#.", "##.", ".#.", ".#.", "###"),
        "2": ("##.", "..#", ".#.", "#..", "###"),
        "3": ("##.", "..#", ".#.", "..#", "##."),
        "4": ("#.#", "#.#", "###", "..#", "..#"),
        "5": ("###", "#..", "##.", "..#", "##."),
        "6": (".##", "#..", "###", "#.#", "###"),
        "7": ("###", "..#", ".#.", ".#.", ".#."),
        "8": ("###", "#.#", "###", "#.#", "###"),
        "9": ("###", "#.#", "###", "..#", "##."),
        " ": ("..", "..", "..", "..", ".."),
        ",": ("..", "..", "..", ".#", "#."),
        ".": (".", ".", ".", ".", "#"),
        "'": ("#", "#", ".", ".", "."),
        '"': ("#.#", "#.#", "...", "...", "..."),
        "-": ("...", "...", "###", "...", "..."),
        "+": ("...", ".#.", "###", ".#.", "..."),
        "=": ("...", "###", "...", "###", "..."),
        "/": ("..#", "..#", ".#.", "#..", "#.."),
        "!": ("#", "#", "#", ".", "#"),
        "?": ("##.", "..#", ".#.", "...", ".#."),
        ":": (".", "#", ".", "#", "."),
        ";": (".", "#", ".", "#", "#"),
        "(": (".#", "#.", "#.", "#.", ".#"),
        ")": ("#.", ".#", ".#", ".#", "#."),
        "%": ("#.#", "..#", ".#.", "#..", "#.#"),
        "&": (".#.", "#.#", ".#.", "#.#", ".##"),
    }
)
