"""i-MAE's weight-distribution figure (Fig. 5 left): histograms of encoders' weights, overlaid.

    python tools/analysis_tools/weight_distribution.py \
        --model MAE MAE_CKPT --model i-MAE IMAE_CKPT [--prefix backbone.] [--bins 200]
        [--near-zero 0.01] [--out weights.png] [--json stats.json]

Every weight matrix of each checkpoint's encoder (linear and conv kernels under
``--prefix``; norms, biases, tokens and position embeddings left out) goes into one
density histogram; all models share the bins (± the largest 99.9% quantile of |w|),
drawn on a log scale as the paper's figure compares the tails. Prints, per model, the
count, std, excess kurtosis, the fraction of |w| < ``--near-zero`` and the Hoyer
sparsity (the paper: "our weights are sparser"), and writes them as JSON.
Checkpoints: ours (``backbone.*``), mmpretrain's, or an extracted backbone with
``--prefix ''``.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='weight distributions of encoders')
    parser.add_argument('--model', nargs=2, action='append', required=True,
                        metavar=('LABEL', 'CHECKPOINT'), help='repeat for each model')
    parser.add_argument('--prefix', default='backbone.', help="the encoder's key prefix")
    parser.add_argument('--bins', type=int, default=200)
    parser.add_argument('--near-zero', type=float, default=1e-2)
    parser.add_argument('--out', default='weight_distribution.png', help='PNG path')
    parser.add_argument('--json', help='statistics and histograms as JSON')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mimtoolkit.evaluation import encoder_weights, shared_histograms, weight_summary
    from mimtoolkit.utils import load_state_dict_file, require
    labels = [label for label, _ in args.model]
    require(len(set(labels)) == len(labels), '--model LABEL', labels, 'distinct labels')
    values = {}
    for label, path in args.model:
        try:
            values[label] = encoder_weights(load_state_dict_file(path, '--model'), args.prefix)
        except ValueError as e:
            require(False, '--prefix', args.prefix, f'the encoder prefix of {path} ({e})')
    stats = {k: weight_summary(v, args.near_zero) for k, v in values.items()}
    hist = shared_histograms(values, args.bins)
    print('| model | weights | std | excess kurtosis | '
          f'|w| < {args.near_zero:g} | Hoyer sparsity |')
    print('|---|---|---|---|---|---|')
    for label, s in stats.items():
        print(f"| {label} | {s['count']} | {s['std']:.4f} | {s['kurtosis']:.2f} | "
              f"{s['near_zero']:.3f} | {s['hoyer_sparsity']:.4f} |")
    edges = hist['edges']
    centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:])]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for label in labels:
        ax.plot(centres, hist[label], label=label)
    ax.set_yscale('log')
    ax.set_xlabel('weight value')
    ax.set_ylabel('density')
    ax.set_title('encoder weight distribution')
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.out)
    print(f'saved {args.out}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(stats=stats, histogram=hist), f)
        print(f'saved {args.json}')


if __name__ == '__main__':
    run_cli(main)
