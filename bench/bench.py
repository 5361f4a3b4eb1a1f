"""Benchmark clinic-lint against proselint and ripgrep, whole processes, medians, ratios.

    python bench/bench.py           # everything, 5 rounds
    python bench/bench.py --quick   # smaller corpora, 3 rounds

Not part of the test suite (timings on a shared machine are noisy; read the ratios). Everything it
builds goes to a work folder outside the repository (``--workdir``, default a temporary folder):
corpora made deterministically from the fixture pages, a proselint in its own venv, the rule
cache. Each round runs every command once, in a shuffled order; figures are medians. Peak memory
is the child's maximum resident set size (``wait4``, as ``/usr/bin/time -v`` reports it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = 20261122
MB = 1_000_000
ALL_PACKS = ("core", "pk", "us", "uk", "au", "ads")
TIME = Path("/usr/bin/time").exists()


# -- corpora ---------------------------------------------------------------------------------


def paragraphs() -> list[str]:
    """Prose paragraphs of every fixture page (as our readers see them), in a fixed order."""
    from lint.documents import BLOCK_SEPARATOR, DecodeError, from_bytes

    found: list[str] = []
    for page in sorted(FIXTURES.rglob("*")):
        if page.suffix not in (".txt", ".md", ".html", ".htm") or not page.is_file():
            continue
        try:
            doc = from_bytes(page.name, page.read_bytes())
        except (DecodeError, ValueError):
            continue
        for block in doc.prose.split(BLOCK_SEPARATOR):
            text = " ".join(block.split())
            if len(text) >= 40:
                found.append(text)
    if not found:
        raise SystemExit("bench: no fixture pages with prose under fixtures/")
    return found


def text_corpus(pool: Sequence[str], size: int, seed: int) -> str:
    """Paragraphs drawn with a fixed seed, separated by blank lines, ``size`` bytes or a little more."""
    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        para = rnd.choice(pool)
        parts.append(para)
        total += len(para.encode()) + 2
    return "\n\n".join(parts) + "\n"


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="description" content="{description}">
<style>body {{ font-family: sans-serif; }}</style></head>
<body><nav><a href="/">Home</a> | <a href="/treatments/">Treatments</a></nav>
<h1>{title}</h1>
{body}
<footer><p>&copy; 2026 Clinic &amp; Wellness Centre</p></footer>
<script>console.log("analytics");</script>
</body></html>
"""


def html_page(pool: Sequence[str], rnd: random.Random, size: int) -> str:
    blocks: list[str] = []
    total = 0
    while total < size:
        words = rnd.choice(pool).split()
        if len(words) > 6 and rnd.random() < 0.3:  # inline markup inside a sentence
            at = rnd.randrange(1, len(words) - 2)
            words[at] = f"<b>{words[at]}</b>"
        para = " ".join(words).replace("&", "&amp;")
        blocks.append(f"<p>{para}</p>" if rnd.random() < 0.8 else f"<li>{para}</li>")
        total += len(blocks[-1])
    first = rnd.choice(pool)
    return HTML_PAGE.format(
        title=" ".join(first.split()[:6]).replace("&", "&amp;"),
        description=first[:150].replace("&", "&amp;").replace('"', "&quot;"),
        body="\n".join(blocks),
    )


def html_site(pool: Sequence[str], folder: Path, pages: int, size: int, seed: int) -> int:
    """``pages`` HTML pages of about ``size`` bytes in 100-page folders; returns total bytes."""
    rnd = random.Random(seed)
    total = 0
    for n in range(pages):
        sub = folder / f"section-{n // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = html_page(pool, rnd, size).encode()
        (sub / f"page-{n:05d}.html").write_bytes(data)
        total += len(data)
    return total


# -- running ---------------------------------------------------------------------------------


@dataclass
class Command:
    name: str
    argv: list[str]
    cwd: Path
    size: int = 0  # bytes of input, for MB/s
    env: dict[str, str] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # KiB
    codes: set[int] = field(default_factory=set)

    def run(self) -> None:
        env = {**os.environ, **self.env}
        # Peak RSS from /usr/bin/time (a small parent): a child forked from this process would
        # count the bench's own memory in its maximum.
        rss = self.cwd / ".rss"
        timer = ["/usr/bin/time", "-f", "%M", "-o", str(rss)] if TIME else []
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*timer, *self.argv],
            cwd=self.cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        self.walls.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss
        if TIME:
            peak = int(rss.read_text().split()[-1])
        self.peaks.append(peak)
        self.codes.add(code)
        if code not in (0, 1):
            tail = err.decode(errors="replace")[-600:]
            raise SystemExit(f"bench: {self.name} exited {code}: {tail}")

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks) / 1024

    @property
    def rate(self) -> float:
        return self.size / MB / self.wall if self.size else 0.0


