"""Install ctn-graph into the running Python's environment as users run it: a wheel, with
the extractor (pipeline/text.py, pipeline/lv/, pipeline/extract/) compiled by mypyc when this machine can compile C
extensions, the Python source otherwise. Called by the Makefile (`make run`, `make test`).

    python tools/install_app.py [--compiled auto|1|0]

auto (the default) compiles when a C compiler and Python's headers are here and falls back
to the source, saying so, when they are not or the compiler fails; 1 fails instead; 0
never compiles. The compiler writes its modules next to the sources it is given, so the
wheel is built from a copy of the checkout (its files as they are now, edits included) in
build/app/, never from src/ itself: a compiled module left beside an edited `.py` file is
the one Python would import.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "app"
# what a wheel is built from (pyproject.toml's readme, packages and force-include)
PARTS = ["pyproject.toml", "README.md", "src", "ontology", "queries", "data"]
SKIPPED = ("__pycache__", "*.pyc", "*.so", "*.egg-info")  # never copied, never hashed
SKIP = shutil.ignore_patterns(*SKIPPED)


STAMP = Path(sys.prefix) / "ctn-graph-installed.json"  # what was installed, from which sources


def _taken(rel: Path) -> bool:
    return not any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in SKIPPED)


def sources_digest(root: Path = ROOT) -> str:
    """sha256 of the files a wheel is built from (PARTS, as copy_checkout takes them)."""
    sys.path.insert(0, str(ROOT / "src"))  # the checkout's own helper, whatever is installed
    try:
        from ctn_graph.common.resources import hash_files
    finally:
        sys.path.pop(0)
    h = hashlib.sha256()
    for part in PARTS:
        path = root / part
        files = path.rglob("*") if path.is_dir() else [path]
        hash_files(h, [f for f in files if _taken(f.relative_to(root))], root)
    return h.hexdigest()


def why_not_compiled() -> str | None:
    """None when this Python can build C extensions here, else the reason it cannot."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc})"
    include = sysconfig.get_paths().get("include", "")
    if not (Path(include) / "Python.h").is_file():
        return f"no Python headers ({include}/Python.h; Debian: apt-get install python3-dev)"
    return None


def copy_checkout(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=SKIP)
        elif src.is_file():
            shutil.copy2(src, dest / part)


def pip(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.call([sys.executable, "-m", "pip", *args], env=env)


def build_wheel(source: Path, out: Path, compiled: bool) -> Path | None:
    if out.exists():
        shutil.rmtree(out)
    env = dict(os.environ)
    if compiled:
        env["HATCH_BUILD_HOOK_ENABLE_MYPYC"] = "1"
    else:
        env.pop("HATCH_BUILD_HOOK_ENABLE_MYPYC", None)
    if pip("wheel", "--quiet", "--no-deps", "-w", str(out), str(source), env=env) != 0:
        return None
    wheels = sorted(out.glob("ctn_graph-*.whl"))
    return wheels[-1] if wheels else None


def dev_requirements() -> list[str]:
    """pyproject.toml's [project.optional-dependencies] dev: the test tools."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the one line pyproject.toml writes them on
        import ast
        import re

        line = re.search(r"^dev = (\[.*\])", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
        return list(ast.literal_eval(line[1])) if line else []
    with (ROOT / "pyproject.toml").open("rb") as f:
        return list(tomllib.load(f)["project"]["optional-dependencies"]["dev"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compiled", choices=["auto", "1", "0"], default="auto")
    ap.add_argument("--dev-requirements", action="store_true", help="print the test tools' requirements and exit")
    args = ap.parse_args(argv)
    if args.dev_requirements:
        print(" ".join(dev_requirements()))
        return 0

    reason = None if args.compiled != "0" else "COMPILED=0"
    if reason is None:
        reason = why_not_compiled()
        if reason is not None and args.compiled == "1":
            print(f"error: cannot compile the extractor: {reason}", file=sys.stderr)
            return 1
    STAMP.unlink(missing_ok=True)
    source = WORK / "src-copy"
    copy_checkout(source)
    wheel = None
    if reason is None:
        print("install_app: building ctn-graph with its extractor compiled (mypyc; a few minutes)", flush=True)
        wheel = build_wheel(source, WORK / "dist", compiled=True)
        if wheel is None:
            if args.compiled == "1":
                print("error: the compiled build failed (above)", file=sys.stderr)
                return 1
            reason = "the compiled build failed (above)"
    if wheel is None:
        speeds = "extraction about 1.5 MB/s per core; compiled, about 2.1"
        print(f"install_app: the extractor runs as Python source: {reason} ({speeds})")
        # a fresh copy: a failed compiled build leaves its modules in the one it was given
        copy_checkout(source)
        wheel = build_wheel(source, WORK / "dist", compiled=False)
        if wheel is None:
            print("error: building the ctn-graph wheel failed (above)", file=sys.stderr)
            return 1
    if pip("install", "--quiet", "--force-reinstall", "--no-deps", str(wheel)) != 0:
        print(f"error: installing {wheel.name} failed (above)", file=sys.stderr)
        return 1
    kind = "compiled" if reason is None else "Python source"
    STAMP.write_text(json.dumps({"wheel": wheel.name, "compiled": reason is None, "why_not": reason,
                                 "sources_sha256": sources_digest()}, indent=1) + "\n")  # fmt: skip
    print(f"install_app: ctn-graph installed from {wheel.name} (extractor: {kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
