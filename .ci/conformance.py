#!/usr/bin/env python3
"""actsim conformance gate for CI.

The corpus (actsim's own tests with actsim's recorded output, and its scorer score.py) lives
outside the repository, in ../shared/conformance/. This script keeps, per tier, the list of
corpus tests that chpsim passes (same lines at the same times) in .ci/conformance/<tier>.txt,
and fails when one of them no longer passes.

  conformance.py check  BINARY CORPUS_DIR TIER   exit 1 if a listed test regressed
  conformance.py update BINARY CORPUS_DIR TIER   rewrite the list from a run (read the diff!)
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def listed(tier):
    path = os.path.join(HERE, "conformance", tier + ".txt")
    return path, (open(path).read().split() if os.path.exists(path) else [])


def main():
    mode, binary, corpus, tier = sys.argv[1:5]
    scorer = os.path.join(os.path.dirname(os.path.abspath(corpus.rstrip("/"))), "score.py")
    path, passing = listed(tier)
    if mode == "check":
        if not passing:
            print(f"conformance ({tier}): no passing tests listed in {path}")
            return 1
        only = path
        run = subprocess.run([sys.executable, scorer, binary, corpus, "-v", "--tier", tier,
                              "--only", only], capture_output=True, text=True)
        print(run.stdout, end="")
        if run.returncode != 0:
            print(f"conformance ({tier}): a test listed in {path} no longer passes (see above)")
        return run.returncode
    if mode == "update":
        sys.path.insert(0, os.path.dirname(scorer))
        import score  # the corpus's own scorer: its tier rules decide what is scored
        names = []
        for f in sorted(os.listdir(corpus), key=lambda f: (len(f), f)):
            if not f.endswith(".act") or os.path.exists(os.path.join(corpus, f + ".scr")):
                continue
            if not os.path.exists(os.path.join(corpus, "runs", f + ".stdout")):
                continue
            if score.tier(open(os.path.join(corpus, f), errors="replace").read()) == tier:
                names.append(f[:-4])
        run = subprocess.run([sys.executable, scorer, binary, corpus, "-v", "--tier", tier],
                             capture_output=True, text=True)
        failing = {m.group(1) for m in re.finditer(r"^  (\S+)\.act: (?!tie order)", run.stdout, re.M)}
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write("\n".join(n for n in names if n not in failing) + "\n")
        print(run.stdout.splitlines()[-1])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
