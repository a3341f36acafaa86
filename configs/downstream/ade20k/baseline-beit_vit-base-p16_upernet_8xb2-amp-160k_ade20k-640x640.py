# UperNet on ADE20K from BEiT ViT-B/16 as SemanticMIM reproduces it (one [CLS] token, layer
# scale as pretrained; 300 epochs), the paper's recipe (Tab. 4), the BEiT row of SemanticMIM
# Tab. 1's ADE20K column.
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-640x640.py']
checkpoint = 'work_dirs/baseline-beit_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(
    backbone=dict(layer_scale_init_value=0.1, init_cfg=dict(checkpoint=checkpoint)))
