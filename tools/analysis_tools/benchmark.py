"""Training-step throughput and peak memory of a config, against a reference, in one run.

    python tools/analysis_tools/benchmark.py CONFIG [--vs mmpretrain-mae | --vs CONFIG2]
        [--amp] [--vs-amp] [--compile] [--vs-compile] [--batch-size N] [--rounds R]
        [--steps S] [--warmup W]
        [--teacher-from-init] [--device cuda|cpu] [--peak-tflops T] [--cfg-options k=v ...]
    python tools/analysis_tools/benchmark.py attention:HomologousAttention \
        --vs attention:DenseAttention [--batch-size 8] [--tokens 197] [--embed-dims 384]
        [--heads 6] [--k-ratio 0.25] [--full-layer] [--profile]

A step is forward + backward + optimizer step (AdamW) on a batch of
preprocessed-shape inputs (B, 3, H, W). FLOPs per step are counted from the
model's shapes (``mimtoolkit.evaluation.block_flops.step_flops``: matrix
products at 2 FLOPs per multiply-add; the encoder on the tokens it sees, the
decoder, heads and frozen teacher; 3x the forward for trained modules, 1x for
frozen ones), and MFU = FLOPs per step x steps/s / the device's dense bf16
peak (``PEAK_TFLOPS`` or ``--peak-tflops``; none on a CPU without it). The two models alternate in rounds
(R rounds of S steps each), so machine noise hits both alike; images/s is the
median over rounds. ``--vs mmpretrain-mae`` builds mmpretrain's own ``MAE``
(``MAEViT`` + ``MAEPretrainDecoder`` + ``MAEPretrainHead``) with the config's
sizes. Peak memory: ``torch.cuda.max_memory_allocated`` on GPU; on CPU the peak
resident-set growth (sampled every 2 ms) of a fresh process running 2 steps,
beyond the built model.
"""
import argparse
import contextlib
import multiprocessing as mp
import os.path as osp
import resource
import statistics
import sys
import tempfile
import threading
import time
from typing import Tuple

import torch
from mmengine.config import Config, DictAction

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from cli_common import run_cli  # noqa: E402

REFERENCES = ('mmpretrain-mae', )
#: Dense bf16 peak TFLOP/s by GPU name (SXM parts; a PCIe H100 has 756: pass --peak-tflops).
PEAK_TFLOPS = {'A100': 312.0, 'H100': 989.0, 'H200': 989.0, 'L40S': 362.0}


def peak_tflops(args) -> float:
    """The device's dense bf16 peak: ``--peak-tflops``, else the table for a known GPU, else 0."""
    if args.peak_tflops:
        return args.peak_tflops
    name = torch.cuda.get_device_name() if args.device == 'cuda' else ''
    return next((peak for gpu, peak in PEAK_TFLOPS.items() if gpu in name), 0.0)


def mmpretrain_mae_cfg(cfg: Config) -> dict:
    """mmpretrain's own MAE with the sizes of a mimtoolkit MAE config."""
    model = cfg.model
    if model.type != 'MAE':
        raise SystemExit(f'--vs mmpretrain-mae needs an MAE config, got model.type={model.type!r}')
    bb = model.backbone
    from mimtoolkit.models.backbones import MIMViT
    arch = MIMViT.arch_zoo[bb.arch] if isinstance(bb.arch, str) else bb.arch
    return dict(
        type='mmpretrain.MAE',
        data_preprocessor=model.data_preprocessor,
        backbone=dict(type='mmpretrain.MAEViT', arch=arch, img_size=bb.img_size,
                      patch_size=bb.patch_size, mask_ratio=model.masker.mask_ratio),
        neck=dict(model.neck, type='mmpretrain.MAEPretrainDecoder'),
        head=dict(type='mmpretrain.MAEPretrainHead', norm_pix=model.head.norm_pix,
                  patch_size=model.head.patch_size, loss=model.head.loss),
        init_cfg=model.get('init_cfg'))


