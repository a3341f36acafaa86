"""The small-scale results table: every method and hybrid on Fashion-MNIST at one budget.

    python tools/benchmarks/small_scale.py [--work-dir work_dirs/small_scale] [--images 12800]
        [--seeds 2] [--mae-seeds 3] [--bank 2000] [--val 1000] [--only NAME ...]
        [--out docs/small_scale_results.md]

Each run is ``tools/train.py`` on the first ``--images`` training images for the config's
own 2-epoch schedule (the same iterations for every method), seed S (``randomness.seed``:
the same data order; initialisation and masks follow the seed); its ``OnlineProbeHook``
probes the final encoder (k-NN, k = 20, and a 10-epoch linear probe on a ``--bank`` of
training images, ``--val`` test images). Teachers (i-MAE's distillation, MR-MAE's and the
hybrids' mimic) are the MAE run of the same seed. Then, per seed: i-MAE's linear
separability with and without distillation (``separability.py``), MixedAE's TopK sampling
accuracy with and without the homologous contrastive loss (``topk_accuracy.py``). Every
method is compared with its baseline paired (same seed): the table gives mean ± std over
seeds and the mean ± std of the per-seed differences. A finished run (its ``result.json``)
is skipped, so an interrupted table resumes where it stopped; ``--report-only`` writes the
page from the runs finished so far (listing the missing ones). Writes ``--out`` and a plot
beside it (same name, ``.png``).
"""
import argparse
import datetime
import glob
import json
import os
import os.path as osp
import platform
import statistics
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tools'))
sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))
from analysis_common import figure_path, progress_bar  # noqa: E402
from cli_common import run_cli  # noqa: E402

C = 'configs/{}_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'
TEACHED = ('model.distill_head.teacher.checkpoint', 'model.aux_heads.0.teacher.checkpoint')
#: name -> (config, baseline, extra --cfg-options, the teacher key or None)
RUNS = {
    'MAE': (C.format('mae/mae'), None, [], None),
    'MaskFeat': (C.format('maskfeat/maskfeat'), None, [], None),
    'i-MAE': (C.format('imae/imae'), 'MAE', [], TEACHED[0]),
    'i-MAE w/o distill': (C.format('imae/imae')[:-3] + '_wo-distill.py', 'MAE', [], None),
    'MixedAE': (C.format('mixedae/mixedae'), 'MAE', [], None),
    'MixedAE w/o HomoCon': (C.format('mixedae/mixedae'), 'MAE', ['model.contrastive_head=None'],
                            None),
    'MR-MAE': (C.format('mrmae/mrmae'), 'MAE', [], TEACHED[1]),
    'SemanticMIM-MAE': (C.format('semanticmim/semanticmim-mae'), 'MAE', [], None),
    'SemanticMIM-MaskFeat': (C.format('semanticmim/semanticmim-maskfeat'), 'MaskFeat', [], None),
    'MixedAE + mimic': (C.format('compose/mixedae-mimic'), 'MAE', [], TEACHED[1]),
    'MR-MAE + proxies': (C.format('compose/mrmae-proxies'), 'MAE', [], TEACHED[1]),
}
PROBE = ['custom_hooks.0.linear_epochs=10', 'custom_hooks.0.interval=1000']  # at the end only


def torch_threads() -> int:
    """torch's default intra-op thread count here."""
    import torch
    return torch.get_num_threads()


def provenance(args) -> dict:
    """What a run's numbers depend on besides its config: the code, torch, the threads."""
    import torch

    def git(*cmd):
        return subprocess.run(['git', *cmd], cwd=REPO, capture_output=True,
                              text=True).stdout.strip()
    return dict(commit=git('rev-parse', 'HEAD'),
                uncommitted_changes=bool(git('status', '--porcelain', '--untracked-files=no')),
                torch=torch.__version__, threads=args.threads, python=platform.python_version())


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='small-scale results table (Fashion-MNIST)')
    parser.add_argument('--work-dir', default=osp.join(REPO, 'work_dirs', 'small_scale'))
    parser.add_argument('--images', type=int, default=12800, help='training images per epoch')
    parser.add_argument('--seeds', type=int, default=2, help='seeds per method (>= 2)')
    parser.add_argument('--mae-seeds', type=int, default=3, help='seeds of MAE (the spread)')
    parser.add_argument('--bank', type=int, default=2000, help='k-NN bank / linear train images')
    parser.add_argument('--val', type=int, default=1000, help='probe test images')
    parser.add_argument('--only', nargs='+', help=f'a subset of {list(RUNS)}')
    parser.add_argument('--out', default=osp.join(REPO, 'docs', 'small_scale_results.md'))
    parser.add_argument('--threads', type=int, default=torch_threads(),
                        help='CPU threads of every run (the same run needs the same count)')
    parser.add_argument('--report-only', action='store_true',
                        help='train nothing: write the page from the runs finished so far')
    return parser.parse_args(argv)


