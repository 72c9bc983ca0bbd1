"""A spend series: consecutive periods from `first_period`, a missing period counting as zero spend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .periods import Interval, add_periods


@dataclass(frozen=True)
class Series:
    id: str
    interval: Interval
    first_period: dt.date
    values: np.ndarray
    source: str

    def __len__(self) -> int:
        return len(self.values)

    def period(self, index: int) -> dt.date:
        return add_periods(self.first_period, self.interval, index)

    def head(self, length: int) -> Series:
        """The history as it was when the first `length` periods were known."""
        return Series(self.id, self.interval, self.first_period, self.values[:length], self.source)

    def window(self, start: int, stop: int) -> Series:
        """Periods `start .. stop-1` as a series of their own (a shorter history ending at the same place)."""
        return Series(self.id, self.interval, self.period(start), self.values[start:stop], self.source)
