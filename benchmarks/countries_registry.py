"""How fast the country registry builds and answers, on this machine.

    .venv/bin/python benchmarks/countries_registry.py

Prints the time to build the registry from its packaged data (what every process pays once,
then cached), and lookups per second for names and year-aware codes. The resolution rate of
the real datasets is measured by the test suite instead:
    .venv/bin/python -m pytest tests/countries/test_shared_data.py -q -s
"""

from __future__ import annotations

import platform
import statistics
import time

from atrocity_watch.countries import build_registry

NAMES = ["Côte d'Ivoire", "Myanmar (Burma)", "Congo, Dem. Rep.", "Serbia (Yugoslavia)", "Türkiye"]
CODES = [
    ("gw", 345, 1995),
    ("gw", 340, 2010),
    ("cow", 255, 1995),
    ("vdem", 198, 1990),
    ("ucdp", 437, 2020),
]


def _per_second(func: object, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        func()  # type: ignore[operator]
    return calls / (time.perf_counter() - start)


def main() -> None:
    """Print the figures."""
    builds = []
    for _ in range(7):
        start = time.perf_counter()
        registry = build_registry()
        builds.append(time.perf_counter() - start)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {python}")
    print(f"registry build: median {statistics.median(builds) * 1000:.0f} ms "
          f"(min {min(builds) * 1000:.0f}, max {max(builds) * 1000:.0f}; 7 builds; "
          f"{len(registry)} countries, {len(registry.periods())} crosswalk rows)")  # fmt: skip

    def names() -> None:
        for name in NAMES:
            registry.lookup(name)

    def codes() -> None:
        for scheme, code, year in CODES:
            registry.resolve(code, scheme, year)

    print(f"name lookups: {_per_second(names, 20_000) * len(NAMES):,.0f} per second")
    print(f"year-aware code lookups: {_per_second(codes, 20_000) * len(CODES):,.0f} per second")

    def unknown() -> None:
        registry.try_resolve("Nigera")

    print(f"unknown names (with closest-match search): {_per_second(unknown, 200):,.0f} per second")


if __name__ == "__main__":
    main()
