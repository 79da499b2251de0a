#!/usr/bin/python3
"""What a big model costs the build: calx-reflect on headers of N
annotated structs (bench/gen_reflect.py), and the compile of what it wrote.

    python3 bench/reflect_scale.py [--tool PATH] [--reps R] [N ...]

Run from the source root after `ninja` (default N: 500 2000, R: 5). For
each N: calx-reflect's wall and CPU time (median of R runs), the generated
source's size, and gcc -O0, gcc -O2 and clang-14 -O2 compiling it (CPU time,
the least of R runs: the machine is shared). --tool measures another
calx-reflect (an older build, for a before/after).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def measure(argv):
    """(wall seconds, user+sys CPU seconds) of one run; raises on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", default="build/calx-reflect")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("sizes", nargs="*", type=int, default=[500, 2000])
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="calx-reflect-scale.")
    try:
        print("| structs | calx-reflect wall (median) | its CPU | .calx.c lines | gcc -O0 | gcc -O2 | clang-14 -O2 |")
        print("|--:|--:|--:|--:|--:|--:|--:|")
        for n in args.sizes:
            header = os.path.join(work, "r%d.h" % n)
            c_out = os.path.join(work, "r%d.calx.c" % n)
            h_out = os.path.join(work, "r%d.calx.h" % n)
            subprocess.run([sys.executable, "bench/gen_reflect.py", header, str(n)], check=True)
            runs = [measure([args.tool, header, "-o", c_out, "--header", h_out, "-MD", "-Iinclude"])
                    for _ in range(args.reps)]
            with open(c_out) as f:
                lines = sum(1 for _ in f)
            cells = []
            for cc in (["gcc", "-O0"], ["gcc", "-O2"], ["clang-14", "-O2"]):
                if not shutil.which(cc[0]):
                    cells.append("-")
                    continue
                argv = cc + ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Iinclude", "-I" + work, "-c", c_out,
                             "-o", os.path.join(work, "r.o")]
                cells.append("%.2f s" % min(measure(argv)[1] for _ in range(args.reps)))
            print("| {:,} | {:.3f} s | {:.3f} s | {:,} | {} |".format(
                n, statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), lines,
                " | ".join(cells)))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
