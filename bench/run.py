"""Runs the benchmarks: `python -m bench.run [--quick] [--only NAME ...]` on the database in DATABASE_URL
(`make bench` starts a throwaway PostgreSQL and seeds it). Writes bench/results/<name>.json and summary.md."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from bench.common import RESULTS, Result, machine, setup_django, summary, write

BENCHMARKS = ["reads", "ledger", "payouts", "signup", "booking", "homepage", "scaleout", "maintenance"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run in CI")
    parser.add_argument("--only", nargs="*", default=None, choices=BENCHMARKS)
    args = parser.parse_args(argv)
    setup_django()
    info = machine()
    results: list[Result] = []
    failed = []
    for name in args.only or BENCHMARKS:
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            for result in module.run(quick=args.quick):
                write(result, info)
                results.append(result)
                print(
                    f"   {result.title}: {result.ours:,.1f} vs {result.baseline:,.1f} {result.unit} "
                    f"→ ratio {result.ratio:.2f} ({result.target}: {'met' if result.met else 'NOT met'})",
                    flush=True,
                )
        except Exception:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc()
            failed.append(name)
    text = summary(results, info)
    (RESULTS / ("summary-quick.md" if args.quick else "summary.md")).write_text(text)
    print(text)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
