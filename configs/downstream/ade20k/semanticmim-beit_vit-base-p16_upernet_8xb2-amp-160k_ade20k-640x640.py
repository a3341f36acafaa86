# UperNet on ADE20K from SemanticMIM (BEiT) ViT-B/16 with 8 proxies (300 epochs; layer scale as
# pretrained), the paper's recipe (Tab. 4, shared by BEiT and MaskFeat).
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-640x640.py']
checkpoint = 'work_dirs/semanticmim-beit_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(
    backbone=dict(num_proxy_tokens=8, proxy_block=None, layer_scale_init_value=0.1,
                  init_cfg=dict(checkpoint=checkpoint)))
