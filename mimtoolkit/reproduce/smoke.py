"""``--smoke``: a shipped config shrunk to seconds on a CPU, through the same Runner.

The shrunk config keeps every part the shipped one builds (pretrainer, masker, mixer, heads,
teachers, classifier, optimizer, schedulers, hooks) and changes only sizes:

- data: a folder of real JPEGs from scikit-image's photos (:func:`make_smoke_images`, classes
  as sub-folders, mmpretrain's ``CustomDataset``; for a COCO detector, COCO instances made from
  the same photos, :func:`~mimtoolkit.reproduce.transfer_data.make_coco`) replaces every split;
  the pipeline keeps its transforms with their sizes cut to the smoke image size;
- iterations: one epoch of a few batches (or 2 iterations), a checkpoint at its end, no
  validation while training (the step's ``tools/test.py`` gives its number);
- the device: mmengine's CUDA-only ``AmpOptimWrapper`` becomes ours (bf16 on a CPU);
- detectors keep boxes of any score at test time (an untrained one has none above 0.05);
- image size: 32 px where the config trains at 32 px or less, 64 px otherwise, in 4 x 4
  patches (``patch_size`` = size / 4; ConvViT's stride is 16 at 64 px);
- model width: the backbone (``arch``) becomes 32 wide with 4 layers and 2 heads; every
  width the config derived from the backbone's (decoder input, head ``in_channels``...) and
  from the decoder's follows; layer indices (probe layers, fusion layers) keep their relative
  depth; timm teachers shrink alike and, like tokenizers, get random stand-in weights where no
  earlier step made them (a checkpoint an earlier step made is kept, whether it is there or
  not: a broken wiring fails as it would at full size).

The numbers of a smoke run test the wiring and mean nothing.
"""
import copy
import os
import os.path as osp
from typing import Any, Collection, List

from mmengine.config import Config

#: Smoke sizes: backbone width, layers, heads; decoder width; images per batch.
WIDTH, DEPTH, HEADS, DECODER_WIDTH, BATCH = 32, 4, 2, 16, 8
CONV_WIDTHS = (16, 24, 32)
#: Keys that hold a width derived from the backbone's (or the decoder's).
WIDTH_KEYS = ('in_channels', 'embed_dim', 'embed_dims', 'in_dims', 'input_features')
#: Keys of pipeline transforms that hold an image size.
SIZE_KEYS = ('scale', 'crop_size', 'size')
#: Photos of each smoke class (scikit-image's bundled photos, 64 px crops).
PHOTOS = ('astronaut', 'coffee', 'chelsea', 'rocket')


def make_smoke_images(root: str, train_per_class: int = 2, val_per_class: int = 1) -> str:
    """Write ``root/{train,val}/<class>/*.jpg``: 64 x 64 crops of scikit-image's photos, one
    photo per class; returns ``root`` (left as it is when already there)."""
    if osp.isdir(osp.join(root, 'val')):
        return root
    import numpy as np
    import skimage.data
    from PIL import Image
    rng = np.random.default_rng(0)
    for cls, name in enumerate(PHOTOS):
        photo = getattr(skimage.data, name)()[..., :3]
        for split, count in (('train', train_per_class), ('val', val_per_class)):
            folder = osp.join(root, split, f'class{cls}')
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                side = int(rng.integers(64, min(photo.shape[:2]) + 1))
                y = int(rng.integers(0, photo.shape[0] - side + 1))
                x = int(rng.integers(0, photo.shape[1] - side + 1))
                crop = Image.fromarray(photo[y:y + side, x:x + side]).resize((64, 64))
                crop.save(osp.join(folder, f'{name}_{i}.jpg'), quality=90)
    return root


def relative_layers(indices: List[int], depth: int) -> List[int]:
    """0-based layer indices of a ``depth``-layer model mapped to :data:`DEPTH` layers at the
    same relative depth (layer 6 of 12 -> layer 1 of 4; the last stays the last)."""
    return sorted({max(0, round((i + 1) * DEPTH / depth) - 1) for i in indices})


