"""The layer rules of DESIGN.md section 1, checked.

- No module of artkit imports another that imports it back (found by reading the source with
  `ast`, imports inside functions included: a lazy import that points back is still a cycle).
- import-linter's contracts in pyproject.toml are kept, and the core contract lists every core
  module.
- The app imports torch only lazily, and `import artkit` / `artkit.api` / `artkit.cli` (what a
  course sketch and `artkit --help` pay for) load neither torch nor pygame.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "artkit"

# Everything outside these is the core. artkit.cli and artkit.__main__ are the command layer.
NOT_CORE = ("artkit.app", "artkit.gan", "artkit.commands", "artkit.cli", "artkit.__main__")
# The root package is an entry point too (`artkit.go()` opens a window), but only itself.
ENTRY = "artkit"


# --------------------------------------------------------------------------- reading imports


@dataclass(frozen=True)
class Import:
    """One imported name: `target` is the dotted module it points at (an artkit module, or an
    external one such as "torch.nn")."""

    importer: str
    target: str
    path: Path
    line: int
    at_module_level: bool  # runs when the importer is imported (not inside a function)

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root).as_posix()}:{self.line}"


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """{dotted module name: file} for every .py file of `package` under `root`."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _resolve_from(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` statement reads from."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


class _ImportCollector(ast.NodeVisitor):
    """Every import statement in a file, noting whether it sits inside a function. Class
    bodies and top-level if/try/with blocks run at import time, so they count as module
    level."""

    def __init__(self, module: str, path: Path, modules: dict[str, Path]):
        self.module, self.path, self.modules = module, path, modules
        self.function_depth = 0
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.stmt) -> None:
        self.found.append(Import(self.module, target, self.path, node.lineno,
                                 self.function_depth == 0))

    def _in_function(self, node) -> None:
        self.function_depth += 1
        self.generic_visit(node)
        self.function_depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _in_function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve_from(self.module, self.path, node)
        for alias in node.names:
            # `from artkit.gan import shapes` imports the module artkit.gan.shapes;
            # `from artkit.color import to_rgba` imports a name from artkit.color.
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.modules else base, node)


def find_imports(root: Path, package: str) -> list[Import]:
    """Every import in every module of `package`, module-level and function-level."""
    modules = find_modules(root, package)
    found = []
    for module, path in modules.items():
        collector = _ImportCollector(module, path, modules)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found += collector.found
    return found


def _owning_module(target: str, modules) -> str | None:
    """The module of ours an import target names (the longest known prefix), or None for an
    external one."""
    parts = target.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return None


def import_graph(root: Path, package: str) -> dict[str, dict[str, Import]]:
    """{importer: {imported: the first import of it}} among `package`'s own modules.
    Importing a submodule is an edge to that submodule only, not to its parent package's
    __init__ (Python runs the parent too, but the parent didn't ask for it)."""
    modules = find_modules(root, package)
    graph: dict[str, dict[str, Import]] = {module: {} for module in modules}
    for imp in find_imports(root, package):
        imported = _owning_module(imp.target, modules)
        if imported is not None and imported != imp.importer:
            graph[imp.importer].setdefault(imported, imp)
    return graph


# --------------------------------------------------------------------------- cycles


def strongly_connected_components(graph: dict[str, dict]) -> list[list[str]]:
    """Tarjan's algorithm: groups of modules that can each reach all the others."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                lowlink[node] = min(lowlink[node], lowlink[nxt])
            elif nxt in on_stack:
                lowlink[node] = min(lowlink[node], index[nxt])
        if lowlink[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def import_cycles(graph: dict[str, dict]) -> list[list[str]]:
    """Every group of modules that import each other (directly or round a loop), sorted."""
    return sorted(c for c in strongly_connected_components(graph) if len(c) > 1)


def shortest_cycle(graph: dict[str, dict[str, Import]], component: list[str]) -> list[str]:
    """A shortest loop through the component's first module, as [a, b, ..., a]."""
    start, members = component[0], set(component)
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return path[::-1] + [start]
            if nxt in members and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"{start} is in a cycle but no path leads back to it")


def describe_cycle(graph: dict[str, dict[str, Import]], component: list[str], root: Path) -> str:
    loop = shortest_cycle(graph, component)
    steps = [f"    {a} -> {b}  ({graph[a][b].where(root)})" for a, b in zip(loop, loop[1:])]
    return f"  {', '.join(component)}:\n" + "\n".join(steps)


def _write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_cycle_finder_sees_lazy_relative_and_from_imports(tmp_path):
    _write_package(tmp_path, {
        "pkg/__init__.py": "VERSION = '1'\n",
        # a <-> b: module-level relative import one way, a lazy import back
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "def later():\n    from pkg.a import thing\n",
        # c <-> sub.d: `import pkg.sub.d` names the submodule; `from .. import c` climbs up
        "pkg/c.py": "import pkg.sub.d\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/d.py": "from .. import c\n",
        # e reads a name from the package's __init__, which doesn't import e back
        "pkg/e.py": "from pkg import VERSION\nimport os.path\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert import_cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.sub.d"]]
    assert set(graph["pkg.c"]) == {"pkg.sub.d"}  # not the parent package pkg.sub
    assert set(graph["pkg.e"]) == {"pkg"}        # external os.path is not an edge
    assert not graph["pkg.b"]["pkg.a"].at_module_level
    message = describe_cycle(graph, ["pkg.a", "pkg.b"], tmp_path)
    assert "pkg.a -> pkg.b  (pkg/a.py:1)" in message
    assert "pkg.b -> pkg.a  (pkg/b.py:2)" in message


