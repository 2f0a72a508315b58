"""How far an actual value fulfils an indicator's target (完成率): its own figure, shown beside a
task's 完成进度 and never blended into it. No Django."""

from decimal import Decimal


def completion_percent(
    ind_comparator: str, target: Decimal, actual: Decimal | None
) -> float | None:
    """How far `actual` fulfils the target, 0–100 (capped at 100); None without an actual.

    ">=" / "about": actual/target*100 (target 0 → 100 if actual >= 0); "<=": 100 when
    actual <= target, else target/actual*100 (actual 0 → 100).
    """
    if actual is None:
        return None
    target = _as_decimal(target)
    actual = _as_decimal(actual)
    if ind_comparator in (">=", "about"):
        if target == 0:
            return 100.0 if actual >= 0 else 0.0
        percent = actual / target * 100
    elif ind_comparator == "<=":
        if actual <= target or actual == 0:
            return 100.0
        percent = target / actual * 100
    else:
        raise ValueError(f"Unknown comparator: {ind_comparator!r}")
    return float(min(max(percent, Decimal(0)), Decimal(100)))


def _as_decimal(value: Decimal | int | float | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))