def build(spec: str, base_cfg: Config):
    """A model and its input size from the config itself, a reference name, or another config."""
    from mimtoolkit.registry import MODELS
    if spec in REFERENCES:
        model_cfg, img = mmpretrain_mae_cfg(base_cfg), base_cfg.model.backbone.img_size
    else:
        cfg = base_cfg if spec == base_cfg.filename else Config.fromfile(spec)
        model_cfg, img = cfg.model, cfg.model.backbone.img_size
    model = MODELS.build(model_cfg)
    model.init_weights()
    return model.train(), img


def precision(amp: bool, device: str):
    """The autocast dtype ``--amp`` gives on ``device`` (``AutoAmpOptimWrapper``'s), or None."""
    from mimtoolkit.engine.optimizers import amp_dtype
    return amp_dtype('auto', device) if amp else None


def wall_seconds(step, steps: int, device: str) -> float:
    """Seconds that ``steps`` calls of ``step`` take (the GPU synchronised around them)."""
    if device == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    if device == 'cuda':
        torch.cuda.synchronize()
    return time.perf_counter() - start


class Stepper:
    """Runs training steps of one model."""

    def __init__(self, model, img, batch_size: int, amp: bool, device: str,
                 compile_blocks: bool = False) -> None:
        from mimtoolkit.evaluation.block_flops import step_flops
        self.model = model.to(device)
        self.inputs = torch.randn(batch_size, 3, img, img, device=device)
        self.flops = step_flops(self.model, self.inputs)['step']  # before any compiling
        if compile_blocks:
            from mimtoolkit.engine.runner.compile_blocks import compile_blocks as compile_each
            compile_each(self.model, True)
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
        self.dtype = precision(amp, device)
        self.scaler = torch.amp.GradScaler(device) if self.dtype == torch.float16 else None
        self.device = device

    def step(self) -> None:
        cast = (torch.autocast(self.device, dtype=self.dtype) if self.dtype
                else contextlib.nullcontext())
        with cast:
            loss = sum(self.model.loss(self.inputs, None).values())
        self.optimizer.zero_grad(set_to_none=True)
        (self.scaler.scale(loss) if self.scaler else loss).backward()
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()

    def timed(self, steps: int) -> float:
        """Images per second."""
        return steps * self.inputs.shape[0] / wall_seconds(self.step, steps, self.device)


def _rss_mib() -> float:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_rss_worker(spec, cfg_path, cfg_options, batch_size, amp, compiled, steps,
                     queue) -> None:
    import mimtoolkit  # noqa: F401
    cfg = Config.fromfile(cfg_path)
    cfg.merge_from_dict(cfg_options or {})
    model, img = build(spec, cfg)
    stepper = Stepper(model, img, batch_size, amp, 'cpu', compiled)
    stepper.step()  # a compiled model compiles here, outside the measurement
    base, peak, done = _rss_mib(), [0.0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mib())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    for _ in range(steps):
        stepper.step()
    done.set()
    sampler.join()
    queue.put(peak[0] - base)


