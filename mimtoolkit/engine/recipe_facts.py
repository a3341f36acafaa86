"""What a config trains, read from the objects the Runner would build.

``RecipeFacts(cfg, path)`` builds a config's model, optimizer wrapper, learning-rate
schedulers and training transforms (no data is read), and ``facts.value(field)``
answers one recipe field (``'epochs'``, ``'lr'``, ``'decay exempt'``...) from them.
docs/recipes.md lists the papers' values under these field names and
tests/test_paper_recipes.py holds every full-scale config to them;
``tools/analysis_tools/print_recipe.py`` prints every field of a config.

The learning rate is the optimizer's as built; where the config has
``auto_scale_lr``, ``'lr'`` is what a run at the recipe's batch
(``{gpus}xb{batch}`` of the file name) would use with ``--auto-scale-lr``
(mmengine multiplies by batch / ``base_batch_size``), and ``'auto_scale_lr
base'`` is that base, so both ways of running keep the paper's rate.
"""
import contextlib
import copy
import inspect
import os.path as osp
import re
from functools import cached_property
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, PARAM_SCHEDULERS, TRANSFORMS, DefaultScope
from torch import nn

NORMS = (nn.LayerNorm, nn.GroupNorm, nn.modules.batchnorm._BatchNorm)
SCHEDULES = {'CosineAnnealingLR': 'cosine', 'LinearLR': 'linear', 'PolyLR': 'poly',
             'StepLR': 'step', 'MultiStepLR': 'step', 'ConstantLR': 'constant'}


def param_kind(name: str, module: nn.Module) -> str:
    """What a parameter is, for weight-decay exemptions.

    Args:
        name (str): Its name in the model.
        module (nn.Module): The module that owns it directly.

    Returns:
        str: ``'pos_embed'``, ``'token'`` (a learned token or embedding table
        such as [CLS], [MASK], [PROXY] or the segment embeddings), ``'gamma'``
        (layer scale), ``'norm'``, ``'bias'`` or ``'weight'``.
    """
    leaf = name.rsplit('.', 1)[-1]
    if 'pos_embed' in leaf:
        return 'pos_embed'
    if leaf.endswith(('token', 'tokens')) or isinstance(module, nn.Embedding) or \
            'segment' in leaf:
        return 'token'
    if leaf.startswith('gamma') or type(module).__name__ == 'LayerScale':
        return 'gamma'
    if isinstance(module, NORMS) or 'norm' in type(module).__name__.lower():
        return 'norm'
    return 'bias' if leaf == 'bias' else 'weight'


def _last_layers_lr(lr_of: Dict[str, float]) -> Optional[float]:
    """Layer decay: lr of the second-to-last block's qkv over the last block's."""
    blocks = {}
    for name, lr in lr_of.items():
        match = re.search(r'backbone\.layers\.(\d+)\.attn\.qkv\.weight$', name)
        if match:
            blocks[int(match.group(1))] = lr
    if len(blocks) < 2:
        return None
    last = max(blocks)
    return round(blocks[last - 1] / blocks[last], 6)


