# UperNet on ADE20K from a mimtoolkit ViT-B/16 (the BEiT/MAE recipe, as in mmseg's
# mae-base_upernet_8xb2-amp-160k_ade20k-512x512): 512x512 crops, 160k iterations, batch 2 x 8
# GPUs, AdamW lr 1e-4 (betas 0.9/0.999, wd 0.05), layer-wise lr decay 0.65, drop path 0.1,
# AMP, sliding-window test (512 crops, stride 341). The ViT's layers 4/6/8/12 become stride
# 4/8/16/32 maps by ViTPyramidNeck (mmseg's Feature2Pyramid). Each method's config sets only
# `checkpoint` and the backbone options it was pretrained with.
_base_ = [
    'mmseg::_base_/models/upernet_mae.py',
    'mmseg::_base_/datasets/ade20k.py',
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_160k.py',
    '../../_base_/adamw_vit-layer-decay-0.65.py',
]
custom_imports = dict(imports=['mimtoolkit'], allow_failed_imports=False)
crop_size = (512, 512)
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='mimtoolkit.MIMViT',
        arch='b',
        img_size=512,  # the pretrained 14x14 position embedding is interpolated to 32x32
        patch_size=16,
        out_indices=[3, 5, 7, 11],
        out_type='featmap',
        sincos_pos_embed=False,  # the loaded position embedding is fine-tuned
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None, prefix='backbone.')),
    neck=dict(
        _delete_=True, type='mimtoolkit.ViTPyramidNeck', embed_dim=768,
        rescales=[4, 2, 1, 0.5], norm_cfg=norm_cfg),
    decode_head=dict(in_channels=[768, 768, 768, 768], channels=768, num_classes=150,
                     norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=768, num_classes=150, norm_cfg=norm_cfg),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(341, 341)))

optim_wrapper = {{_base_.vit_layer_decay_optim_wrapper}}
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False),
]
train_dataloader = dict(batch_size=2)  # x 8 GPUs
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