def tool(args, log: str, threads: int) -> None:
    """Run a repo tool with the venv's python on ``threads`` threads; output goes to ``log``."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with open(log, 'w') as f:
        proc = subprocess.run([sys.executable, *args], cwd=REPO, stdout=f, stderr=subprocess.STDOUT,
                              env=env)
    if proc.returncode:
        from mimtoolkit.utils import ConfigError
        raise ConfigError(f'{" ".join(args[:2])} failed (exit {proc.returncode}); see {log}')


def run_dir(name: str, seed: int, args) -> str:
    """Where the run of ``name`` at ``seed`` lives."""
    return osp.join(args.work_dir, name.replace(' ', '_').replace('/', ''), f'seed{seed}')


def finished(name: str, seed: int, args):
    """The run's result.json, or None when it has not finished."""
    done = osp.join(run_dir(name, seed, args), 'result.json')
    return json.load(open(done)) if osp.isfile(done) else None


def train(name: str, seed: int, args) -> dict:
    """One pretraining run (skipped when its result.json exists); its probe numbers."""
    config, _, extra, teacher = RUNS[name]
    result = finished(name, seed, args)
    if result is not None:
        return result
    directory = run_dir(name, seed, args)
    done = osp.join(directory, 'result.json')
    options = [f'randomness.seed={seed}', f'train_dataloader.dataset.indices={args.images}',
               *PROBE, f'custom_hooks.0.train_dataset.indices={args.bank}',
               f'custom_hooks.0.val_dataset.indices={args.val}', *extra]
    if teacher:
        options.append(f"{teacher}={train('MAE', seed, args)['checkpoint']}")
    os.makedirs(directory, exist_ok=True)
    start = time.time()
    tool(['tools/train.py', config, '--work-dir', directory, '--cfg-options', *options],
         osp.join(directory, 'train.out'), args.threads)
    records = [json.loads(line) for path in sorted(_scalars(directory)) for line in open(path)]
    probe = [r for r in records if 'knn_top1' in r][-1]
    result = dict(name=name, seed=seed, config=config, options=options,
                  weights_sha256=weights_digest(osp.join(directory, 'epoch_2.pth')),
                  knn_top1=probe['knn_top1'], linear_top1=probe['linear_top1'],
                  checkpoint=osp.join(directory, 'epoch_2.pth'), seconds=time.time() - start,
                  **provenance(args))
    json.dump(result, open(done, 'w'), indent=1)
    return result