def interleave(commands: Sequence[Command], rounds: int, seed: int) -> None:
    """Each round runs every command once, in a shuffled order (noise hits all alike)."""
    rnd = random.Random(seed)
    for _ in range(rounds):
        order = list(commands)
        rnd.shuffle(order)
        for command in order:
            command.run()


# -- tools -----------------------------------------------------------------------------------


def proselint(work: Path) -> Path | None:
    """proselint in its own venv under the work folder (installed once; None if impossible)."""
    venv = work / "proselint-venv"
    exe = venv / "bin" / "proselint"
    if not exe.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", "proselint"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"bench: proselint not available ({exc}); its rows are skipped")
            return None
    # Its default config stops after 1,000 findings (islice over max_errors): lift the cap.
    (work / "proselint.json").write_text(json.dumps({"max_errors": 10**12}))
    return exe


def rule_phrases(path: Path) -> int:
    """The phrases our rules' patterns spell (lint.phrases), one a line (for rg -F)."""
    from lint import phrases, rules

    found: set[str] = set()
    for rule in rules.load(packs=ALL_PACKS):
        for term in (t for pattern in rule.scanned for t in phrases.terms_of(pattern)):
            try:
                found.update(" ".join(phrase.split()) for phrase in phrases.expand(term))
            except phrases.NotPhrase:
                continue  # a term with a gap or a number: no fixed phrase to give rg
    path.write_text("\n".join(sorted(found)) + "\n", encoding="utf-8")
    # rg --no-unicode refuses non-ASCII patterns: that variant gets the ASCII phrases only
    ascii_only = sorted(p for p in found if p.isascii())
    path.with_suffix(".ascii.txt").write_text("\n".join(ascii_only) + "\n", encoding="utf-8")
    return len(found)


def rule_ids() -> list[str]:
    from lint import rules

    ids = [r.id for r in rules.load(packs=ALL_PACKS)]
    random.Random(SEED).shuffle(ids)
    return ids


# -- the report ------------------------------------------------------------------------------


def row(command: Command, note: str = "") -> str:
    rate = f"{command.rate:.2f}" if command.size else "—"
    return (
        f"| {command.name} | {command.wall * 1000:.0f} | {rate} | {command.peak_mib:.0f} | {note} |"
    )


def table(commands: Sequence[Command]) -> list[str]:
    head = ["| command | median ms | MB/s | peak RSS MiB | note |", "|---|---:|---:|---:|---|"]
    return head + [row(c) for c in commands]


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def runnable(folder: Path) -> list[str]:
    """The command that runs the ``lint`` package in ``folder``, byte-compiled as pip compiles an
    installed package (and proselint's, in its venv): with PYTHONDONTWRITEBYTECODE set, every
    run would otherwise compile every module from source."""
    import compileall

    (folder / "clinic_lint.py").write_text("from lint.entry import main\n\nmain()\n")
    compileall.compile_dir(folder / "lint", quiet=1)
    return [sys.executable, str(folder / "clinic_lint.py")]


