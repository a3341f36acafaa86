"""Every full-scale config is its paper's recipe: docs/recipes.md, read from the built objects.

docs/recipes.md has one section per shipped full-scale config (every config not on
the embedded photos or Fashion-MNIST): a table of recipe fields, each with the
value the paper gives (or the documented choice where it is silent) and its
source. A section may start from another (``as `configs/...`, except:``). Here
every config is built — model, optimizer wrapper, lr schedulers, training
transforms, with stand-in teacher/tokenizer weights — and every listed value is
read from those objects by ``mimtoolkit.engine.recipe_facts`` and compared.
"""
import ast
import glob
import math
import os.path as osp
import re

import pytest
from mmengine.config import Config

from mimtoolkit.engine.recipe_facts import FIELDS, RecipeFacts
from mimtoolkit.models.targets import use_stand_in_weights
from .conftest import REPO

DOC = osp.join(REPO, 'docs', 'recipes.md')
HEADING = re.compile(r'^### `(configs/[^`]+\.py)`')
PARENT = re.compile(r'^as `(configs/[^`]+\.py)`, except')
ROW = re.compile(r'^\| ([^|]+?) \| `([^`]*)`[^|]*\| ([^|]*)\|')


def parse_recipes(text: str) -> dict:
    """{config: (parent or None, {field: (value text, source)})} from docs/recipes.md."""
    recipes, current = {}, None
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            current = heading.group(1)
            recipes[current] = [None, {}]
        elif current and PARENT.match(line):
            recipes[current][0] = PARENT.match(line).group(1)
        elif current and ROW.match(line):
            field, value, source = ROW.match(line).groups()
            recipes[current][1][field.strip()] = (value, source.strip())
    return {k: tuple(v) for k, v in recipes.items()}


RECIPES = parse_recipes(open(DOC).read())


def rows_of(path: str) -> dict:
    """The recipe's rows, its parents' first."""
    parent, rows = RECIPES[path]
    return {**(rows_of(parent) if parent else {}), **rows}


def literal(text: str):
    """A cell's value: a Python literal, or the bare word."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def same(expected, actual) -> bool:
    """Equal, floats to 1e-6 relative, lists and tuples alike."""
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        return len(expected) == len(actual) and all(map(same, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k])
                                                        for k in expected)
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and \
            not isinstance(expected, bool) and not isinstance(actual, bool):
        return math.isclose(expected, actual, rel_tol=1e-6, abs_tol=1e-12)
    return expected == actual


def mismatches(facts: RecipeFacts, rows: dict) -> dict:
    """{field: (the table's value, the built config's)} where they differ."""
    wrong = {}
    for field, (text, _) in rows.items():
        actual = facts.value(field)
        if not same(literal(text), actual):
            wrong[field] = (literal(text), actual)
    return wrong


@pytest.fixture(scope='module')
def stand_ins(tmp_path_factory):
    """Where stand-in teacher/tokenizer files go, written once per architecture."""
    return str(tmp_path_factory.mktemp('stand_ins')), {}


def built(path: str, stand_ins) -> RecipeFacts:
    cfg = Config.fromfile(osp.join(REPO, path))
    use_stand_in_weights(cfg.model, *stand_ins)
    return RecipeFacts(cfg, path)


def test_every_full_scale_config_has_a_recipe_section():
    paths = glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    configs = {osp.relpath(p, REPO) for p in paths}
    full_scale = {p for p in configs if '/_base_/' not in p
                  and not re.search(r'skimage|fashion-mnist', p)}
    assert full_scale == set(RECIPES), (
        f'missing from docs/recipes.md: {sorted(full_scale - set(RECIPES))}; '
        f'listed but absent: {sorted(set(RECIPES) - full_scale)}')


def test_every_row_names_a_known_field_and_its_source():
    for path, (parent, rows) in RECIPES.items():
        assert parent is None or parent in RECIPES, path
        assert rows or parent, f'{path} lists no value'
        for field, (_, source) in rows.items():
            assert field in FIELDS, f'{path}: unknown field {field!r}'
            assert source, f'{path}: {field} has no source'


@pytest.mark.parametrize('path', sorted(RECIPES), ids=osp.basename)
def test_config_builds_to_its_recipe(path, stand_ins):
    facts = built(path, stand_ins)
    wrong = mismatches(facts, rows_of(path))
    assert not wrong, f'{path} drifted from docs/recipes.md: {{field: (table, config)}} = {wrong}'
    base = facts.value('auto_scale_lr base')
    if base is not None:  # --auto-scale-lr at the recipe's batch keeps the paper's lr
        assert base == facts.value('total batch'), path


def test_a_config_that_drifts_from_its_recipe_fails(tmp_path, stand_ins):
    path = 'configs/mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py'
    drifted = tmp_path / osp.basename(path)
    drifted.write_text(f"_base_ = ['{osp.join(REPO, path)}']\n"
                       "optim_wrapper = dict(optimizer=dict(weight_decay=0.1))\n"
                       "model = dict(masker=dict(mask_ratio=0.6), aux_heads=[dict(\n"
                       "    type='MimicHead', in_channels=768, loss_weight=0.5,\n"
                       "    projection=None,\n"  # a fidelity switch
                       "    teacher=dict(type='CLIPTeacher', checkpoint='clip.pth'))])\n")
    facts = built(str(drifted), stand_ins)
    wrong = mismatches(facts, rows_of(path))
    assert wrong == {'weight decay': (0.05, 0.1), 'mask ratio': (0.75, 0.6),
                     'head projections': ({'aux_heads[0]': 'Linear'},
                                          {'aux_heads[0]': 'Identity'})}
