"""The result columns of a run, filled row by row or by arrays.

A run's text results (headings, status, message) repeat a few thousand distinct texts
over millions of rows: with numpy they are held as numbers into one list of texts
(:class:`Words`), and become a table's column by one array take, not a Python string
per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["TEXTS", "Columns", "Words"]

#: The text columns of a result.
TEXTS = ("headings", "status", "message")


class Words:
    """Distinct texts, numbered in order of first use; ``""`` is number 0.

    Example:
        >>> words = Words()
        >>> words.number("ok"), words.number("unknown"), words.number("ok"), words.texts
        (1, 2, 1, ['', 'ok', 'unknown'])
    """

    __slots__ = ("_numbers", "texts")

    def __init__(self) -> None:
        self.texts: list[str] = [""]
        self._numbers: dict[str, int] = {"": 0}

    def number(self, text: str) -> int:
        """The number of ``text`` (a new one if it is new)."""
        found = self._numbers.get(text)
        if found is None:
            found = self._numbers[text] = len(self.texts)
            self.texts.append(text)
        return found

    def added(self, texts: list[str]) -> Any:
        """Numbers for ``texts``, each added as it is, not looked up (a numpy array).

        For texts a run makes by the ten thousand, mostly distinct (a line's headings):
        a text added twice has two numbers, which read the same.

        Example:
            >>> words = Words()
            >>> words.added(["a b", "c"]).tolist(), words.texts
            ([1, 2], ['', 'a b', 'c'])
        """
        import numpy as np

        start = len(self.texts)
        self.texts += texts
        return np.arange(start, len(self.texts), dtype=np.int32)

    def numbers(self, texts: Any) -> Any:
        """The numbers of ``texts`` (an iterable of text), as a numpy array."""
        import numpy as np

        number = self.number
        return np.fromiter((number(t) for t in texts), dtype=np.int32)


class Columns:
    """A run's result columns: ``rate``, ``duty``, the :data:`TEXTS`, each layer's duty.

    Without ``numbered``, plain lists. With it (numpy present), ``rate``, ``duty`` and the
    layers are object arrays and each text column is an array of numbers into
    ``words``; :meth:`text` gives a text column's cells, :meth:`listed` all as lists.
    """

    def __init__(self, n: int, numbered: bool = False) -> None:
        self.n = n
        self.words = Words()
        self.numbered = numbered
        filled: Callable[[object], Any]
        if numbered:
            import numpy as np

            def filled(value: object) -> Any:
                return np.full(n, value, dtype=object)

            self.headings: Any = np.zeros(n, dtype=np.int32)
            self.status: Any = np.zeros(n, dtype=np.int32)
            self.message: Any = np.zeros(n, dtype=np.int32)
        else:

            def filled(value: object) -> Any:
                return [value] * n

            self.headings, self.status, self.message = filled(""), filled(""), filled("")
        self._filled = filled
        self.rate: Any = filled(None)
        self.duty: Any = filled(None)
        self.layers: dict[str, Any] = {}
        # Each row's currency as a number into a few distinct codes, when numbered: a
        # table's column of them is one take, not a string per row.
        self.currencies: tuple[Any, list[str]] | None = None

    def layer(self, name: str) -> Any:
        """The duty column of one layer (made empty when first asked for)."""
        column = self.layers.get(name)
        if column is None:
            column = self.layers[name] = self._filled(None)
        return column

    def text(self, name: str) -> Any:
        """A text column's cells: a list, or an object array when numbered."""
        cells = getattr(self, name)
        if not self.numbered:
            return cells
        import numpy as np

        return np.asarray(self.words.texts, dtype=object)[cells]

    def resolved(self) -> Any:
        """Which rows are resolved (status ``ok``), as a numpy array of booleans."""
        import numpy as np

        if self.numbered:
            return self.status == self.words.number("ok")
        return np.asarray(self.status, dtype=object) == "ok"

    def listed(self) -> Columns:
        """The same columns as lists (the layers stay as they are)."""
        if not self.numbered:
            return self
        done = Columns(self.n)
        done.rate, done.duty = self.rate.tolist(), self.duty.tolist()
        for name in TEXTS:
            setattr(done, name, self.text(name).tolist())
        done.layers = dict(self.layers)  # object arrays: a panel has millions of rows
        return done

    def put(self, row: int, outcome: Any) -> None:
        """Write one row's answer (an ``Outcome``)."""
        self.rate[row], self.duty[row] = outcome.rate, outcome.duty
        if self.numbered:
            number = self.words.number
            self.status[row] = number(outcome.status)
            self.headings[row] = number(outcome.headings)
            self.message[row] = number(outcome.message)
        else:
            self.status[row], self.headings[row] = outcome.status, outcome.headings
            self.message[row] = outcome.message
        for layer, amount in outcome.layers.items():
            self.layer(layer)[row] = amount
