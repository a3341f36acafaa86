"""The package's import graph: cycles, and imports that run up the layers of DESIGN.md §1.

    python tools/misc/import_graph.py [--root .]

Every ``import`` statement of ``mimtoolkit/`` counts, the deferred ones inside functions too
(a deferred import hides a cycle from Python, not from a reader). Layers, lowest first:
``registry``/``utils``/``structures``, then ``functional`` (what models, datasets and the
analyses share), then ``datasets``/``evaluation``/``visualization``, then ``models``/``engine``,
then ``parts``/``reproduce``; a module may import its own layer and those below. Within
``models``, the training parts import no analysis (``evaluation``) and no part imports a
pretrainer (:data:`FORBIDDEN`).
"""
import argparse
import ast
import os
import os.path as osp
import sys
from typing import Dict, List, Set, Tuple

#: The layer of each top-level subpackage (DESIGN.md §1: imports run downward).
LAYERS = {'registry': 0, 'utils': 0, 'structures': 0, 'functional': 1, 'datasets': 2,
          'evaluation': 2, 'visualization': 2, 'models': 3, 'engine': 3, 'parts': 4,
          'reproduce': 4}

#: (importer prefix, imported prefix, why) pairs refused beyond the layers.
FORBIDDEN = (
    ('mimtoolkit.models', 'mimtoolkit.evaluation', 'a training part imports an analysis'),
    ('mimtoolkit.models.', 'mimtoolkit.models.pretrainers',
     'a part imports a pretrainer (parts never know which method uses them)'),
)


def package_modules(root: str, package: str = 'mimtoolkit') -> Dict[str, str]:
    """{dotted module name: file path} of every ``.py`` file of the package."""
    modules = {}
    for folder, _, files in os.walk(osp.join(root, package)):
        for name in files:
            if name.endswith('.py'):
                path = osp.join(folder, name)
                dotted = osp.relpath(path, root)[:-3].replace(os.sep, '.')
                if dotted.endswith('.__init__'):
                    dotted = dotted[:-len('.__init__')]
                modules[dotted] = path
    return modules


def _targets(module: str, node: ast.AST, is_package: bool) -> List[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if is_package else module.rsplit('.', 1)[0]
    if node.level:
        parts = base.split('.')
        base = '.'.join(parts[:len(parts) - node.level + 1])
        full = base + ('.' + node.module if node.module else '')
    else:
        full = node.module
    return [f'{full}.{alias.name}' for alias in node.names]  # the module itself, or its package


def import_graph(root: str) -> Dict[str, Set[str]]:
    """{module: the package modules it imports} (``from a import b``: ``a.b`` where that is a
    module, else ``a``)."""
    modules = package_modules(root)
    graph = {}
    for module, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, node, path.endswith('__init__.py')):
                    while target and target not in modules:
                        target = target.rsplit('.', 1)[0] if '.' in target else ''
                    if target and target != module:
                        edges.add(target)
        graph[module] = edges
    return graph


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return groups


def layer_of(module: str) -> int:
    """The layer of a module (its top-level subpackage; the package itself is above all)."""
    parts = module.split('.')
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else max(LAYERS.values()) + 1


def upward_imports(graph: Dict[str, Set[str]]) -> List[Tuple[str, str]]:
    """(importer, imported) pairs where a module imports a higher layer."""
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if layer_of(b) > layer_of(a))


def forbidden_imports(graph: Dict[str, Set[str]]) -> List[Tuple[str, str, str]]:
    """(importer, imported, why) for the pairs of :data:`FORBIDDEN`."""
    found = []
    for a, targets in graph.items():
        for b in targets:
            for importer, imported, why in FORBIDDEN:
                if a.startswith(importer) and b.startswith(imported) and \
                        not a.startswith(imported):
                    found.append((a, b, why))
    return sorted(found)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default=osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))), help='the repository root (default: this checkout)')
    args = parser.parse_args(argv)
    graph = import_graph(args.root)
    groups, upward = cycles(graph), upward_imports(graph)
    print(f'{len(graph)} modules; import cycles: {len(groups)} '
          f'({", ".join(str(len(g)) for g in groups) or "none"} modules)')
    for group in groups:
        print('  cycle:', ', '.join(group))
    print(f'imports up the layers: {len(upward)}')
    for a, b in upward:
        print(f'  {a} -> {b}')
    forbidden = forbidden_imports(graph)
    print(f'forbidden imports: {len(forbidden)}')
    for a, b, why in forbidden:
        print(f'  {a} -> {b} ({why})')


if __name__ == '__main__':
    main()