def test_no_module_imports_another_that_imports_it_back():
    graph = import_graph(REPO, PACKAGE)
    cycles = import_cycles(graph)
    assert not cycles, ("import cycles among artkit's modules (imports inside functions "
                        "count; move code so one side no longer needs the other):\n"
                        + "\n".join(describe_cycle(graph, c, REPO) for c in cycles))


# --------------------------------------------------------------------------- import-linter


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    """Run import-linter's command line (the `lint-imports` script's own entry point) with
    this interpreter, in the repository, without writing a cache there."""
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run([sys.executable, "-c", command, "--no-cache", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_import_linter_contracts_are_kept():
    pytest.importorskip("importlinter", reason="import-linter is not installed (the test extra)")
    result = _lint_imports()
    report = result.stdout + result.stderr
    assert "Contracts: " in report, report  # it ran and checked contracts
    assert result.returncode == 0, report


def _expression_pattern(expression: str) -> re.Pattern:
    """import-linter's module expressions: `*` is one name, `**` any number (one or more)."""
    names = [r"[^.]+(\.[^.]+)*" if part == "**" else "[^.]+" if part == "*" else re.escape(part)
             for part in expression.split(".")]
    return re.compile(r"\.".join(names) + r"\Z")


def test_core_contract_lists_every_core_module():
    api = pytest.importorskip("importlinter.api",
                              reason="import-linter is not installed (the test extra)")
    contracts = api.read_configuration(str(REPO / "pyproject.toml"))["contracts_options"]
    core = next(c for c in contracts if c.get("id") == "core")
    patterns = [_expression_pattern(e) for e in core["source_modules"]]
    modules = find_modules(REPO, PACKAGE)
    core_modules = {m for m in modules if m != ENTRY and
                    not any(m == top or m.startswith(top + ".") for top in NOT_CORE)}
    covered = {m for m in modules if any(p.match(m) for p in patterns)}
    assert not core_modules - covered, (
        "add these core modules to the 'core' contract's source_modules in pyproject.toml "
        f"(or move them into a layer above): {sorted(core_modules - covered)}")
    assert not covered - core_modules, (
        f"the 'core' contract lists modules outside the core: {sorted(covered - core_modules)}")
    unmatched = [e for e, p in zip(core["source_modules"], patterns)
                 if not any(p.match(m) for m in modules)]
    assert not unmatched, f"the 'core' contract names modules that don't exist: {unmatched}"


# --------------------------------------------------------------------------- torch and pygame


def _loads_at_import(root: Path, package: str, external: str) -> dict[str, list[str]]:
    """{module: the chain of module-level imports by which importing it loads `external`}.
    Importing a submodule runs its parent packages first, so those count too."""
    modules = find_modules(root, package)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    direct: set[str] = set()
    for imp in find_imports(root, package):
        if not imp.at_module_level:
            continue
        if imp.target.split(".")[0] == external:
            direct.add(imp.importer)
        owner = _owning_module(imp.target, modules)
        if owner is not None:
            edges[imp.importer].add(owner)
    for module in modules:
        parent = module.rpartition(".")[0]
        if parent:
            edges[module].add(parent)

    chains = {}
    for start in modules:
        came_from = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node in direct:
                chain = [node]
                while came_from[chain[-1]] is not None:
                    chain.append(came_from[chain[-1]])
                chains[start] = chain[::-1] + [external]
                break
            for nxt in sorted(edges[node] - came_from.keys()):
                came_from[nxt] = node
                queue.append(nxt)
    return chains


def test_module_level_torch_finder(tmp_path):
    _write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/heavy.py": "try:\n    from torch import nn\nexcept ImportError:\n    nn = None\n",
        "pkg/uses_heavy.py": "if True:\n    import pkg.heavy\n",
        "pkg/lazy.py": "def train():\n    import torch\n",
        "pkg/in_class.py": "class Model:\n    import torch.nn\n",
        "pkg/sub/__init__.py": "from pkg import heavy\n",
        "pkg/sub/leaf.py": "",  # importing it runs pkg/sub/__init__.py first
    })
    chains = _loads_at_import(tmp_path, "pkg", "torch")
    assert set(chains) == {"pkg.heavy", "pkg.uses_heavy", "pkg.in_class", "pkg.sub",
                           "pkg.sub.leaf"}
    assert chains["pkg.uses_heavy"] == ["pkg.uses_heavy", "pkg.heavy", "torch"]
    assert chains["pkg.sub.leaf"] == ["pkg.sub.leaf", "pkg.sub", "pkg.heavy", "torch"]


def test_the_app_imports_torch_only_inside_functions():
    chains = _loads_at_import(REPO, PACKAGE, "torch")
    app = {m: chain for m, chain in chains.items()
           if m == "artkit.app" or m.startswith("artkit.app.")}
    assert not app, ("importing these app modules loads torch (import it inside the function "
                     "that needs it):\n" + "\n".join(" -> ".join(c) for c in app.values()))


def test_light_imports_load_neither_torch_nor_pygame():
    code = ("import sys, artkit, artkit.api, artkit.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'pygame'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stdout
