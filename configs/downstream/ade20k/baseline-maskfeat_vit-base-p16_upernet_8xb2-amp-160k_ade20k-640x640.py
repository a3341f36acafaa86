# UperNet on ADE20K from MaskFeat ViT-B/16 as SemanticMIM reproduces it (one [CLS] token, no
# proxies; 300 epochs), the paper's recipe (Tab. 4: 640x640, lr 3e-5, linear decay, 1500
# warm-up, batch 16), the MaskFeat row of SemanticMIM Tab. 1's ADE20K column.
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-640x640.py']
checkpoint = 'work_dirs/baseline-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