class RecipeFacts:
    """The built parts of one config and the recipe values read from them.

    Args:
        cfg (Config): The config (already resolved, teacher/tokenizer
            checkpoints pointing at existing files).
        path (str): Its file path (the name gives ``{gpus}xb{batch}``).
    """

    def __init__(self, cfg: Config, path: str) -> None:
        self.cfg = cfg
        self.path = path

    # -- the built objects ------------------------------------------------
    @cached_property
    def model(self) -> nn.Module:
        """nn.Module: The model, built in the config's scope, its weights not filled
        (:func:`weights_left_unfilled`; a teacher's or tokenizer's checkpoint still loads)."""
        with DefaultScope.overwrite_default_scope(self.cfg.default_scope), \
                weights_left_unfilled():
            return MODELS.build(self.cfg.model)

    @cached_property
    def optim_wrapper(self):
        """OptimWrapper: Built on :attr:`model` as the Runner builds it.

        mmengine's ``AmpOptimWrapper`` refuses to build without a GPU; on a
        CPU it is read as a plain ``OptimWrapper`` (same optimizer, parameter
        groups and clipping).
        """
        cfg = copy.deepcopy(self.cfg.optim_wrapper)
        if str(cfg.get('type', '')).split('.')[-1] == 'AmpOptimWrapper' and \
                not torch.cuda.is_available():
            cfg['type'] = 'OptimWrapper'
            for key in ('loss_scale', 'dtype', 'use_fsdp'):
                cfg.pop(key, None)
        with DefaultScope.overwrite_default_scope(self.cfg.default_scope):
            return build_optim_wrapper(self.model, cfg)

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """Optimizer: The wrapped optimizer."""
        return self.optim_wrapper.optimizer

    @cached_property
    def schedulers(self) -> List[Any]:
        """list: The lr schedulers, one step per epoch (or iteration) as configured."""
        cfgs = self.cfg.get('param_scheduler') or []
        cfgs = [cfgs] if isinstance(cfgs, dict) else cfgs
        built = []
        with DefaultScope.overwrite_default_scope(self.cfg.default_scope):
            for cfg in cfgs:
                cfg = dict(cfg, convert_to_iter_based=False)
                built.append(PARAM_SCHEDULERS.build(cfg, default_args=dict(
                    optimizer=self.optimizer)))
        for group in self.optimizer.param_groups:  # building rescales: undo for reading
            group['lr'] = group['initial_lr']
        return built

    @cached_property
    def transforms(self) -> List[Any]:
        """list: The training pipeline's transforms, built."""
        loader = self.cfg.train_dataloader
        dataset = loader.dataset
        while 'pipeline' not in dataset and ('dataset' in dataset or 'datasets' in dataset):
            dataset = dataset.get('dataset') or dataset.datasets[0]  # wrappers, concatenations
        with DefaultScope.overwrite_default_scope(self.cfg.default_scope):
            return [TRANSFORMS.build(t) for t in dataset.get('pipeline', [])]

    def transform(self, name: str) -> Optional[Any]:
        """The first training transform that is the augmentation ``name`` (see
        :func:`augmentation_name`)."""
        return next((t for t in self.transforms if augmentation_name(t) == name), None)

    # -- helpers ----------------------------------------------------------
    @property
    def gpus(self) -> int:
        """int: ``{gpus}`` of the file name's ``{gpus}xb{batch}``."""
        match = re.search(r'_(\d+)xb(\d+)', osp.basename(self.path))
        return int(match.group(1)) if match else 1

    @property
    def batch_per_gpu(self) -> int:
        """int: Images one GPU's step trains on."""
        return int(self.cfg.train_dataloader.get('batch_size')
                   or self.cfg.train_dataloader.batch_sampler.batch_size)

    @property
    def backbone(self) -> nn.Module:
        """nn.Module: The model's backbone."""
        return self.model.backbone

    def heads(self) -> Dict[str, nn.Module]:
        """dict: Every loss-giving head of a pretrainer by config field."""
        heads = {}
        for field in ('head', 'distill_head', 'contrastive_head'):
            if getattr(self.model, field, None) is not None:
                heads[field] = getattr(self.model, field)
        for i, head in enumerate(getattr(self.model, 'aux_heads', None) or []):
            heads[f'aux_heads[{i}]'] = head
        return heads

    @cached_property
    def param_lrs(self) -> Dict[str, Tuple[float, float]]:
        """dict: name -> (lr, weight decay) of every trainable parameter."""
        names = {id(p): n for n, p in self.model.named_parameters()}
        out = {}
        for group in self.optimizer.param_groups:
            for p in group['params']:
                if p.requires_grad:
                    out[names[id(p)]] = (group['lr'], group['weight_decay'])
        return out

    def decay_exempt(self) -> List[str]:
        """Kinds of parameters (:func:`param_kind`) trained without weight decay.

        Raises:
            ValueError: A kind is decayed for some parameters, not for others.
        """
        owner = {}
        for mod_name, module in self.model.named_modules():
            for p_name, _ in module.named_parameters(recurse=False):
                owner[f'{mod_name}.{p_name}' if mod_name else p_name] = module
        decayed: Dict[str, set] = {}
        for name, (_, wd) in self.param_lrs.items():
            decayed.setdefault(param_kind(name, owner[name]), set()).add(
                (wd > 0, name))
        if all(wd == 0 for _, wd in self.param_lrs.values()):
            return ['all']
        exempt = []
        for kind, marks in sorted(decayed.items()):
            flags = {flag for flag, _ in marks}
            if flags == {False}:
                exempt.append(kind)
            elif flags == {True, False}:
                mixed = sorted(n for flag, n in marks if flag)[:3]
                raise ValueError(f'{kind} parameters are decayed in part: e.g. {mixed}')
        return exempt

    # -- the fields -------------------------------------------------------
    def value(self, field: str) -> Any:
        """The value of one recipe field (see :data:`FIELDS`); None where it does not apply.

        A field that does not apply (``'mask ratio'`` of a classifier, ``'norm_pix'``
        without a pixel head) reads None.
        """
        if field not in FIELDS:
            raise KeyError(f'unknown recipe field {field!r}: expected one of {sorted(FIELDS)}')
        try:
            return FIELDS[field][0](self)
        except AttributeError:  # the part the field reads is not in this config
            return None


