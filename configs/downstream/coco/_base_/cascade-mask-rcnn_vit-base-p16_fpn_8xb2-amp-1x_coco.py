# Cascade Mask R-CNN on COCO from a mimtoolkit ViT-B/16: mmdet's own cascade-mask-rcnn_r50_fpn
# model, COCO instance data (1333x800, flip), 1x schedule (12 epochs, steps at 8 and 11) and
# CocoMetric (bbox + segm); the ResNet becomes our ViT (layers 4/6/8/12, drop path 0.1), its
# single-scale maps become stride 4/8/16/32 by ViTPyramidNeck, then mmdet's FPN. AdamW lr 1e-4
# (wd 0.05) with layer-wise lr decay 0.65, batch 2 x 8 GPUs, AMP. Each method's config sets
# only `checkpoint` and the backbone options it was pretrained with.
_base_ = [
    'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py',
    'mmdet::_base_/datasets/coco_instance.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    'mmdet::_base_/default_runtime.py',
    '../../_base_/adamw_vit-layer-decay-0.65.py',
]
custom_imports = dict(imports=['mimtoolkit'], allow_failed_imports=False)
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    backbone=dict(
        _delete_=True,
        type='mimtoolkit.MIMViT',
        arch='b',
        img_size=1024,  # position embedding size; other input sizes interpolate it
        patch_size=16,
        out_indices=[3, 5, 7, 11],
        out_type='featmap',
        sincos_pos_embed=False,  # the loaded position embedding is fine-tuned
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None, prefix='backbone.')),
    neck=[
        dict(type='mimtoolkit.ViTPyramidNeck', embed_dim=768, rescales=[4, 2, 1, 0.5],
             norm_cfg=norm_cfg),
        dict(type='FPN', in_channels=[768, 768, 768, 768], out_channels=256, num_outs=5),
    ],
    # proposals' NMS and RoIAlign in fp32 under --amp (mmcv's kernels have no bf16)
    rpn_head=dict(type='mimtoolkit.FP32ProposalRPNHead'),
    roi_head=dict(bbox_roi_extractor=dict(type='mimtoolkit.FP32SingleRoIExtractor'),
                  mask_roi_extractor=dict(type='mimtoolkit.FP32SingleRoIExtractor')))

optim_wrapper = {{_base_.vit_layer_decay_optim_wrapper}}
train_dataloader = dict(batch_size=2)  # x 8 GPUs
auto_scale_lr = dict(base_batch_size=16)
