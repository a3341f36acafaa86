"""Shipped configs resolve and build; full-scale recipes keep the papers' numbers."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mimtoolkit.models.targets import use_stand_in_weights
from mimtoolkit.registry import DATASETS, MODELS
from mimtoolkit.utils import ConfigError
from .conftest import REPO
from .test_paper_recipes import RECIPES

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', '*', '*.py')))
CONFIGS = [c for c in CONFIGS if '/_base_/' not in c]


def test_there_are_configs():
    names = [osp.basename(c) for c in CONFIGS]
    assert 'mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py' in names
    assert 'maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k.py' in names


BENCHMARKS = sorted(glob.glob(osp.join(REPO, 'configs', '*', 'benchmarks', '*.py')))


def teacher_head(cfg):
    """The config's first head that holds a frozen teacher, or None."""
    from mimtoolkit.models.targets import teacher_heads
    return next(iter(teacher_heads(cfg.model).values()), None)


@pytest.fixture(scope='module')
def stand_ins(tmp_path_factory):
    """One stand-in weight file per teacher/tokenizer architecture (ViT-B files are 350 MB)."""
    return str(tmp_path_factory.mktemp('stand_ins')), {}


def refuses_absent_weights(cfg, tmp_path) -> None:
    """A teacher or tokenizer file that is not there is one clear error."""
    if teacher_head(cfg):
        teacher_head(cfg).teacher.checkpoint = str(tmp_path / 'absent.pth')
        with pytest.raises(ConfigError, match='teacher.checkpoint=.* expected an existing'):
            MODELS.build(cfg.model)
    target = cfg.model.get('target_generator') or {}
    if 'checkpoint' in target:  # a visual tokenizer
        target.checkpoint = str(tmp_path / 'absent.pth')
        with pytest.raises(ConfigError, match='target_generator.checkpoint=.* expected an'):
            MODELS.build(cfg.model)


#: The CPU-size configs; the full-scale ones are built (and held to their papers' values) by
#: tests/test_paper_recipes.py.
SMALL_CONFIGS = [c for c in CONFIGS if osp.relpath(c, REPO) not in RECIPES]


@pytest.mark.parametrize('path', SMALL_CONFIGS, ids=osp.basename)
def test_config_builds_its_model(path, tmp_path, stand_ins):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mimtoolkit'
    refuses_absent_weights(cfg, tmp_path)
    use_stand_in_weights(cfg.model, *stand_ins)
    model = MODELS.build(cfg.model)
    assert model.part_kind == 'pretrainer'


@pytest.mark.parametrize('path', [
    'configs/mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py',  # CLIP
    'configs/mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k_dino.py',  # DINO
    'configs/imae/imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py',  # our MAE
    'configs/beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py',  # DALL-E
    'configs/beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k_vqkd.py',  # VQKD
], ids=osp.basename)
def test_full_scale_config_without_its_weights_is_one_error(path, tmp_path):
    cfg = Config.fromfile(osp.join(REPO, path))
    assert cfg.default_scope == 'mimtoolkit'
    refuses_absent_weights(cfg, tmp_path)


@pytest.mark.parametrize('path', BENCHMARKS, ids=osp.basename)
def test_benchmark_config_builds_an_mmpretrain_classifier(path):
    from mmpretrain.models import ImageClassifier

    from mimtoolkit.engine.recipe_facts import weights_left_unfilled
    cfg = Config.fromfile(path)
    with weights_left_unfilled():  # the classes are checked, not the values
        model = MODELS.build(cfg.model)
    members = model.members if hasattr(model, 'members') else [model]  # an ensemble's too
    assert members and all(isinstance(m, ImageClassifier) for m in members)
    if 'scratch' in path:  # i-MAE Tab. 1's ViT trained from scratch
        assert cfg.model.backbone.init_cfg is None
    elif 'members' not in cfg.model:
        assert cfg.model.backbone.init_cfg.prefix == 'backbone.'


def test_mae_full_scale_recipe():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py'))
    assert cfg.train_dataloader.batch_size * 8 == 4096
    assert cfg.optim_wrapper.optimizer.lr == pytest.approx(1.5e-4 * 4096 / 256)
    assert cfg.optim_wrapper.optimizer.betas == (0.9, 0.95)
    assert cfg.optim_wrapper.optimizer.weight_decay == 0.05
    warmup, cosine = cfg.param_scheduler
    assert (warmup.type, warmup.end) == ('LinearLR', 40)
    assert (cosine.type, cosine.end) == ('CosineAnnealingLR', 800)
    assert cfg.model.masker.mask_ratio == 0.75 and cfg.model.head.norm_pix


def test_configs_resolve_through_the_installed_package(tmp_path):
    child = tmp_path / 'my_mae.py'
    child.write_text("_base_ = ['mimtoolkit::mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']\n"
                     "model = dict(masker=dict(mask_ratio=0.5))\n")
    cfg = Config.fromfile(str(child))
    assert cfg.model.type == 'MAE' and cfg.model.masker.mask_ratio == 0.5