def _warmup(f: RecipeFacts) -> int:
    first = f.schedulers[0] if f.schedulers else None
    if first is None or len(f.schedulers) < 2 or type(first).__name__ != 'LinearLR':
        return 0
    return first.end - first.begin


def _main(f: RecipeFacts):
    return f.schedulers[-1] if f.schedulers else None


def _min_lr(f: RecipeFacts) -> Optional[float]:
    main = _main(f)
    lr = f.optimizer.defaults['lr']
    if main is None:
        return lr
    name = type(main).__name__
    if name in ('CosineAnnealingLR', 'PolyLR'):
        if getattr(main, 'eta_min_ratio', None) is not None:
            return lr * main.eta_min_ratio
        return main.eta_min
    if name == 'LinearLR':
        return lr * main.end_factor
    return None


def _lr(f: RecipeFacts) -> float:
    lr = f.optimizer.defaults['lr']
    scale = f.cfg.get('auto_scale_lr')
    if scale and scale.get('base_batch_size'):
        lr = lr * f.gpus * f.batch_per_gpu / scale['base_batch_size']
    return round(lr, 12)


def _schedule(f: RecipeFacts) -> str:
    main = _main(f)
    return 'constant' if main is None else SCHEDULES.get(type(main).__name__,
                                                         type(main).__name__)


def _clip(f: RecipeFacts) -> Optional[float]:
    clip = getattr(f.optim_wrapper, 'clip_grad_kwargs', None) or {}
    return clip.get('max_norm')


def augmentation_name(transform) -> str:
    """The augmentation a transform is: its class name, or the library transform it computes
    in another form (``same_augmentation_as``: the tensor pipeline's transforms)."""
    return getattr(type(transform), 'same_augmentation_as', type(transform).__name__)


def _augmentations(f: RecipeFacts) -> Tuple[str, ...]:
    names = (augmentation_name(t) for t in f.transforms)  # reading and packing left out
    return tuple(n for n in names if 'Load' not in n and not n.startswith('Pack'))


def _crop_scale(f: RecipeFacts):
    crop = f.transform('RandomResizedCrop')
    return None if crop is None else tuple(crop.crop_ratio_range)


def _resolution(f: RecipeFacts):
    for name, attr in (('RandomResizedCrop', 'scale'), ('RandomCrop', 'crop_size'),
                       ('Resize', 'scale'), ('CenterCrop', 'crop_size')):
        t = f.transform(name)
        if t is not None:
            size = getattr(t, attr)
            size = tuple(size) if isinstance(size, (list, tuple)) else (size, size)
            return size
    pre = getattr(f.model, 'data_preprocessor', None)
    return tuple(pre.size) if getattr(pre, 'size', None) else None


def _flip(f: RecipeFacts) -> float:
    t = f.transform('RandomFlip')
    if t is None:
        return 0.0
    prob = t.prob
    return float(prob if not isinstance(prob, (list, tuple)) else sum(prob))


