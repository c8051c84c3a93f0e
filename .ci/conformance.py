#!/usr/bin/env python3
"""Conformance gates for CI: what chpsim already does as ACT and actsim do must keep working.

The corpora and their scorers are not ours (GPL/Apache data): they live outside the repository,
in ../shared/conformance/. This script keeps, per gate, the list of corpus entries that chpsim
passes in .ci/conformance/<gate>.txt, and fails when one of them no longer passes. Gates:

  chp, types, ...  actsim's own tests of that tier (CORPUS: .../conformance/actsim): the same
                   lines at the same times as actsim (score.py)
  act-lang         ACT's front-end tests (CORPUS: .../conformance/act-lang): `chpsim elaborate`
                   accepts what ACT accepts and rejects what ACT rejects (score_act_lang.py)
  realworld        designs from public ACT repositories (CORPUS: .../conformance/realworld):
                   the same lines at the same times as actsim (score_realworld.py)
  simlib           the regression tests of actsim's sim:: library (CORPUS:
                   .../conformance/simlib): stdout, stderr and the files written match
                   (score_simlib.py)
  simlib-tier      actsim's own tests of its simlib tier (CORPUS: .../conformance/actsim)
  script           actsim's own tests driven by a command script, N.act.scr (CORPUS:
                   .../conformance/actsim)

act-lang and realworld read ACT's standard library from $ACT_HOME (CI sets it to
../shared/act-home).

  conformance.py check  BINARY CORPUS_DIR GATE   exit 1 if a listed entry regressed
  conformance.py update BINARY CORPUS_DIR GATE   rewrite the list from a run (read the diff!)
"""
import csv
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def listed(gate):
    path = os.path.join(HERE, "conformance", gate + ".txt")
    return path, (open(path).read().split() if os.path.exists(path) else [])


def scorer_path(corpus, name):
    return os.path.join(os.path.dirname(os.path.abspath(corpus.rstrip("/"))), name)


def scored(command, figure):
    """Runs a corpus scorer; its -v output, or exits when it did not print its figure (a
    scorer that crashed must not pass the gate)."""
    run = subprocess.run([sys.executable] + command, capture_output=True, text=True)
    if not re.search(figure, run.stdout):
        sys.stdout.write(run.stdout + run.stderr)
        sys.exit(f"conformance: {os.path.basename(command[0])} printed no figure (exit {run.returncode})")
    return run.stdout


def act_lang(binary, corpus):
    """(every test, the tests whose verdict differs from ACT's, the figure line)."""
    names = []
    for group in sorted(os.listdir(corpus)):
        gdir = os.path.join(corpus, group)
        if os.path.isdir(os.path.join(gdir, "runs")):
            files = sorted((f for f in os.listdir(gdir) if f.endswith(".act")), key=lambda f: (len(f), f))
            names += [f"{group}/{f[:-4]}" for f in files]
    out = scored([scorer_path(corpus, "score_act_lang.py"), binary, corpus, "-v"], r"ACT language parity:")
    failing = {m.group(1) for m in re.finditer(r"^  (\S+)\.act: ACT ", out, re.M)}
    return names, failing, out


def realworld(binary, corpus):
    """(every case, the cases that do not print actsim's lines at actsim's times, the output)."""
    with open(os.path.join(corpus, "cases.tsv"), newline="") as f:
        names = [c["id"] for c in csv.DictReader(f, delimiter="\t")]
    out = scored([scorer_path(corpus, "score_realworld.py"), binary, "--corpus", corpus, "-v"], r"real-world:")
    failing = {m.group(1) for m in re.finditer(r"^  (\S+) \[[^\]]*\]: (?!tie order)", out, re.M)}
    return names, failing, out


def simlib(binary, corpus):
    """(every test, the tests that do not pass entirely, the output)."""
    names = sorted(d for d in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, d, "test.act")))
    out = scored([scorer_path(corpus, "score_simlib.py"), binary, corpus, "-v"], r"simlib conformance")
    failing = {m.group(1) for m in re.finditer(r"^  (\S+): ", out, re.M)}
    return names, failing, out


# Gates that are a tier of actsim's own tests under another name.
TIERS = {"simlib-tier": "simlib"}


def actsim_tier(binary, corpus, tier):
    """(every test of the tier, the tests that fail, the output)."""
    scorer = scorer_path(corpus, "score.py")
    sys.path.insert(0, os.path.dirname(scorer))
    import score  # the corpus's own scorer: its tier rules decide what is scored
    names = []
    for f in sorted(os.listdir(corpus), key=lambda f: (len(f), f)):
        if not f.endswith(".act"):
            continue
        if not os.path.exists(os.path.join(corpus, "runs", f + ".stdout")):
            continue
        if os.path.exists(os.path.join(corpus, f + ".scr")):
            if tier == "script":
                names.append(f[:-4])
        elif score.tier(open(os.path.join(corpus, f), errors="replace").read()) == tier:
            names.append(f[:-4])
    out = scored([scorer, binary, corpus, "-v", "--tier", tier], r"actsim conformance")
    failing = {m.group(1) for m in re.finditer(r"^  (\S+)\.act: (?!tie order)", out, re.M)}
    return names, failing, out


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("check", "update"):
        print(__doc__)
        return 2
    mode, binary, corpus, gate = sys.argv[1:5]
    binary = os.path.abspath(binary)
    path, passing = listed(gate)
    if mode == "check" and not passing:
        print(f"conformance ({gate}): no passing entries listed in {path}")
        return 1
    if mode == "check" and gate == "simlib":
        # score_simlib.py runs only the listed tests itself.
        run = subprocess.run([sys.executable, scorer_path(corpus, "score_simlib.py"), binary, corpus, "-v",
                              "--only", path], capture_output=True, text=True)
        print(run.stdout, end="")
        if run.returncode != 0:
            print(f"conformance ({gate}): a test listed in {path} no longer passes (see above)")
        return run.returncode
    if mode == "check" and gate not in ("act-lang", "realworld"):
        # score.py runs only the listed tests itself.
        run = subprocess.run([sys.executable, scorer_path(corpus, "score.py"), binary, corpus, "-v", "--tier",
                              TIERS.get(gate, gate), "--only", path], capture_output=True, text=True)
        print(run.stdout, end="")
        if run.returncode != 0:
            print(f"conformance ({gate}): a test listed in {path} no longer passes (see above)")
        return run.returncode
    if gate == "act-lang":
        names, failing, out = act_lang(binary, corpus)
    elif gate == "realworld":
        names, failing, out = realworld(binary, corpus)
    elif gate == "simlib":
        names, failing, out = simlib(binary, corpus)
    else:
        names, failing, out = actsim_tier(binary, corpus, TIERS.get(gate, gate))
    figure = out.splitlines()[-1]
    if mode == "update":
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("".join(n + "\n" for n in names if n not in failing))
        print(figure)
        return 0
    regressed = [n for n in passing if n in failing or n not in names]
    for n in regressed:
        said = (f"  {n}.act:", f"  {n} [")
        why = next((l.strip() for l in out.splitlines() if l.startswith(said)), f"{n}: not in the corpus")
        print(f"  {why}")
    print(f"conformance ({gate}): {len(passing) - len(regressed)} of the {len(passing)} listed in {path} pass; {figure}")
    if regressed:
        print(f"conformance ({gate}): {len(regressed)} listed entries no longer pass (above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