class Shrinker:
    """Shrinks one config (:func:`shrink_config`).

    Args:
        cfg (Config): The config, already with the step's ``--cfg-options``.
        data_root (str): The smoke image folder (:func:`make_smoke_images`).
    """

    def __init__(self, cfg: Config, data_root: str) -> None:
        from mimtoolkit.registry import MODELS
        self.cfg, self.data_root = cfg, data_root
        #: The models to shrink: the config's, or each member of a ``ClassifierEnsemble``.
        self.models = list(cfg.model.members) if 'members' in cfg.model else [cfg.model]
        backbone = self.models[0].backbone
        self.conv = 'ConvViT' in backbone.type
        sizes = MODELS.get(backbone.type).sizes_of(backbone.get('arch', 'b'))
        widths = sizes['embed_dims']
        self.width = widths[-1] if isinstance(widths, (list, tuple)) else widths
        self.depth = sizes['depths'][-1] if self.conv else sizes['num_layers']
        neck = self.models[0].get('neck') or {}
        decoder_width = neck.get('decoder_embed_dim') if isinstance(neck, dict) else None
        #: full width -> smoke width: the backbone's and the decoder's
        self.widths = {decoder_width: DECODER_WIDTH} if decoder_width else {}
        self.widths[self.width] = WIDTH
        #: ... and in a list of widths (a pyramid's inputs) ConvViT's stage widths too
        self.stage_widths = dict(zip(widths[:-1], CONV_WIDTHS[:-1])) if self.conv else {}
        full_size = backbone.get('img_size', 224)
        full_size = full_size[0] if isinstance(full_size, (list, tuple)) else full_size
        self.size = 32 if full_size <= 32 else 64
        self.patch = self.size // 4
        self.full_size = full_size

    # -- model ------------------------------------------------------------
    def new_width(self, value: Any) -> Any:
        """The smoke width of a width the config derived from the backbone or decoder (a list:
        each of its widths)."""
        if isinstance(value, (list, tuple)):
            return [{**self.stage_widths, **self.widths}.get(v, v) for v in value]
        return self.widths.get(value, value)

    def backbone(self, backbone: dict) -> None:
        """The backbone (or a teacher encoder like it) at smoke size, in place."""
        if self.conv or 'ConvViT' in backbone.get('type', ''):
            backbone['arch'] = dict(embed_dims=list(CONV_WIDTHS), depths=[1, 1, DEPTH],
                                    num_heads=HEADS)
        else:
            backbone['arch'] = dict(embed_dims=WIDTH, num_layers=DEPTH, num_heads=HEADS,
                                    feedforward_channels=2 * WIDTH)
            backbone['patch_size'] = self.patch
        backbone['img_size'] = self.size
        for key in ('out_indices', 'fusion_layers'):
            layers = backbone.get(key)
            if isinstance(layers, (list, tuple)) and layers:
                backbone[key] = relative_layers([i % self.depth for i in layers], self.depth)
        if isinstance(backbone.get('frozen_stages'), int) and backbone['frozen_stages'] > 0:
            backbone['frozen_stages'] = DEPTH

    def part(self, part: Any) -> None:
        """Every other model part, in place: widths, patch sizes, decoder size, teachers."""
        if isinstance(part, list):
            for item in part:
                self.part(item)
            return
        if not isinstance(part, dict):
            return
        for key, value in list(part.items()):
            if key in WIDTH_KEYS and isinstance(value, (int, list, tuple)):
                part[key] = self.new_width(value)
            elif key == 'decoder_embed_dim':
                part[key] = DECODER_WIDTH
            elif key == 'decoder_depth':
                part[key] = 1
            elif key == 'decoder_num_heads':
                part[key] = HEADS
            elif key == 'num_patches':
                part[key] = 16
            elif key == 'patch_size' and isinstance(value, int):
                part[key] = self.patch
            elif key == 'encoder' and isinstance(value, dict) and 'arch' in value:
                self.backbone(value)
            else:
                self.part(value)
        if str(part.get('type', '')).endswith(('CLIPTeacher', 'DINOTeacher', 'TimmViTTeacher')):
            part['model_kwargs'] = dict(part.get('model_kwargs') or {}, img_size=self.size,
                                        patch_size=self.patch, embed_dim=WIDTH, depth=2,
                                        num_heads=HEADS)

    def model(self, stand_ins: str, keep: Collection[str]) -> None:
        """The model config at smoke size; teachers and tokenizers get stand-in weights, but
        for the checkpoints in ``keep`` (made by earlier steps)."""
        from mimtoolkit.models.targets import use_stand_in_weights
        os.makedirs(stand_ins, exist_ok=True)
        for model in self.models:
            self.backbone(model.backbone)
            for key, value in model.items():
                if key not in ('backbone', 'data_preprocessor'):
                    self.part(value)
            use_stand_in_weights(model, stand_ins, {}, keep)
        pre = self.cfg.model.get('data_preprocessor') or {}
        for part in [pre, *(pre.get('batch_augments') or [])]:  # e.g. mmdet's fixed-size pad
            if isinstance(part, dict) and part.get('size'):
                part['size'] = (self.size, self.size)

    # -- data and schedule ------------------------------------------------
    def pipeline(self, pipeline: List[dict]) -> List[dict]:
        """The transforms with image sizes cut to the smoke size; a file loader first."""
        out = []
        if not pipeline or 'Load' not in pipeline[0].get('type', ''):
            out = [dict(type='LoadImageFromFile'), dict(type='Resize', scale=(self.size,) * 2)]
        for t in copy.deepcopy(pipeline):
            for key in SIZE_KEYS:
                value = t.get(key)
                if isinstance(value, int) and value > self.size:
                    t[key] = self.size
                elif isinstance(value, (list, tuple)) and value and \
                        all(isinstance(v, int) for v in value) and max(value) > self.size:
                    t[key] = (self.size, ) * len(value) if len(value) == 2 else value
            out.append(t)
        return out

    def loader(self, loader: dict, split: str) -> None:
        """A data loader on the smoke images (COCO instances for a detector), in place."""
        dataset = loader.dataset
        while 'pipeline' not in dataset and 'dataset' in dataset:
            dataset = dataset.dataset
        pipeline = self.pipeline(list(dataset.get('pipeline') or []))
        if str(dataset.get('type', '')).endswith('CocoDataset'):
            loader.dataset = dict(
                type=dataset.type, data_root=self.coco_root(),
                ann_file=f'annotations/instances_{split}.json', data_prefix=dict(img=f'{split}/'),
                filter_cfg=dataset.get('filter_cfg'), pipeline=pipeline, serialize_data=False)
        else:
            loader.dataset = dict(type='CustomDataset', data_root=self.data_root,
                                  data_prefix=split, pipeline=pipeline,
                                  serialize_data=False)  # no gc.collect()
        loader.num_workers = 0
        loader.persistent_workers = False
        if 'batch_sampler' in loader and loader.batch_sampler:
            loader.batch_sampler['batch_size'] = BATCH
        else:
            loader.batch_size = BATCH
        loader.pop('prefetch_factor', None)

    def coco_root(self) -> str:
        """The smoke COCO-instances folder (next to the smoke images), made once."""
        from .transfer_data import make_coco
        root = osp.join(osp.dirname(self.data_root), 'smoke_coco')
        if not osp.isdir(osp.join(root, 'annotations')):
            make_coco(root, size=self.size, num_train=4, num_val=2, min_area=20)
        return root

    def evaluators(self) -> None:
        """COCO evaluators read the smoke annotations; a detector keeps boxes of any score
        (an untrained one scores every box below mmdet's 0.05 and COCO's metric, given no
        box, gives no number)."""
        rcnn = (self.cfg.model.get('test_cfg') or {}).get('rcnn')
        if isinstance(rcnn, dict) and 'score_thr' in rcnn:
            rcnn.update(score_thr=0.0, max_per_img=10)  # 10 boxes: their masks are the cost
        for key in ('val_evaluator', 'test_evaluator'):
            evaluator = self.cfg.get(key)
            if isinstance(evaluator, dict) and evaluator.get('ann_file'):
                evaluator.ann_file = osp.join(self.coco_root(), 'annotations',
                                              'instances_val.json')

    def schedule(self) -> None:
        """One epoch (or 2 iterations), a checkpoint at its end."""
        cfg = self.cfg
        by_epoch = 'max_epochs' in cfg.train_cfg
        length = dict(max_epochs=1) if by_epoch else dict(max_iters=2)
        cfg.train_cfg.update(length)
        if 'val_interval' in cfg.train_cfg:  # no validation while training (mmengine's loops
            cfg.train_cfg.val_begin = 2 if by_epoch else 3  # also validate at the end, unless
            # it is before val_begin): tools/test.py gives the number
        hooks = cfg.default_hooks
        hooks.checkpoint.update(interval=1 if by_epoch else 2, max_keep_ckpts=1,
                                save_best=None)  # the last checkpoint is the step's
        hooks.logger.interval = 1

    def optim_wrapper(self) -> None:
        """mmengine's CUDA-only ``AmpOptimWrapper`` becomes ours, which runs on a CPU too
        (bf16 autocast there; the same on a GPU but for the dtype it picks)."""
        wrapper = self.cfg.optim_wrapper
        if str(wrapper.get('type', '')).split('.')[-1] == 'AmpOptimWrapper':
            wrapper.type = 'mimtoolkit.AutoAmpOptimWrapper'
            for key in ('loss_scale', 'dtype'):
                wrapper.pop(key, None)


def shrink_config(cfg: Config, data_root: str, stand_ins: str,
                  keep: Collection[str] = ()) -> Config:
    """``cfg`` at smoke size (see the module's docstring), edited in place and returned.

    Args:
        cfg (Config): A shipped config with the step's options merged.
        data_root (str): The smoke image folder (:func:`make_smoke_images`).
        stand_ins (str): Folder for stand-in teacher/tokenizer weights.
        keep (Collection[str]): Teacher/tokenizer checkpoints earlier steps made: kept.
    """
    shrink = Shrinker(cfg, data_root)
    shrink.model(stand_ins, keep)
    shrink.loader(cfg.train_dataloader, 'train')
    for split in ('val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if loader:
            shrink.loader(loader, 'val')
    shrink.evaluators()
    shrink.schedule()
    shrink.optim_wrapper()
    return cfg