def test_embedded_data_config_builds_its_dataset():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert dataset[0]['inputs'].shape == (3, 64, 64)


def test_linear_probe_config_builds_an_mmpretrain_classifier_on_our_backbone():
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/mae/benchmarks/vit-tiny-p8_1xb32-linear-coslr-10e_skimage-64.py'))
    model = MODELS.build(cfg.model)
    assert type(model).__name__ == 'ImageClassifier'
    assert type(model.backbone).__name__ == 'MIMViT'
    assert not any(p.requires_grad for p in model.backbone.parameters())  # frozen


def test_every_path_the_makefile_and_readme_name_exists():
    import re
    for doc in ('Makefile', 'README.md'):
        text = open(osp.join(REPO, doc)).read()
        paths = set(re.findall(r'(?:configs|tools)/[\w./-]+\.(?:py|sh)', text))
        assert paths, doc
        missing = [p for p in paths if not osp.exists(osp.join(REPO, p))]
        assert not missing, f'{doc} names missing files: {missing}'


def test_model_index_lists_every_method_config():
    import yaml
    index = yaml.safe_load(open(osp.join(REPO, 'model-index.yml')))
    listed = set()
    for metafile in index['Import']:
        meta = yaml.safe_load(open(osp.join(REPO, metafile)))
        listed |= {m['Config'] for m in meta['Models']}
    assert all(osp.isfile(osp.join(REPO, c)) for c in listed)
    for method in ('mae', 'maskfeat', 'beit', 'imae', 'mixedae', 'mrmae', 'semanticmim'):
        configs = glob.glob(osp.join(REPO, 'configs', method, '*.py'))
        assert {osp.relpath(c, REPO) for c in configs} <= listed, method


def test_mixedae_full_scale_recipe():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/mixedae/mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py'))
    assert cfg.train_dataloader.batch_size * 8 == 4096
    assert cfg.optim_wrapper.optimizer.lr == pytest.approx(7.5e-5 * 4096 / 256)
    assert cfg.model.mixer == dict(type='PatchMixer', mix_ratio=0.25, mode='compose')
    head = cfg.model.contrastive_head
    assert (head.proj_dims, head.loss.temperature, head.loss_weight) == (128, 0.25, 0.1)
    warmup, cosine = cfg.param_scheduler
    assert (warmup.end, cosine.end) == (40, 300)
    model = MODELS.build(cfg.model)
    attn = [layer.attn for layer in model.backbone.layers]
    assert type(attn[0]).__name__ != 'HomologousAttention'
    assert all(a.k_ratio == 0.25 and a.num_keys(197) == 49 for a in attn[1:])
    assert (model.neck.decoder_embed.out_features, len(model.neck.decoder_blocks)) == (512, 8)
    full = Config.fromfile(osp.join(
        REPO, 'configs/mixedae/mixedae_vit-base-p16_8xb128-amp-coslr-300e_in1k-full.py'))
    assert full.model.mixer.mode == 'full' and full.train_dataloader.batch_size * 8 == 1024
    for epochs in (800, 1600):
        long = Config.fromfile(osp.join(
            REPO, f'configs/mixedae/mixedae_vit-base-p16_8xb512-amp-coslr-{epochs}e_in1k.py'))
        assert long.param_scheduler[1].end == long.train_cfg.max_epochs == epochs


def test_mrmae_fine_tune_recipe_decays_the_lr_layer_by_layer():
    from mmengine.optim import build_optim_wrapper
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py'))
    assert (cfg.train_cfg.max_epochs, cfg.param_scheduler[0].end) == (100, 5)
    assert cfg.model.backbone.drop_path_rate == 0.2
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lr_of = {}
    for group in wrapper.optimizer.param_groups:
        for param in group['params']:
            lr_of[id(param)] = group['lr']
    names = dict(model.named_parameters())
    layer_lr = [lr_of[id(names[f'backbone.layers.{i}.attn.qkv.weight'])] for i in range(12)]
    assert all(a < b for a, b in zip(layer_lr, layer_lr[1:]))  # deeper layers learn faster
    lr = 3e-4 * 1024 / 256  # §4.1's 3e-4 as a base rate (docs/recipes.md)
    assert layer_lr[11] == pytest.approx(lr * 0.6)  # the head gets lr, the last layer x0.6
    assert lr_of[id(names['backbone.patch_embed.projection.weight'])] == pytest.approx(
        lr * 0.6**13)


def test_mrmae_full_scale_recipe():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py'))
    assert cfg.train_dataloader.batch_size * 8 == 1024
    assert cfg.optim_wrapper.optimizer.lr == pytest.approx(1.5e-4 * 1024 / 256)
    assert (cfg.optim_wrapper.optimizer.weight_decay, cfg.train_cfg.max_epochs) == (0.05, 400)
    warmup, cosine = cfg.param_scheduler
    assert (warmup.end, cosine.end) == (80, 400)
    model = cfg.model
    assert model.masker.mask_ratio == 0.75 and model.neck.decoder_depth == 8
    assert (model.head.loss_weight, model.aux_heads[0].loss_weight) == (0.5, 0.5)
    assert model.aux_heads[0].teacher.type == 'CLIPTeacher'