def peak_memory_mb(spec, args, batch_size, amp, compiled, stepper, steps) -> float:
    """Peak memory of ``steps`` training steps beyond the built model, in MiB."""
    if args.device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        stepper.timed(steps)
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    proc = ctx.Process(target=_peak_rss_worker,
                       args=(spec, args.config, args.cfg_options, batch_size, amp, compiled,
                             steps, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


class AttentionStepper:
    """Forward + backward of one attention layer (``attention:TYPE`` specs).

    By default the attention core only (``scaled_dot_product_attention(q, k, v)``
    of the layer: dense SDPA, or TopK mask + SDPA); ``--full-layer`` adds the
    qkv and output projections. With ``amp`` the core's q, k, v are in the
    ``--amp`` dtype and the layer runs under autocast.
    """

    def __init__(self, spec: str, args, amp: bool = False) -> None:
        from mmengine.registry import init_default_scope

        from mimtoolkit.registry import MODELS
        init_default_scope('mimtoolkit')
        cfg = dict(type=spec.split(':', 1)[1], embed_dims=args.embed_dims, num_heads=args.heads)
        if cfg['type'] == 'HomologousAttention':
            cfg['k_ratio'] = args.k_ratio
        self.attn = MODELS.build(cfg).to(args.device).train()
        shape = ((args.batch_size, args.tokens, args.embed_dims) if args.full_layer else
                 (args.batch_size, args.heads, args.tokens, args.embed_dims // args.heads))
        self.dtype = precision(amp, args.device)
        in_dtype = self.dtype if self.dtype and not args.full_layer else torch.float32
        self.inputs = [torch.randn(shape, device=args.device, dtype=in_dtype, requires_grad=True)
                       for _ in range(1 if args.full_layer else 3)]
        self.fn = self.attn if args.full_layer else self.attn.scaled_dot_product_attention
        self.grad = torch.randn_like(self.inputs[0])
        self.device = args.device

    def step(self) -> None:
        with (torch.autocast(self.device, dtype=self.dtype) if self.dtype
              else contextlib.nullcontext()):
            out = self.fn(*self.inputs)
        out.backward(self.grad.to(out.dtype))

    def timed(self, steps: int) -> float:
        """Milliseconds per forward + backward."""
        return wall_seconds(self.step, steps, self.device) / steps * 1000


def profile_attention(stepper: AttentionStepper, steps: int) -> str:
    """The top operators of a few steps (where the time goes)."""
    from torch.profiler import ProfilerActivity, profile
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA]
                                           if stepper.device == 'cuda' else [])
    with profile(activities=activities) as prof:
        for _ in range(steps):
            stepper.step()
    sort = 'cuda_time_total' if stepper.device == 'cuda' else 'self_cpu_time_total'
    return prof.key_averages().table(sort_by=sort, row_limit=12)


def attention_main(args) -> None:
    """Interleaved forward + backward timing of attention layers, with a profile of the first."""
    specs = [args.config] + ([args.vs] if args.vs else [])
    torch.manual_seed(args.seed)
    steppers = [AttentionStepper(spec, args, amp)
                for spec, amp in zip(specs, (args.amp, args.vs_amp))]
    for stepper in steppers:
        for _ in range(args.warmup):
            stepper.step()
    times = [[] for _ in steppers]
    for _ in range(args.rounds):
        for i, stepper in enumerate(steppers):
            times[i].append(stepper.timed(args.steps))
    device = torch.cuda.get_device_name() if args.device == 'cuda' else (
        f'CPU, {torch.get_num_threads()} threads')
    part = 'layer with projections' if args.full_layer else 'attention core (q, k, v given)'
    print(f'device: {device}; torch {torch.__version__}; {part}; B {args.batch_size}, '
          f'N {args.tokens}, C {args.embed_dims}, {args.heads} heads, k_ratio {args.k_ratio}; '
          f'{args.rounds} rounds x {args.steps} steps after {args.warmup} warm-up steps')
    print('| layer | precision | ms per forward+backward (median) | min-max |\n|---|---|---|---|')
    for spec, t, stepper in zip(specs, times, steppers):
        prec = str(stepper.dtype)[6:] if stepper.dtype else 'fp32'
        print(f'| {spec} | {prec} | {statistics.median(t):.2f} | {min(t):.2f}-{max(t):.2f} |')
    if len(specs) == 2:
        ratio = statistics.median(times[0]) / statistics.median(times[1])
        print(f'ratio (LAYER / reference time): {ratio:.2f}')
    if args.profile:
        print(profile_attention(steppers[0], args.steps))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='the config to measure, or attention:TYPE for one '
                        'attention layer (e.g. attention:HomologousAttention)')
    parser.add_argument('--vs', default=None,
                        help=f'reference: a config path, one of {REFERENCES}, or '
                        'attention:TYPE')
    parser.add_argument('--amp', action='store_true', help='run CONFIG under autocast')
    parser.add_argument('--vs-amp', action='store_true', help='run the reference under autocast')
    parser.add_argument('--compile', action='store_true',
                        help='compile CONFIG block by block (as train.py --compile does)')
    parser.add_argument('--vs-compile', action='store_true', help='compile the reference too')
    parser.add_argument('--batch-size', type=int, default=None,
                        help="default: the config's train batch size")
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--steps', type=int, default=5, help='steps per round')
    parser.add_argument('--warmup', type=int, default=3, help='untimed steps per model')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--peak-tflops', type=float, default=None,
                        help='dense bf16 peak of the device for MFU (default: PEAK_TFLOPS)')
    parser.add_argument('--tokens', type=int, default=197, help='attention: N')
    parser.add_argument('--embed-dims', type=int, default=384, help='attention: C')
    parser.add_argument('--heads', type=int, default=6, help='attention: heads')
    parser.add_argument('--k-ratio', type=float, default=0.25, help='attention: K / N')
    parser.add_argument('--full-layer', action='store_true',
                        help='attention: time the whole layer, projections included')
    parser.add_argument('--profile', action='store_true',
                        help='attention: print the top operators of the first layer')
    parser.add_argument('--teacher-from-init', action='store_true',
                        help="give CONFIG's frozen teacher (distill_head or an aux head) freshly "
                        'initialised weights instead of its checkpoint (timing needs no trained '
                        'teacher)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override CONFIG keys (the reference follows them)')
    return parser.parse_args(argv)


