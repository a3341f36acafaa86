"""tools/benchmarks/small_scale.sh: runs, probes, paired differences, the page, resuming."""
import json
import os.path as osp
import subprocess

import pytest

from ..conftest import REPO

pytestmark = [pytest.mark.slow,
              pytest.mark.fashion_mnist]


def table(work_dir, out, *only):
    """The table of the runs ``only`` (one seed, 64 images, 2 threads) in ``work_dir``."""
    return subprocess.run(
        ['bash', 'tools/benchmarks/small_scale.sh', '--work-dir', str(work_dir), '--out', str(out),
         '--only', *only, '--images', '64', '--seeds', '1', '--mae-seeds', '1', '--bank', '100',
         '--val', '50', '--threads', '2'], cwd=REPO, capture_output=True, text=True, check=True)


def test_a_row_repeats_exactly_then_its_table_is_written_and_resumed(tmp_path):
    """MixedAE (segment embeddings, TopK attention, the contrastive head) twice, in two folders:
    its probes, weights and TopK accuracies are equal (on two threads, where the old
    segment-embedding indexing made them differ) and its result.json says what ran. Then the
    table of MixedAE and its baseline MAE in the first folder: MixedAE is found finished, MAE
    trains, the page has the paired difference; a last call trains nothing."""
    first, page_path = tmp_path / 'first', tmp_path / 'first.md'
    results, topk = [], []
    for copy in ('first', 'second'):
        table(tmp_path / copy, tmp_path / f'{copy}.md', 'MixedAE')
        results.append(json.load(open(tmp_path / copy / 'MixedAE' / 'seed0' / 'result.json')))
        topk.append(json.load(open(tmp_path / copy / 'topk_MixedAE_seed0.json'))['accuracy'])
    keys = ('knn_top1', 'linear_top1', 'weights_sha256')
    assert {k: results[1][k] for k in keys} == {k: results[0][k] for k in keys}
    assert topk[0] == topk[1]
    head = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    import torch
    assert results[0]['commit'] == head and results[0]['torch'] == torch.__version__
    assert (results[0]['threads'], results[0]['seed']) == (2, 0)
    assert 'randomness.seed=0' in results[0]['options']
    assert results[0]['config'].startswith('configs/mixedae/')
    assert f'commit `{head[:7]}`' in page_path.read_text()

    mixedae_trained = osp.getmtime(first / 'MixedAE' / 'seed0' / 'train.out')
    table(first, page_path, 'MAE', 'MixedAE')  # MixedAE is done: only MAE trains
    assert osp.getmtime(first / 'MixedAE' / 'seed0' / 'train.out') == mixedae_trained
    page = page_path.read_text()
    assert (tmp_path / 'first.png').is_file()
    main = page.split('| model |')[0]  # the methods' table, not the TopK accuracies after it
    rows = {line.split(' | ')[0][2:]: line.split(' | ') for line in main.splitlines()
            if line.startswith('| MAE') or line.startswith('| MixedAE')}
    assert set(rows) == {'MAE', 'MixedAE'}
    runs = {n: json.load(open(first / n / 'seed0' / 'result.json')) for n in ('MAE', 'MixedAE')}
    assert all(0 <= r['knn_top1'] <= 1 and 0 <= r['linear_top1'] <= 1 for r in runs.values())
    assert rows['MAE'][1] == '0' and rows['MAE'][4] == '—'  # seed 0; a baseline
    diff = 100 * (runs['MixedAE']['knn_top1'] - runs['MAE']['knn_top1'])
    assert rows['MixedAE'][5] == f'{diff:.2f}'  # paired, one seed: no spread
    assert 'the first 64 Fashion-MNIST training images' in page and '2 iterations' in page
    # a last call resumes: every run is found finished, nothing is trained again
    before = {n: osp.getmtime(first / n / 'seed0' / 'train.out') for n in runs}
    table(first, page_path, 'MAE', 'MixedAE')
    assert before == {n: osp.getmtime(first / n / 'seed0' / 'train.out') for n in runs}
    assert page_path.read_text().split('| method')[1] == page.split('| method')[1]


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
