"""Where `n`/`N` go: the next hit in the open section, else on into the next result.

Pure functions over counts and ids, so every edge (no hits, the last hit, the last
result, a section not among the results) is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HitStep:
    """What one press of n/N does. Exactly one of `hit` and `section` is set, or neither
    when there is nothing to step to."""

    hit: int | None = None
    """Make this hit of the open section the current one."""
    section: str | None = None
    """Open this result, at its first hit (`last` False) or its last one."""
    last: bool = False
    wrapped: bool = False
    """Stepping went past the last (or first) result and came round again."""


def step_hit(
    hit_count: int,
    current: int | None,
    step: int,
    result_ids: list[str],
    open_id: str | None,
) -> HitStep:
    """The hit `step` (+1 or -1) away from `current` among `hit_count` hits in the open
    section; past either end, the first hit of the next result (or the last of the
    previous one), wrapping round the results."""
    if hit_count and current is not None and 0 <= current + step < hit_count:
        return HitStep(hit=current + step)
    if not result_ids:
        return HitStep()
    here = result_ids.index(open_id) if open_id in result_ids else None
    target = (0 if step > 0 else len(result_ids) - 1) if here is None else here + step
    wrapped = not 0 <= target < len(result_ids)
    target %= len(result_ids)
    if result_ids[target] == open_id and hit_count:
        return HitStep(hit=0 if step > 0 else hit_count - 1, wrapped=wrapped)
    return HitStep(section=result_ids[target], last=step < 0, wrapped=wrapped)