def teacher_head(cfg: Config) -> Tuple[str, dict]:
    """The model key and config of the config's first head with a frozen teacher."""
    from mimtoolkit.models.targets import teacher_heads
    from mimtoolkit.utils import require
    heads = teacher_heads(cfg.model)
    require(bool(heads), '--teacher-from-init', True,
            'a config with model.distill_head.teacher or a model.aux_heads teacher')
    return next(iter(heads.items()))


def teacher_from_init(cfg: Config, path: str) -> str:
    """Save freshly initialised weights of the config's teacher; return its path."""
    from mmengine.registry import init_default_scope

    from mimtoolkit.models.targets import save_stand_in_teacher
    init_default_scope('mimtoolkit')
    return save_stand_in_teacher(teacher_head(cfg)[1], cfg.model.backbone, path)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.config.startswith('attention:'):
        return attention_main(args)
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options or {})
    if args.teacher_from_init:
        path = teacher_from_init(cfg, osp.join(tempfile.mkdtemp(), 'teacher.pth'))
        args.cfg_options = dict(args.cfg_options or {}, **{
            f'model.{teacher_head(cfg)[0]}.teacher.checkpoint': path})
        cfg.merge_from_dict(args.cfg_options)
    batch_size = args.batch_size or cfg.train_dataloader.batch_size
    specs = [(args.config, args.amp, args.compile)] + (
        [(args.vs, args.vs_amp, args.vs_compile)] if args.vs else [])
    torch.manual_seed(args.seed)
    steppers = []
    for spec, amp, compiled in specs:
        model, img = build(spec, cfg)
        steppers.append(Stepper(model, img, batch_size, amp, args.device, compiled))
    for stepper in steppers:
        for _ in range(args.warmup):
            stepper.step()
    rates = [[] for _ in steppers]
    for _ in range(args.rounds):
        for i, stepper in enumerate(steppers):
            rates[i].append(stepper.timed(args.steps))
    medians = [statistics.median(r) for r in rates]
    memories = [
        peak_memory_mb(spec, args, batch_size, amp, compiled, stepper, 2)
        for (spec, amp, compiled), stepper in zip(specs, steppers)
    ]
    device = torch.cuda.get_device_name() if args.device == 'cuda' else (
        f'CPU, {torch.get_num_threads()} threads')
    print(f'device: {device}; torch {torch.__version__}; batch {batch_size}; '
          f'{args.rounds} rounds x {args.steps} steps after {args.warmup} warm-up steps')
    peak = peak_tflops(args)
    print('| model | precision | images/s (median) | min-max | peak memory (MiB) '
          '| GFLOPs/step | MFU |')
    print('|---|---|---|---|---|---|---|')
    for (spec, amp, compiled), med, r, mem, stepper in zip(specs, medians, rates, memories,
                                                           steppers):
        prec = f'{str(stepper.dtype)[6:]} autocast' if stepper.dtype else 'fp32'
        prec += ', compiled' if compiled else ''
        mfu = f'{stepper.flops * med / batch_size / (peak * 1e12):.1%}' if peak else '-'
        print(f'| {osp.basename(spec)} | {prec} | {med:.1f} | {min(r):.1f}-{max(r):.1f} '
              f'| {mem:.0f} | {stepper.flops / 1e9:.1f} | {mfu} |')
    if len(medians) == 2:
        print(f'ratio (CONFIG / reference images/s): {medians[0] / medians[1]:.2f}')


if __name__ == '__main__':
    run_cli(main)
