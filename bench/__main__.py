"""`make bench`: run every benchmark module in bench/ (each has a `run()`) and print its figures.

Benchmarks use their own database (a temporary SQLite file unless BENCH_DATABASE_URL is set),
so they never touch var/db.sqlite3.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path


def main(selected: list[str]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    from fixtures.loader import load_sample_catalog

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    load_sample_catalog(images=True)
    print(f"sample catalog loaded in {time.perf_counter() - started:.1f} s  ({workdir})\n")

    package = Path(__file__).parent
    for module_info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if module_info.name.startswith("_") or (selected and module_info.name not in selected):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        if hasattr(module, "run"):
            print(f"## {module_info.name}")
            module.run()
            print()


if __name__ == "__main__":
    main(sys.argv[1:])