def baseline(folder: Path, revision: str) -> list[str]:
    """The code and rules of a git revision, extracted into ``folder``: its command."""
    import io
    import tarfile

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "lint", "rules"],
            check=True,
            capture_output=True,
        ).stdout
    except (subprocess.CalledProcessError, OSError) as exc:
        raise SystemExit(f"bench: cannot read revision {revision!r}: {exc}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(folder, filter="data")
        else:  # pragma: no cover - our own repository's archive
            tar.extractall(folder)
    return runnable(folder)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller corpora, 3 rounds")
    parser.add_argument("--workdir", type=Path, help="where corpora and tools go (kept)")
    parser.add_argument(
        "--proselint-mb", type=float, default=1.0, help="MB of the text corpus given to proselint"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--text-mb", type=float, default=10, help="size of the text corpus")
    parser.add_argument("--site-pages", type=int, default=2000, help="HTML pages of ~5 KB")
    parser.add_argument("--big-pages", type=int, default=10000, help="1 KB pages (vs 100)")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also time this git revision's code and rules on the same inputs, in the same rounds "
        "(cold start, proselint's input, 100 pages): the code's own progress on a noisy machine",
    )
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    text_mb, site_pages, big_pages = args.text_mb, args.site_pages, args.big_pages
    if args.quick:
        text_mb, site_pages, big_pages = 2, 400, 2000

    work = args.workdir or Path(tempfile.gettempdir()) / "clinic-lint-bench"
    work.mkdir(parents=True, exist_ok=True)
    # A snapshot of the code and rules under test: the working tree may change during the run
    # (and every rule edit would rebuild the rule cache, timing that instead).
    snapshot = work / "snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(ROOT / "lint", snapshot / "lint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", snapshot / "rules")
    sys.path.insert(0, str(snapshot))
    ours_argv = runnable(snapshot)
    env = {"CLINIC_LINT_CACHE_DIR": str(work / "cache")}
    base_argv = baseline(work / "baseline", args.baseline) if args.baseline else None
    # its own rule cache: the two would prune each other's entries
    base_env = {**env, "CLINIC_LINT_CACHE_DIR": str(work / "cache-baseline")}
    os.environ.update(env)  # this process loads rules too (phrases for rg, ids for --select)
    # The packs come from a configuration file, as a pre-commit user's would: `check PATH`.
    (work / ".clinic-lint.yaml").write_text(f"packs: [{', '.join(ALL_PACKS)}]\n")

    print(f"bench: building corpora in {work} …", flush=True)
    pool = paragraphs()
    text = text_corpus(pool, text_mb * MB, SEED)
    (work / "corpus.txt").write_text(text, encoding="utf-8")
    text_size = len(text.encode())
    slice_size = int(args.proselint_mb * MB)
    (work / "slice.txt").write_bytes(text.encode()[:slice_size].rsplit(b"\n", 1)[0] + b"\n")
    slice_size = (work / "slice.txt").stat().st_size
    page = text_corpus(pool, 2000, SEED + 1).encode()[:2000].rsplit(b" ", 1)[0] + b"\n"
    (work / "page.txt").write_bytes(page)
    for name in ("site", "pages-100", "pages-big"):
        shutil.rmtree(work / name, ignore_errors=True)
    site_size = html_site(pool, work / "site", site_pages, 5000, SEED + 2)
    small_size = html_site(pool, work / "pages-100", 100, 1000, SEED + 3)
    big_size = html_site(pool, work / "pages-big", big_pages, 1000, SEED + 4)
    phrases = rule_phrases(work / "phrases.txt")
    ids = rule_ids()
    prose = proselint(work)
    rg = shutil.which("rg")

    def cmd(name: str, argv: list[str], size: int = 0) -> Command:
        return Command(name, argv, work, size, env)

    # Warm the rule cache (the first run after a rule change builds it), timing that once.
    first = cmd("clinic-lint first run (builds the rule cache)", [*ours_argv, "check", "page.txt"])
    shutil.rmtree(work / "cache", ignore_errors=True)
    first.run()

    print(f"bench: {rounds} rounds; {os.cpu_count()} cores", flush=True)
    cold = [cmd("clinic-lint check page.txt (2 KB)", [*ours_argv, "check", "page.txt"])]

    def with_packs(folder: str, packs: str, label: str) -> Command:
        """The 2 KB page checked in a folder whose configuration names ``packs``; its rule set's
        cache is built first (not a sample)."""
        where = work / folder
        where.mkdir(exist_ok=True)
        (where / ".clinic-lint.yaml").write_text(f"packs: [{packs}]\n")
        (where / "page.txt").write_bytes(page)
        command = Command(
            f"clinic-lint check page.txt (2 KB), {label}",
            [*ours_argv, "check", "page.txt"],
            where,
            env=env,
        )
        command.run()
        command.walls.clear()
        command.peaks.clear()
        return command

    # The default packs (core, pk), as a hook without configuration runs; and with the learned
    # rule (the 'learned' pack), as a team that opts in runs.
    default_cold = with_packs("default-packs", "core, pk", "default packs")
    learned_cold = with_packs("learned-pack", "core, pk, learned", "core + pk + learned")
    defaults, learned_dir = default_cold.cwd, learned_cold.cwd
    if prose:
        pconf = ["--config", str(work / "proselint.json")]
        cold.append(cmd("proselint check page.txt (2 KB)", [str(prose), "check", "page.txt"]))
    if rg:
        cold.append(
            cmd("rg -i -F -f phrases page.txt", [rg, "-i", "-F", "-f", "phrases.txt", "page.txt"])
        )
    # The same run without the rule cache (as a CI runner that starts with none).
    before = cmd("clinic-lint 2 KB, no rule cache", [*ours_argv, "check", "page.txt"])
    before.env = {**env, "CLINIC_LINT_NO_CACHE": "1"}
    base: dict[str, Command] = {}
    if base_argv:
        base["cold"] = Command(
            f"baseline {args.baseline}: check page.txt (2 KB)",
            [*base_argv, "check", "page.txt"],
            work,
            env=base_env,
        )
        base["cold"].run()  # builds its rule cache: not a sample
        base["cold"].walls.clear()
        base["cold"].peaks.clear()
    interleave([*cold, default_cold, learned_cold, before, *base.values()], rounds * 3, SEED)

    mb = f"{text_size / MB:.0f} MB"
    speed = [
        cmd(f"clinic-lint, {mb} text", [*ours_argv, "check", "corpus.txt"], text_size),
        cmd(
            f"clinic-lint, HTML site {site_pages} pages, --jobs 1",
            [*ours_argv, "check", "--jobs", "1", "site"],
            site_size,
        ),
        cmd(
            f"clinic-lint, HTML site {site_pages} pages, --jobs {args.jobs}",
            [*ours_argv, "check", "--jobs", str(args.jobs), "site"],
            site_size,
        ),
        cmd(
            f"clinic-lint, {slice_size / MB:.1f} MB text (proselint's input)",
            [*ours_argv, "check", "slice.txt"],
            slice_size,
        ),
    ]
    (learned_dir / "slice.txt").write_bytes((work / "slice.txt").read_bytes())
    (defaults / "slice.txt").write_bytes((work / "slice.txt").read_bytes())
    pack_rates = [
        Command(
            f"clinic-lint, {slice_size / MB:.1f} MB text, {name}",
            [*ours_argv, "check", "slice.txt"],
            folder,
            slice_size,
            env=env,
        )
        for name, folder in (("default packs", defaults), ("core + pk + learned", learned_dir))
    ]
    speed += pack_rates
    if prose:
        speed.append(
            cmd(
                f"proselint, {slice_size / MB:.1f} MB text, cap lifted",
                [str(prose), "check", *pconf, "slice.txt"],
                slice_size,
            )
        )
    if rg:
        speed += [
            cmd(
                f"rg -i -F ({phrases} phrases), {mb} text",
                [rg, "-i", "-F", "-f", "phrases.txt", "corpus.txt"],
                text_size,
            ),
            cmd(
                f"rg -i -F --no-unicode (ASCII phrases), {mb} text",
                [rg, "-i", "-F", "--no-unicode", "-f", "phrases.ascii.txt", "corpus.txt"],
                text_size,
            ),
            cmd("rg -i -F, HTML site", [rg, "-i", "-F", "-f", "phrases.txt", "site"], site_size),
        ]
    small = text.encode()[: MB // 5].rsplit(b"\n", 1)[0] + b"\n"
    (work / "small.txt").write_bytes(small)
    speed.append(cmd("clinic-lint, 0.2 MB text", [*ours_argv, "check", "small.txt"], len(small)))
    if base_argv:
        base["slice"] = Command(
            f"baseline {args.baseline}: {slice_size / MB:.1f} MB text",
            [*base_argv, "check", "slice.txt"],
            work,
            slice_size,
            env=base_env,
        )
    interleave([*speed, *[base[k] for k in ("slice",) if k in base]], rounds, SEED + 1)

    two_mb = text.encode()[: 2 * MB].rsplit(b"\n", 1)[0] + b"\n"
    (work / "two.txt").write_bytes(two_mb)
    scaling = []
    for share, label in ((4, "¼"), (2, "½"), (1, "all")):
        chosen = ids[: max(1, len(ids) // share)]
        scaling.append(
            cmd(
                f"clinic-lint, 2 MB text, {label} of the rules ({len(chosen)})",
                [*ours_argv, "check", "--select", ",".join(chosen), "two.txt"],
                len(two_mb),
            )
        )
    scaling += [
        cmd(
            "clinic-lint, 100 pages of 1 KB, --jobs 1",
            [*ours_argv, "check", "--jobs", "1", "pages-100"],
            small_size,
        ),
        cmd(
            f"clinic-lint, {big_pages} pages of 1 KB, --jobs 1",
            [*ours_argv, "check", "--jobs", "1", "pages-big"],
            big_size,
        ),
    ]
    if base_argv:
        base["pages"] = Command(
            f"baseline {args.baseline}: 100 pages of 1 KB, --jobs 1",
            [*base_argv, "check", "--jobs", "1", "pages-100"],
            work,
            small_size,
            env=base_env,
        )
        # the 100-page rows again, side by side, for as many rounds as the others
        pages = [scaling[3], base["pages"]]
        interleave(pages, rounds, SEED + 3)
    interleave(scaling, max(1, rounds - 2) if not args.quick else 1, SEED + 2)

    lines = [f"machine: {os.cpu_count()} cores; {rounds} rounds; medians", ""]
    lines += table(
        [first, *cold, default_cold, learned_cold, before, *speed, *scaling, *base.values()]
    )
    lines.append("")
    lines.append(f"- cold start, without / with the rule cache: {ratio(before.wall, cold[0].wall)}")
    ours_cold = cold[0]
    by = {c.name: c for c in [*cold, *speed, *scaling]}
    text_run, site1, siten = speed[0], speed[1], speed[2]
    if prose:
        lines.append(
            f"- cold start, clinic-lint / proselint: {ratio(ours_cold.wall, cold[1].wall)} (target ≤ 0.8×, aim 0.5×); "
            f"default packs: {ratio(default_cold.wall, cold[1].wall)}; "
            f"core + pk + learned: {ratio(learned_cold.wall, cold[1].wall)} (target ≤ 0.8×)"
        )
        plint = next(c for c in speed if c.name.startswith("proselint"))
        lines.append(
            f"- throughput on text, clinic-lint / proselint: {ratio(text_run.rate, plint.rate)} (target ≥ 25×)"
        )
        lines.append(
            f"- same input as proselint ({slice_size / MB:.1f} MB): {ratio(speed[3].rate, plint.rate)}"
        )
    lines.append(
        f"- text throughput, core + pk + learned / default packs: "
        f"{ratio(pack_rates[1].rate, pack_rates[0].rate)} (the learned rule's cost)"
    )
    lines.append(
        f"- HTML (1 process) / text throughput: {ratio(site1.rate, text_run.rate)} (target ≥ 0.5×)"
    )
    lines.append(
        f"- HTML, {args.jobs} processes / 1 process: {ratio(siten.rate, site1.rate)} (ideal {args.jobs}×)"
    )
    if rg:
        rgs = [c for c in speed if c.name.startswith("rg")]
        lines.append(
            f"- clinic-lint / rg -i -F (Unicode) on text: {ratio(text_run.rate, rgs[0].rate)}; / rg --no-unicode: {ratio(text_run.rate, rgs[1].rate)}"
        )
    quarter, half, full = scaling[0], scaling[1], scaling[2]
    lines.append(
        f"- rules ¼ → ½ → all: {quarter.wall:.2f} s, {half.wall:.2f} s, {full.wall:.2f} s; "
        f"doubling ½ → all costs {ratio(full.wall, half.wall)} (target ≤ 1.3×)"
    )
    hundred, many = scaling[3], scaling[4]
    lines.append(
        f"- files 100 → {big_pages}: peak RSS {hundred.peak_mib:.0f} → {many.peak_mib:.0f} MiB "
        f"({ratio(many.peak_mib, hundred.peak_mib)}); time per page {hundred.wall / 100 * 1000:.2f} → {many.wall / big_pages * 1000:.2f} ms"
    )
    # The largest single file is the text: what it adds over a small page's run, per MB.
    added = text_run.peak_mib - ours_cold.peak_mib
    lines.append(
        f"- one {text_size / MB:.0f} MB file: peak RSS {text_run.peak_mib:.0f} MiB, "
        f"{added:.0f} MiB over a 2 KB page's run = {ratio(added, text_size / 2**20)} the file "
        "(target: a few times)"
    )
    if base:
        ours = {"cold": cold[0], "slice": speed[3], "pages": scaling[3]}
        compared = ", ".join(
            f"{what} {ratio(ours[key].wall, base[key].wall)}"
            for key, what in (("cold", "cold start"), ("slice", "text"), ("pages", "100 pages"))
        )
        lines.append(f"- time, this code / baseline {args.baseline}: {compared}")
    del by
    report = "\n".join(lines)
    print()
    print(report)
    (work / "report.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