def weights_digest(checkpoint: str) -> str:
    """sha256 of a checkpoint's model weights (names and bytes, in name order)."""
    import hashlib

    import torch
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)['state_dict']
    digest = hashlib.sha256()
    for key in sorted(state):
        digest.update(key.encode())
        digest.update(state[key].cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def _scalars(run_dir: str) -> list:
    return glob.glob(osp.join(run_dir, '*', 'vis_data', 'scalars.json'))


def analyses(results: dict, args, seeds: list) -> dict:
    """i-MAE separability and MixedAE TopK accuracy per seed (skipped when done)."""
    out = {}
    for seed in seeds:
        row = {}
        have = {name: r for (name, s), r in results.items() if s == seed}
        if {'MAE', 'i-MAE', 'i-MAE w/o distill'} <= set(have):
            path = osp.join(args.work_dir, f'separability_seed{seed}.json')
            if not osp.isfile(path):
                tool(['tools/analysis_tools/separability.py',
                      '--model', 'i-MAE', RUNS['i-MAE'][0], have['i-MAE']['checkpoint'],
                      '--model', 'i-MAE w/o distill', RUNS['i-MAE w/o distill'][0],
                      have['i-MAE w/o distill']['checkpoint'],
                      '--reference', RUNS['MAE'][0], have['MAE']['checkpoint'],
                      '--val-split', 'test', '--seed', str(seed), '--out', path],
                     path[:-5] + '.out', args.threads)
            row['separability'] = json.load(open(path))['results']
        for name in ('MixedAE', 'MixedAE w/o HomoCon'):
            if name in have:
                path = osp.join(args.work_dir, f'topk_{name.replace(" ", "_").replace("/", "")}'
                                f'_seed{seed}.json')
                overrides = ['--cfg-options', *RUNS[name][2]] if RUNS[name][2] else []
                if not osp.isfile(path):
                    tool(['tools/analysis_tools/topk_accuracy.py', RUNS[name][0],
                          have[name]['checkpoint'], '--val-split', 'test', '--seed', str(seed),
                          '--out', path, *overrides], path[:-5] + '.out', args.threads)
                row.setdefault('topk', {})[name] = json.load(open(path))['accuracy']
        out[seed] = row
    return out


def mean_std(values: list) -> str:
    """'mean ± std' (sample std; '—' for one value) in percent points."""
    values = [100 * v for v in values]
    spread = f' ± {statistics.stdev(values):.2f}' if len(values) > 1 else ''
    return f'{statistics.mean(values):.2f}{spread}'


def report(results: dict, extra: dict, args, missing: list, names: list) -> str:
    """The markdown page."""
    made = sorted({(r.get('commit', '?')[:7], r.get('uncommitted_changes'), r.get('torch'),
                    r.get('threads')) for r in results.values()}, key=str)
    runs_by = '; '.join(f'commit `{c}`' + (' with uncommitted changes' if dirty else '')
                        + f', torch {t}, {n} threads' for c, dirty, t, n in made)
    lines = [
        '# Small-scale results (Fashion-MNIST, CPU)', '',
        'Made by `python tools/benchmarks/small_scale.py` (`bash tools/benchmarks/small_scale.sh`)'
        f', {datetime.date.today()}, on {platform.node() or "this machine"}'
        f' ({os.cpu_count()} cores, {platform.processor() or platform.machine()}); the runs '
        f'took {sum(r.get("seconds", 0) for r in results.values()) / 60:.0f} min in all (each '
        f'run\'s own time; the analyses below add a few minutes). The runs: {runs_by} (each '
        '`result.json` records its commit, config, options, seed, torch version and threads).',
        '',
        *([f'**Partial**: {len(missing)} planned runs are not finished yet: '
           + ', '.join(f'{n} (seed {s})' for n, s in missing)
           + '. Run the command again to finish them (finished runs are skipped).', '']
          if missing else []),
        f'**Budget** (every run): the first {args.images} Fashion-MNIST training images, the '
        'configs\' own 2-epoch schedule (AdamW 1e-3, batch 64, 200 warm-up iterations, '
        f'{2 * args.images // 64} iterations), mim-tiny ViT (6 layers, width 192, patch 4 on 32 '
        'x 32). **Probes** of the final encoder (`OnlineProbeHook`, frozen [CLS] after the final '
        'norm): k-NN (k = 20, T = 0.07) and a linear classifier (10 epochs on the features), '
        f'bank = the first {args.bank} training images, evaluated on the first {args.val} test '
        'images. Teachers '
        '(i-MAE distillation, MR-MAE and hybrid mimic) are the same seed\'s MAE run. '
        'Differences are paired: method − baseline at the same seed (the same data order, '
        'from the sampler\'s seed; initialisation and masks follow the seed too, but differ '
        'where two models build or draw different things), mean ± std over seeds. No tuning per '
        'method. BEiT has no row: its target is a pretrained image tokenizer (DALL-E or VQKD) '
        'whose weights cannot be fetched on this machine, and a stand-in tokenizer\'s tokens '
        'would not be BEiT\'s target.', '',
        'Seeds: each row averages the seeds it lists; a paired Δ averages the method\'s seeds, '
        'each against the baseline run of the same seed (so MAE\'s extra seeds, which give its '
        'spread, enter no Δ).', '',
        '| method | seeds | k-NN top-1 (%) | linear top-1 (%) | baseline | Δ k-NN (paired) | '
        'Δ linear (paired) |', '|---|---|---|---|---|---|---|']
    agree = []
    for name in names:
        runs = sorted((s, r) for (n, s), r in results.items() if n == name)
        if not runs:
            continue
        base = RUNS[name][1]
        cells = [name, ', '.join(str(s) for s, _ in runs),
                 mean_std([r['knn_top1'] for _, r in runs]),
                 mean_std([r['linear_top1'] for _, r in runs]), base or '—']
        for key in ('knn_top1', 'linear_top1'):
            diffs = [r[key] - results[(base, s)][key] for s, r in runs
                     if base and (base, s) in results]
            cells.append(mean_std(diffs) if diffs else '—')
        lines.append('| ' + ' | '.join(cells) + ' |')
        if len(runs) > 1 and len({(r['knn_top1'], r['linear_top1']) for _, r in runs}) == 1:
            agree.append(name)
    for name in agree:
        runs = [r for (n, _), r in sorted(results.items()) if n == name]
        same = len({r.get('weights_sha256') for r in runs}) == 1
        lines += ['', f'**{name}: its seeds agree exactly.** ' + (
            'Its seeds trained the same weights: the seed did not reach this run.' if same else
            'The seeds trained different weights (their checkpoints differ), whose frozen '
            f'features the probes classify alike: the same count of the {args.val} test images '
            'right, for k-NN and the linear probe.')]
    sep = {s: e['separability'] for s, e in extra.items() if 'separability' in e}
    if sep:
        lines += ['', '## i-MAE linear separability (§3.2, Tab. 4), with and without distillation',
                  '', 'Subordinate weight 0.3, MAE (same seed) as the reference encoder, 512 + 256 '
                  'test images (`separability.py --val-split test`); mean ± std over seeds.', '',
                  '| model | R² Fore | R² Aft | cos Fore | cos Aft |', '|---|---|---|---|---|']
        for model in ('i-MAE', 'i-MAE w/o distill'):
            cells = [model]
            for metric in ('r2', 'cosine'):
                for stage in ('fore', 'aft'):
                    vals = [v[model][stage][metric] for v in sep.values() if v[model][stage]]
                    cells.append(f'{statistics.mean(vals):.3f}' + (
                        f' ± {statistics.stdev(vals):.3f}' if len(vals) > 1 else '')
                        if vals else '—')
            lines.append('| ' + ' | '.join(cells) + ' |')
    topk = {s: e['topk'] for s, e in extra.items() if 'topk' in e}
    if topk:
        layers = sorted({int(layer) for v in topk.values() for m in v.values() for layer in m})
        lines += ['', '## MixedAE TopK sampling accuracy per layer (Fig. 6), with and without '
                  'the homologous contrastive loss', '', '256 test images mixed by the model\'s '
                  'own mixer (`topk_accuracy.py --val-split test`); chance = r = 0.25; '
                  'mean ± std over seeds.', '',
                  '| model | ' + ' | '.join(f'layer {i}' for i in layers) + ' |',
                  '|---|' + '---|' * len(layers)]
        for model in ('MixedAE', 'MixedAE w/o HomoCon'):
            cells = [model]
            for layer in layers:
                vals = [v[model][str(layer)] for v in topk.values() if model in v]
                cells.append(f'{statistics.mean(vals):.3f}' + (
                    f' ± {statistics.stdev(vals):.3f}' if len(vals) > 1 else '')
                    if vals else '—')
            lines.append('| ' + ' | '.join(cells) + ' |')
    lines += ['', f'Plot: [{osp.basename(figure_path(args.out))}]'
              f'({osp.basename(figure_path(args.out))}). Per-run numbers, options and times: '
              f'`{osp.relpath(args.work_dir, REPO)}/*/seed*/result.json`.', '']
    return '\n'.join(lines)


def plot(results: dict, names: list, path: str) -> None:
    """k-NN and linear top-1 per method, mean with the seeds as dots."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = [n for n in names if any(k[0] == n for k in results)]
    fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(names)), 4), dpi=100)
    series = ((-0.2, 'knn_top1', 'tab:blue'), (0.2, 'linear_top1', 'tab:orange'))
    for offset, key, colour in series:
        for i, name in enumerate(names):
            vals = [100 * r[key] for (n, _), r in results.items() if n == name]
            ax.bar(i + offset, statistics.mean(vals), 0.38, color=colour,
                   label=key if i == 0 else None)
            ax.scatter([i + offset] * len(vals), vals, color='black', s=8, zorder=3)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha='right', fontsize=8)
    ax.set_ylabel('top-1 (%)')
    lows = [100 * r[k] for r in results.values() for k in ('knn_top1', 'linear_top1')]
    ax.set_ylim(max(0, min(lows) - 5), min(100, max(lows) + 3))
    ax.set_title('Fashion-MNIST probes at one budget (bars: mean; dots: seeds)')
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> None:
    args = parse_args(argv)
    from mimtoolkit.utils import require
    names = args.only or list(RUNS)
    unknown = [n for n in names if n not in RUNS]
    require(not unknown, '--only', unknown, f'names among {list(RUNS)}')
    require(args.seeds >= 1 and args.mae_seeds >= args.seeds, '--seeds / --mae-seeds',
            (args.seeds, args.mae_seeds), 'seeds >= 1 and mae-seeds >= seeds')
    plan = [(n, s) for n in names for s in range(args.mae_seeds if n == 'MAE' else args.seeds)]
    results = {}
    bar = None if args.report_only else progress_bar(len(plan))
    for name, seed in plan:
        result = finished(name, seed, args) if args.report_only else train(name, seed, args)
        if result is not None:
            results[(name, seed)] = result
        if bar is not None:
            bar.update()
    print(file=sys.stderr)
    require(bool(results), '--work-dir', args.work_dir, 'a folder with finished runs')
    missing = [key for key in plan if key not in results]
    extra = analyses(results, args, sorted({s for _, s in results}))
    page = report(results, extra, args, missing, names)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        f.write(page)
    plot(results, names, figure_path(args.out))
    print(page)
    print(f'saved {args.out} and {figure_path(args.out)}')


if __name__ == '__main__':
    run_cli(main)