def _color_jitter(f: RecipeFacts):
    t = f.transform('ColorJitter')
    if t is None:
        return None
    return tuple(round(float(getattr(t, k)[1] - 1 if k != 'hue' else getattr(t, k)[1]), 6)
                 if getattr(t, k) is not None else 0.0
                 for k in ('brightness', 'contrast', 'saturation', 'hue'))


def _batch_augments(f: RecipeFacts) -> Dict[str, float]:
    pre = f.model.data_preprocessor
    augments = getattr(getattr(pre, 'batch_augments', None), 'augments', None) or []
    return {type(a).__name__: float(a.alpha) for a in augments}


def _label_smoothing(f: RecipeFacts) -> float:
    loss = getattr(getattr(f.model, 'head', None), 'loss_module', None)
    return float(getattr(loss, 'label_smooth_val', 0.0))


def _drop_path(f: RecipeFacts) -> float:
    layers = getattr(f.backbone, 'layers', None) or getattr(f.backbone, 'blocks', [])
    last = layers[-1]
    rates = [m.drop_prob for m in last.modules() if hasattr(m, 'drop_prob')]
    return round(float(max(rates, default=0.0)), 6)


def _decoder(f: RecipeFacts):
    neck = getattr(f.model, 'neck', None)
    if neck is None or not hasattr(neck, 'decoder_blocks'):
        return None
    return (len(neck.decoder_blocks), neck.decoder_embed.out_features)


def _loss_weights(f: RecipeFacts) -> Dict[str, float]:
    return {k: float(h.loss_weight) for k, h in f.heads().items() if hasattr(h, 'loss_weight')}


def _losses(f: RecipeFacts) -> Dict[str, str]:
    return {k: describe_loss(h.loss_module) for k, h in f.heads().items()
            if hasattr(h, 'loss_module')}


def describe_loss(loss: nn.Module) -> str:
    """A loss part as ``Name(arg=value, ...)``, its constructor arguments read back from it."""
    args = [f'{name}={getattr(loss, name)!r}' for name in inspect.signature(type(loss)).parameters
            if hasattr(loss, name)]
    return f'{type(loss).__name__}({", ".join(args)})'


def _homologous(f: RecipeFacts):
    ratios = sorted({m.k_ratio for m in f.backbone.modules() if hasattr(m, 'k_ratio')})
    return ratios[0] if len(ratios) == 1 else (tuple(ratios) or None)


def _frozen(f: RecipeFacts) -> bool:
    return not any(p.requires_grad for p in f.backbone.parameters())


def _probe_layer(f: RecipeFacts):
    indices = getattr(f.backbone, 'out_indices', None)
    return None if indices is None else [int(i) + 1 for i in indices]


def _teachers(f: RecipeFacts) -> List[str]:
    return [type(h.teacher).__name__ for h in f.heads().values() if hasattr(h, 'teacher')]


def _decode_head(f: RecipeFacts) -> Optional[str]:
    head = getattr(f.model, 'decode_head', None)
    return None if head is None else type(head).__name__


def _eval_size(f: RecipeFacts):
    test = f.cfg.get('test_pipeline') or []
    for t in test:
        if t.get('type') == 'Resize':
            scale = t.get('scale')
            return tuple(scale) if isinstance(scale, (list, tuple)) else (scale, scale)
    return None


def _pretrained_init(f: RecipeFacts) -> bool:
    init = f.backbone.init_cfg or {}
    return isinstance(init, dict) and init.get('type') == 'Pretrained'


def _head_projections(f: RecipeFacts) -> Optional[Dict[str, str]]:
    """The map each teacher-regressing head puts between student and teacher tokens."""
    projections = {k: type(h.proj).__name__ for k, h in f.heads().items()
                   if hasattr(h, 'teacher') and hasattr(h, 'proj')}
    return projections or None


def _topk_keys(f: RecipeFacts) -> Optional[str]:
    """How many keys TopK attention keeps where every logit ties: ``'exactly K'`` (MixedAE's
    top-K: the ``topk`` indices) or ``'ties kept'`` (a threshold on the K-th logit)."""
    layer = next((m for m in f.backbone.modules() if hasattr(m, 'topk_mask')), None)
    if layer is None:
        return None
    tied = torch.ones(1, 1, 20, 4)
    kept = layer.topk_mask(tied, tied).sum(-1)
    return 'exactly K' if bool((kept == layer.num_keys(20)).all()) else 'ties kept'


