"""The app-level import graph, read from the code with grimp (import-linter's own engine).

`python tools/import_graph.py` prints a Mermaid graph of which app imports which (every import
statement counts, those inside functions too); `--cycles` prints the module-level import cycles
instead. docs/ARCHITECTURE.md embeds the Mermaid output between two markers, and a test fails
when the committed diagram no longer matches the code: regenerate it with `--write`.
"""

import argparse
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "marketplace", "producers", "traceability", "storefront", "fixtures")
DOC = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN, END = "<!-- import-graph:begin -->", "<!-- import-graph:end -->"


def build() -> grimp.ImportGraph:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)


def app_of(module: str) -> str | None:
    """marketplace's sub-packages are apps of their own; its top-level modules are the shared
    kernel ("marketplace"). Migrations are left out: they are history, not structure."""
    parts = module.split(".")
    if "migrations" in parts:
        return None
    if parts[0] == "marketplace" and len(parts) > 1:
        sub = f"marketplace.{parts[1]}"
        return sub if _is_package(sub) else "marketplace"
    return parts[0]


def _is_package(dotted: str) -> bool:
    return (ROOT / dotted.replace(".", "/") / "__init__.py").exists()


def app_edges(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    edges = set()
    for importer in graph.modules:
        source = app_of(importer)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            target = app_of(imported)
            if target is not None and target != source:
                edges.add((source, target))
    return edges


def module_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), each a cycle of imports; packages'
    __init__ modules that only hold a docstring import nothing and so never take part."""
    modules = sorted(m for m in graph.modules if app_of(m) is not None)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if app_of(child) is None:
                    continue
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(groups)


def mermaid(edges: set[tuple[str, str]]) -> str:
    ident = lambda app: app.replace(".", "_")  # noqa: E731 - Mermaid ids cannot hold dots
    apps = sorted({a for edge in edges for a in edge})
    lines = ["```mermaid", "graph LR"]
    lines += [f"  {ident(app)}[{app}]" for app in apps]
    lines += [f"  {ident(a)} --> {ident(b)}" for a, b in sorted(edges)]
    lines.append("```")
    return "\n".join(lines)


def embedded(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def write(diagram: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + diagram + "\n" + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", action="store_true", help="print module-level cycles")
    parser.add_argument("--write", action="store_true", help=f"update the diagram in {DOC.name}")
    args = parser.parse_args()
    graph = build()
    if args.cycles:
        for group in module_cycles(graph):
            print(" ↔ ".join(group))
        return
    diagram = mermaid(app_edges(graph))
    if args.write:
        write(diagram)
    else:
        print(diagram)


if __name__ == "__main__":
    main()