def test_voc_segmentation_probe_builds_in_mmseg_on_our_frozen_proxy_backbone():
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS as SEG_MODELS
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/downstream/voc12/'
        'semanticmim_vit-base-p16_frozen-layer6-1x1conv_2xb60-25e_voc12aug-448x448.py'))
    assert cfg.default_scope == 'mmseg'
    assert cfg.train_dataloader.dataset.datasets[0].type == 'PascalVOCDataset'
    cfg.model.backbone.init_cfg = None
    init_default_scope('mmseg')
    model = SEG_MODELS.build(cfg.model)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable == ['decode_head.conv_seg.weight', 'decode_head.conv_seg.bias']
    assert model.decode_head.conv_seg.kernel_size == (1, 1)
    feats = model.extract_feat(torch.randn(1, 3, 64, 64))
    assert feats[0].shape == (1, 768, 4, 4)


DOWNSTREAM = sorted(glob.glob(osp.join(REPO, 'configs', 'downstream', '*', '*.py')))
DOWNSTREAM = [c for c in DOWNSTREAM if '/voc12/' not in c and '/_base_/' not in c]


def test_every_pretraining_method_has_ade20k_and_coco_configs():
    names = [osp.basename(c) for c in DOWNSTREAM]
    for method in ('mae', 'maskfeat', 'beit', 'imae', 'mixedae', 'mrmae', 'mrmae_convvit',
                   'semanticmim-maskfeat'):
        prefix = method if '_' in method else f'{method}_vit'
        assert sum(n.startswith(prefix) and 'upernet' in n for n in names) == 1, method
        assert sum(n.startswith(prefix) and '1x_coco' in n for n in names) == 1, method
        assert sum(n.startswith(prefix) and 'lsj-3x_coco' in n for n in names) == 1, method


@pytest.mark.parametrize('path', DOWNSTREAM, ids=osp.basename)
def test_downstream_config_points_at_its_pretraining_run(path):
    """The default checkpoint is the last of a shipped pretraining config's run.

    Each downstream config is built in its library (mmseg, mmdet, mmpretrain) by
    tests/test_paper_recipes.py, which also holds its recipe (drop path, layer decay...).
    """
    init = Config.fromfile(path).model.backbone.init_cfg
    pretrain = init['checkpoint'].split('/')[1]  # work_dirs/<pretraining config>/epoch_N.pth
    assert glob.glob(osp.join(REPO, 'configs', '*', pretrain + '.py')), pretrain
    assert init['type'] == 'Pretrained' and init['prefix'] == 'backbone.'


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_every_pretraining_config_guards_against_nan_and_can_clip_gradients(path):
    from mmengine.optim import build_optim_wrapper

    from mimtoolkit.engine.optimizers.guarded_optim_wrappers import NonFiniteGuard
    cfg = Config.fromfile(path)
    cfg.merge_from_dict({'optim_wrapper.clip_grad.max_norm': 1.5})
    wrapper = build_optim_wrapper(torch.nn.Linear(2, 2), cfg.optim_wrapper)
    assert isinstance(wrapper, NonFiniteGuard) and wrapper.nonfinite_loss == 'stop'
    assert wrapper.clip_grad_kwargs['max_norm'] == 1.5


def test_default_parts_are_written_out_so_cfg_options_reach_them():
    from mmengine.registry import init_default_scope

    from mimtoolkit.registry import MODELS
    init_default_scope('mimtoolkit')
    for path in ('configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                 'configs/mixedae/mixedae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'):
        cfg = Config.fromfile(osp.join(REPO, path))
        cfg.merge_from_dict({'model.mixer.mix_ratio': 0.5,
                             'model.contrastive_head.loss_weight': 0.2})
        model = MODELS.build(cfg.model)
        assert model.mixer.mix_ratio == 0.5 and model.mixer.group_size == 2, path
        assert model.contrastive_head.loss_weight == 0.2, path
    for path in ('configs/imae/imae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                 'configs/imae/imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py'):
        cfg = Config.fromfile(osp.join(REPO, path))
        cfg.merge_from_dict({'model.mixer.beta': 2.0})
        assert cfg.model.mixer == dict(type='PixelMixer', beta=2.0), path
        teacher = cfg.model.distill_head.teacher.encoder
        assert (teacher.type, teacher.arch) == ('MIMViT', 'mim-tiny'), path


def test_imagenet_shard_and_folder_loaders_pin_memory():
    """The loaders GPU runs read from page-locked memory, so the host-to-GPU copy overlaps."""
    bases = ['imagenet_bs512_mim.py', 'imagenet_shards_bs512_mim.py', 'image_folder_mim.py']
    users = [c for c in CONFIGS if any(b in open(c).read() for b in bases)]
    assert len(users) >= 5
    for path in [osp.join(REPO, 'configs/_base_/datasets', b) for b in bases] + users:
        assert Config.fromfile(path).train_dataloader.get('pin_memory') is True, path