def _proxy_readout(f: RecipeFacts) -> Optional[str]:
    return f.backbone.proxy_readout if f.backbone.num_proxy_tokens else None


#: The ``torch.nn.init`` fills a module runs when it is built (``reset_parameters``).
INIT_FILLS = ('uniform_', 'normal_', 'trunc_normal_', 'constant_', 'ones_', 'zeros_',
              'kaiming_uniform_', 'kaiming_normal_', 'xavier_uniform_', 'xavier_normal_')


@contextlib.contextmanager
def weights_left_unfilled():
    """Build modules without filling their weights (``torch.nn.init``'s fills do nothing).

    A recipe is read from a model's structure (its parameters' names, shapes, groups, flags),
    never from its values; filling a ViT-B's 86 M weights takes most of its build time.
    """
    saved = {name: getattr(torch.nn.init, name) for name in INIT_FILLS}
    try:
        for name in INIT_FILLS:
            setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
        yield
    finally:
        for name, fill in saved.items():
            setattr(torch.nn.init, name, fill)


#: field -> (reader, what it reads). docs/recipes.md uses these names.
FIELDS: Dict[str, Tuple[Callable[[RecipeFacts], Any], str]] = {
    'epochs': (lambda f: f.cfg.train_cfg.get('max_epochs'), 'train loop max_epochs'),
    'iterations': (lambda f: f.cfg.train_cfg.get('max_iters'), 'train loop max_iters'),
    'gpus x batch': (lambda f: (f.gpus, f.batch_per_gpu), '(GPUs, images per GPU step)'),
    'total batch': (lambda f: f.gpus * f.batch_per_gpu, 'images per optimizer step'),
    'lr': (_lr, 'peak lr at the total batch (auto_scale_lr applied)'),
    'auto_scale_lr base': (lambda f: (f.cfg.get('auto_scale_lr') or {}).get('base_batch_size'),
                           'mmengine auto_scale_lr.base_batch_size'),
    'min lr': (_min_lr, 'the last scheduler\'s final lr'),
    'schedule': (_schedule, 'the last scheduler (cosine/linear/poly/step)'),
    'warm-up': (_warmup, 'length of the linear warm-up (epochs or iterations)'),
    'optimizer': (lambda f: type(f.optimizer).__name__, 'optimizer class'),
    'betas': (lambda f: tuple(f.optimizer.defaults.get('betas', ())) or None, 'Adam betas'),
    'momentum': (lambda f: f.optimizer.defaults.get('momentum'), 'SGD momentum'),
    'eps': (lambda f: f.optimizer.defaults.get('eps'), 'Adam epsilon'),
    'weight decay': (lambda f: f.optimizer.defaults['weight_decay'], 'optimizer weight decay'),
    'decay exempt': (lambda f: f.decay_exempt(), 'parameter kinds with weight decay 0'),
    'grad clip': (_clip, 'clip_grad max_norm'),
    'layer decay': (lambda f: _last_layers_lr({n: v[0] for n, v in f.param_lrs.items()}),
                    'lr(block n-2) / lr(block n-1)'),
    'masker': (lambda f: type(f.model.masker).__name__ if getattr(f.model, 'masker', None)
               is not None else None, 'masker class'),
    'mask ratio': (lambda f: f.model.masker.mask_ratio, 'masker.mask_ratio'),
    'focus ratio': (lambda f: f.model.masker.focus_ratio, 'FocusedMasker.focus_ratio'),
    'decoder': (_decoder, '(decoder blocks, width)'),
    'loss weights': (_loss_weights, 'loss_weight of every head'),
    'losses': (_losses, 'the loss part of every head, with its arguments'),
    'norm_pix': (lambda f: bool(f.model.head.norm_pix), 'pixel head normalises targets'),
    'teachers': (_teachers, 'frozen teacher classes'),
    'fusion layers': (lambda f: list(f.backbone.fusion_layers) or None, 'backbone.fusion_layers'),
    'stage fusion': (lambda f: bool(getattr(f.backbone.patch_embed, 'stage_fusion', False)),
                     'ConvViT stage-1/2 fusion into the transformer tokens'),
    'mimic positions': (lambda f: [h.positions for h in f.heads().values()
                                   if hasattr(h, 'positions')] or None,
                        'tokens each MimicHead reads (visible / masked)'),
    'backbone': (lambda f: type(f.backbone).__name__, 'backbone class'),
    'width x depth': (lambda f: (f.backbone.embed_dims, f.backbone.num_layers),
                      '(backbone width, transformer blocks)'),
    'patch size': (lambda f: f.backbone.patch_size, 'backbone patch size'),
    'mixer': (lambda f: type(f.model.mixer).__name__ if getattr(f.model, 'mixer', None)
              is not None else None, 'mixer class'),
    'mix beta': (lambda f: f.model.mixer.beta, 'PixelMixer Beta(b, b)'),
    'mix ratio': (lambda f: f.model.mixer.mix_ratio, 'PatchMixer r'),
    'mix mode': (lambda f: f.model.mixer.mode, 'PatchMixer mode'),
    'same-class ratio': (lambda f: f.cfg.train_dataloader.batch_sampler.same_class_ratio,
                         'SemanticPairBatchSampler r'),
    'K': (_homologous, 'HomologousAttention k_ratio'),
    'temperature': (lambda f: f.model.contrastive_head.loss_module.temperature, 'contrastive tau'),
    'proxies': (lambda f: f.backbone.num_proxy_tokens, '[PROXY] tokens'),
    'proxy readout': (_proxy_readout, 'what fills the [CLS] slot downstream (mean/first proxy)'),
    '[CLS] token': (lambda f: getattr(f.backbone, 'cls_token', None) is not None,
                    'the backbone has a [CLS] token'),
    'layer scale': (lambda f: any('gamma' in n for n, _ in f.backbone.named_parameters()),
                    'the backbone has layer-scale parameters (BEiT)'),
    'TopK keys': (_topk_keys, 'keys TopK attention keeps per query where logits tie'),
    'head projections': (_head_projections, 'student -> teacher map of every teacher head'),
    'distillation': (lambda f: f.model.distill_combine if f.model.distill_head is not None
                     else None, 'how i-MAE combines the branches\' distillation terms'),
    'branches': (lambda f: tuple(f.model.branches), 'the images i-MAE reconstructs'),
    'pretrained init': (_pretrained_init, 'the backbone starts from a checkpoint'),
    'ensemble members': (lambda f: [type(m).__name__ for m in f.model.members],
                         'the classifiers a ClassifierEnsemble averages'),
    'augmentations': (_augmentations, 'training transforms (loading/packing left out)'),
    'crop scale': (_crop_scale, 'RandomResizedCrop crop_ratio_range'),
    'resolution': (_resolution, 'training crop (h, w)'),
    'eval resolution': (_eval_size, 'test Resize scale'),
    'flip': (_flip, 'RandomFlip probability'),
    'color jitter': (_color_jitter, '(brightness, contrast, saturation, hue)'),
    'batch augments': (_batch_augments, 'Mixup/CutMix alpha'),
    'label smoothing': (_label_smoothing, 'LabelSmoothLoss value'),
    'drop path': (_drop_path, 'drop path of the last block'),
    'frozen backbone': (_frozen, 'no backbone parameter trains'),
    'probe layer': (_probe_layer, '1-based blocks the backbone outputs'),
    'feature': (lambda f: f.backbone.out_type, 'backbone out_type'),
    'neck': (lambda f: type(f.model.neck).__name__ if getattr(f.model, 'neck', None)
             is not None else None, 'neck class'),
    'bn affine': (lambda f: bool(f.model.neck.bn.affine), 'ClsBatchNormNeck affine'),
    'detector': (lambda f: type(f.model).__name__, 'model class'),
    'decode head': (_decode_head, 'mmseg decode head class'),
    'loss resolution': (lambda f: f.model.decode_head.loss_size
                        if hasattr(f.model.decode_head, 'loss_size') else None,
                        'logits and labels resized to this for the loss'),
}
