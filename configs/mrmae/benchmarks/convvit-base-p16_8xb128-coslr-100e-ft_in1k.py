# Fine-tune MR-MAE's headline ConvViT-B on ImageNet-1K: the MR-MAE fine-tune recipe (§4.1; see
# the ViT-B config) on ConvMAE's classifier: no [CLS], the mean of the transformer tokens, a
# LayerNorm (ConvMAE's fc_norm: ConvViT's ln2 with out_type='avg_featmap'), then the linear
# head. The conv stages count as layer 0 of the layer-wise decay (ConvMAE's lr_decay.py puts
# patch_embed, blocks1 and blocks2 at layer 0, as mmpretrain's constructor puts patch_embed).
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/mrmae_convvit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(backbone=dict(
    _delete_=True, type='ConvViT', arch='b', img_size=224, patch_sizes=[4, 2, 2],
    drop_path_rate=0.2, out_type='avg_featmap', final_norm=False, stage_fusion=False,
    sincos_pos_embed=False,
    init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
