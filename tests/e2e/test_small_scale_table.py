"""tools/benchmarks/small_scale.sh: runs, probes, paired differences, the page, resuming."""
import json
import os.path as osp
import subprocess

import pytest

from ..conftest import REPO

pytestmark = [pytest.mark.slow,
              pytest.mark.fashion_mnist]


def table(tmp_path, *extra):
    return subprocess.run(
        ['bash', 'tools/benchmarks/small_scale.sh', '--work-dir', str(tmp_path / 'runs'),
         '--out', str(tmp_path / 'results.md'), '--only', 'MaskFeat', 'SemanticMIM-MaskFeat',
         '--images', '128', '--seeds', '1', '--mae-seeds', '1', '--bank', '100', '--val', '50',
         *extra], cwd=REPO, capture_output=True, text=True, check=True)


def test_table_of_a_method_and_its_baseline_written_and_resumed(tmp_path):
    table(tmp_path)
    page = (tmp_path / 'results.md').read_text()
    assert (tmp_path / 'results.png').is_file()
    rows = {line.split(' | ')[0][2:]: line.split(' | ') for line in page.splitlines()
            if line.startswith('| MaskFeat') or line.startswith('| SemanticMIM')}
    assert set(rows) == {'MaskFeat', 'SemanticMIM-MaskFeat'}
    runs = {(n, s): json.load(open(tmp_path / 'runs' / n / f'seed{s}' / 'result.json'))
            for n in ('MaskFeat', 'SemanticMIM-MaskFeat') for s in (0, )}
    assert all(0 <= r['knn_top1'] <= 1 and 0 <= r['linear_top1'] <= 1 for r in runs.values())
    assert rows['MaskFeat'][1] == '0' and rows['MaskFeat'][4] == '—'  # seed 0; a baseline
    diff = 100 * (runs[('SemanticMIM-MaskFeat', 0)]['knn_top1'] -
                  runs[('MaskFeat', 0)]['knn_top1'])
    assert rows['SemanticMIM-MaskFeat'][5] == f'{diff:.2f}'  # paired, one seed: no spread
    assert 'the first 128 Fashion-MNIST training images' in page and '4 iterations' in page
    # a second call resumes: every run is found finished, nothing is trained again
    before = {k: osp.getmtime(tmp_path / 'runs' / k[0] / f'seed{k[1]}' / 'train.out')
              for k in runs}
    table(tmp_path)
    assert before == {k: osp.getmtime(tmp_path / 'runs' / k[0] / f'seed{k[1]}' / 'train.out')
                      for k in runs}
    assert (tmp_path / 'results.md').read_text().split('| method')[1] == page.split('| method')[1]


def test_paired_differences_are_per_seed_then_averaged():
    import argparse
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'small_scale', osp.join(REPO, 'tools', 'benchmarks', 'small_scale.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = {('MaskFeat', 0): dict(knn_top1=0.60, linear_top1=0.70),
               ('MaskFeat', 1): dict(knn_top1=0.70, linear_top1=0.72),
               ('SemanticMIM-MaskFeat', 0): dict(knn_top1=0.62, linear_top1=0.71),
               ('SemanticMIM-MaskFeat', 1): dict(knn_top1=0.73, linear_top1=0.74)}
    args = argparse.Namespace(images=128, bank=200, val=100, work_dir=REPO,
                              out=osp.join(REPO, 'x.md'))
    page = module.report(results, {}, args, [], ['MaskFeat', 'SemanticMIM-MaskFeat'])
    row = [line for line in page.splitlines() if line.startswith('| SemanticMIM')][0].split(' | ')
    assert row[2] == '67.50 ± 7.78'  # the method's own spread over seeds is large ...
    assert row[5] == '2.50 ± 0.71'  # ... the paired difference (+2, +3 points) is not
    assert row[6].startswith('1.50 ± 0.71')
    assert 'Partial' not in page
    partial = module.report(results, {}, args, [('MAE', 2)], ['MaskFeat', 'SemanticMIM-MaskFeat'])
    assert '**Partial**: 1 planned runs are not finished yet: MAE (seed 2).' in partial


def test_a_row_repeats_exactly_and_records_what_made_it(tmp_path):
    """MixedAE (segment embeddings, TopK attention, the contrastive head), twice: its probes,
    weights and TopK accuracies are equal, and each result.json says what ran."""
    results, topk = [], []
    for copy in ('first', 'second'):
        subprocess.run(
            ['bash', 'tools/benchmarks/small_scale.sh', '--work-dir', str(tmp_path / copy),
             '--out', str(tmp_path / f'{copy}.md'), '--only', 'MixedAE', '--images', '64',
             '--seeds', '1', '--mae-seeds', '1', '--bank', '100', '--val', '50',
             '--threads', '2'], cwd=REPO, capture_output=True, text=True, check=True)
        results.append(json.load(open(tmp_path / copy / 'MixedAE' / 'seed0' / 'result.json')))
        topk.append(json.load(open(tmp_path / copy / 'topk_MixedAE_seed0.json'))['accuracy'])
    keys = ('knn_top1', 'linear_top1', 'weights_sha256')
    assert [{k: r[k] for k in keys} for r in results[1:]] == [{k: results[0][k] for k in keys}]
    assert topk[0] == topk[1]
    head = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    import torch
    assert results[0]['commit'] == head and results[0]['torch'] == torch.__version__
    assert (results[0]['threads'], results[0]['seed']) == (2, 0)
    assert 'randomness.seed=0' in results[0]['options']
    assert results[0]['config'].startswith('configs/mixedae/')
    assert f'commit `{head[:7]}`' in (tmp_path / 'first.md').read_text()
