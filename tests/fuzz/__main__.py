"""Fuzz every parser: ``scripts/fuzz [--examples N] [--seed S] [--only NAME ...]``.

Prints one line per parser: examples run, library errors (the parser refused the input with
its own error class: fine), other exceptions (defects: must be 0) and the time taken, then the
first inputs that raised something else. Exit status 1 when any other exception occurred.
"""

import argparse
import sys
import time

from .targets import BY_NAME, TARGETS, fuzz

DEFAULT_EXAMPLES = 5000


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz targets and print the table."""
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--examples", type=int, default=DEFAULT_EXAMPLES, metavar="N", help="per parser"
    )
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (default: random)")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BY_NAME), metavar="NAME", help="parsers to run"
    )
    args = parser.parse_args(argv)
    if args.examples < 1:
        parser.error("--examples must be at least 1")
    targets = [BY_NAME[name] for name in args.only] if args.only else list(TARGETS)

    header = f"{'parser':<18} {'examples':>9} {'library errors':>15} {'other':>6} {'time':>8}"
    print(header)
    print("-" * len(header))
    results = []
    start = time.perf_counter()
    for target in targets:
        result = fuzz(target, args.examples, seed_value=args.seed)
        results.append(result)
        print(
            f"{result.name:<18} {result.examples:>9} {result.library_errors:>15} "
            f"{result.other:>6} {result.seconds:>7.1f}s",
            flush=True,
        )
    print("-" * len(header))
    total = sum(r.examples for r in results)
    library = sum(r.library_errors for r in results)
    other = sum(r.other for r in results)
    elapsed = time.perf_counter() - start
    print(f"{'total':<18} {total:>9} {library:>15} {other:>6} {elapsed:>7.1f}s")
    for result in results:
        for message, value in result.failures:
            print(f"\n{result.name}: {message}\n  input: {value!r:.600}")
    if other:
        print(f"\nFAILED: {other} exceptions other than the libraries' own errors")
        return 1
    print(f"\nOK: {len(results)} parsers, only library errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
