"""tools/misc/import_graph.py: the package imports downward, and the check sees when it does not."""
import importlib.util
import os.path as osp

from ..conftest import REPO

spec = importlib.util.spec_from_file_location(
    'import_graph', osp.join(REPO, 'tools', 'misc', 'import_graph.py'))
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)


def test_the_package_has_no_cycle_no_upward_and_no_forbidden_import():
    graph = import_graph.import_graph(REPO)
    assert 'mimtoolkit.models.backbones.mim_vit' in graph  # it read the package
    assert import_graph.cycles(graph) == []
    assert import_graph.upward_imports(graph) == []
    assert import_graph.forbidden_imports(graph) == []


def test_a_cycle_an_upward_and_a_forbidden_import_are_found(tmp_path):
    files = {
        '__init__.py': '',
        'registry.py': 'def parts():\n    import mimtoolkit.models  # deferred, still counted\n',
        'evaluation/__init__.py': '', 'evaluation/maps.py': '',
        'models/__init__.py': 'from mimtoolkit import registry\n',
        'models/pretrainers/__init__.py': '', 'models/pretrainers/mae.py': '',
        'models/targets/__init__.py': '',
        'models/targets/teacher.py': ('from mimtoolkit.evaluation.maps import x\n'
                                      'from ..pretrainers import mae\n'),
    }
    for name, text in files.items():
        path = tmp_path / 'mimtoolkit' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    graph = import_graph.import_graph(str(tmp_path))
    assert import_graph.cycles(graph) == [['mimtoolkit.models', 'mimtoolkit.registry']]
    assert import_graph.upward_imports(graph) == [('mimtoolkit.registry', 'mimtoolkit.models')]
    assert [(a, b) for a, b, _ in import_graph.forbidden_imports(graph)] == [
        ('mimtoolkit.models.targets.teacher', 'mimtoolkit.evaluation.maps'),
        ('mimtoolkit.models.targets.teacher', 'mimtoolkit.models.pretrainers.mae')]
