"""Hybrid logical clock values: physical milliseconds, a counter and the device, ordered as strings."""

from __future__ import annotations

from dataclasses import dataclass

# Fixed-width fields make the string order equal the clock order, so SQL and Python compare
# HLCs as plain text.
_MS_WIDTH = 13
_COUNTER_WIDTH = 6


@dataclass(frozen=True, order=True, slots=True)
class Hlc:
    ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.ms:0{_MS_WIDTH}d}-{self.counter:0{_COUNTER_WIDTH}d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        ms, counter, device = text.split("-", 2)
        if len(ms) != _MS_WIDTH or len(counter) != _COUNTER_WIDTH or not device:
            raise ValueError(f"not a hybrid logical clock: {text!r}")
        return cls(int(ms), int(counter), device)

    def __str__(self) -> str:
        return self.encode()


def physical_ms(encoded: str) -> int:
    """The wall-clock part of an encoded HLC, for drift checks."""
    return int(encoded[:_MS_WIDTH])


ZERO = Hlc(0, 0, "0").encode()
