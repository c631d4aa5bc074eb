"""IP-IQA in plain torch eager: the official model's structure and semantics, our own code.

State-dict keys are the official checkpoint's:
  resnet50.*        CLIP ModifiedResNet with its attnpool replaced by an identity (layer4 map)
  attnpool.*        CLIP AttentionPool2d over that map -> the visual feature
  txt_model.*, wte.weight, txt_pos, ln_final.*, text_projection
                    CLIP text transformer (causal mask, QuickGELU), feature at the EOT position
  txt_attnpool.*    TextAttentionPool2d: the text feature queries the same map -> text-conditioned feature
  head.*            Linear, or MLPHead (dense -> tanh -> out_proj), on [visual, text-conditioned]

The config uses the field names of the fixture manifest (see REQUIRED_FIELDS) plus
"head": "linear" | "mlp" (the bundle's field; read from the weights when absent).
"""

import json
import os

import torch
from torch import nn

from clip_modules import AttentionPool2d, LayerNorm, MLPHead, ModifiedResNet, TextAttentionPool2d, Transformer
from safetensors_io import read_safetensors

# torchvision and the tokenizer (which needs `regex`) are imported where they are used, so that the
# model alone (make_random_weights.py, gpu_model_bench.py) runs on a python with just torch and numpy.

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
REQUIRED_FIELDS = ("embed_dim", "vision_layers", "vision_width", "transformer_width", "transformer_heads",
                   "transformer_layers", "input_resolution", "txt_pool_heads", "context_length", "vocab_size",
                   "output_dim")


class ConfigError(ValueError):
    """A model config or checkpoint that does not describe a valid IP-IQA model."""


def validate_config(config, source="config"):
    missing = [k for k in REQUIRED_FIELDS if k not in config]
    if missing:
        raise ConfigError(f"{source}: missing field(s) {', '.join(missing)}")
    for key in REQUIRED_FIELDS:
        value = config[key]
        values = value if key == "vision_layers" else [value]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
            raise ConfigError(f"{source}: '{key}' must be a positive integer{' list' if key == 'vision_layers' else ''}, got {value!r}")
    if len(config["vision_layers"]) != 4:
        raise ConfigError(f"{source}: 'vision_layers' must list 4 stage depths, got {config['vision_layers']!r}")
    if config["input_resolution"] % 32:
        raise ConfigError(f"{source}: 'input_resolution' {config['input_resolution']} is not a multiple of 32")
    if config["vision_width"] % 2:
        raise ConfigError(f"{source}: 'vision_width' {config['vision_width']} must be even")
    if config["transformer_width"] % config["transformer_heads"]:
        raise ConfigError(f"{source}: 'transformer_width' {config['transformer_width']} is not divisible by "
                          f"'transformer_heads' {config['transformer_heads']}")
    if (config["vision_width"] * 32) % config["txt_pool_heads"]:
        raise ConfigError(f"{source}: feature width {config['vision_width'] * 32} is not divisible by "
                          f"'txt_pool_heads' {config['txt_pool_heads']}")
    if config.get("head", "linear") not in ("linear", "mlp"):
        raise ConfigError(f"{source}: 'head' must be 'linear' or 'mlp', got {config['head']!r}")
    return config


def load_config(path):
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{path}: not valid JSON ({e})") from e
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]  # a fixture manifest
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object")
    return validate_config(data, path)


def build_attention_mask(context_length):
    # additive causal mask: -inf above the diagonal
    return torch.full((context_length, context_length), float("-inf")).triu_(1)


class IPIQA(nn.Module):
    def __init__(self, config, tokenizer=None):
        super().__init__()
        validate_config(config)
        width = config["vision_width"]
        feature_map_dim = width * 32           # ResNet output channels (2048 for RN50)
        embed_dim = config["embed_dim"]        # CLIP joint width (1024 for RN50)
        grid = config["input_resolution"] // 32
        self.context_length = config["context_length"]
        self.tokenizer = tokenizer
        self.resnet50 = ModifiedResNet(config["vision_layers"], width)
        self.attnpool = AttentionPool2d(grid, feature_map_dim, feature_map_dim // 64, embed_dim)
        self.txt_model = Transformer(config["transformer_width"], config["transformer_layers"],
                                     config["transformer_heads"], build_attention_mask(self.context_length))
        self.wte = nn.Embedding(config["vocab_size"], config["transformer_width"])
        self.ln_final = LayerNorm(config["transformer_width"])
        self.txt_pos = nn.Parameter(torch.zeros(self.context_length, config["transformer_width"]))
        self.text_projection = nn.Parameter(torch.zeros(config["transformer_width"], embed_dim))
        self.txt_attnpool = TextAttentionPool2d(grid, feature_map_dim, embed_dim, config["txt_pool_heads"], embed_dim)
        if config.get("head", "linear") == "mlp":
            self.head = MLPHead(embed_dim * 2, config["output_dim"])
        else:
            self.head = nn.Linear(embed_dim * 2, config["output_dim"])
        self.dtype = self.resnet50.conv1.weight.dtype

    def tokenize(self, texts):
        if self.tokenizer is None:
            raise RuntimeError("IPIQA was built without a tokenizer; pass token ids instead of strings")
        return torch.tensor([self.tokenizer.tokenize(t, self.context_length)[0] for t in texts], dtype=torch.long)

    def encode_text(self, text):
        """text: a list of prompts (tokenized here, as the official forward does) or N x L token ids."""
        ids = self.tokenize(text) if isinstance(text, (list, tuple)) else text
        x = self.wte(ids).type(self.dtype) + self.txt_pos.type(self.dtype)
        x, _ = self.txt_model(x.permute(1, 0, 2))  # NLD -> LND
        x = self.ln_final(x.permute(1, 0, 2)).type(self.dtype)  # LND -> NLD
        # the EOT token has the highest id in each sequence
        return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ self.text_projection

    def forward_features(self, x, txt_feat):
        """Returns (scores, visual_pooled, text_pooled) for pixels and already encoded text."""
        feat = self.resnet50(x)
        global_visual = self.attnpool(feat)
        global_txt = self.txt_attnpool(feat, txt_feat)
        return self.head(torch.cat([global_visual, global_txt], dim=-1)), global_visual, global_txt

    def forward(self, x, text):
        return self.forward_features(x, self.encode_text(text))[0]


def read_state_dict(path):
    if path.endswith(".safetensors"):
        arrays, _ = read_safetensors(path)
        return {k: torch.from_numpy(v) for k, v in arrays.items()}
    state = torch.load(path, map_location="cpu")
    if not isinstance(state, dict):
        raise ConfigError(f"{path}: expected a state dict, got {type(state).__name__}")
    return state


def infer_head(state):
    return "mlp" if "head.dense.weight" in state else "linear"


def load_model(weights_path, config, tokenizer=None):
    """Builds IPIQA from a config and loads a checkpoint strictly; returns it in eval mode."""
    state = read_state_dict(weights_path)
    config = dict(config)
    config.setdefault("head", infer_head(state))
    model = IPIQA(config, tokenizer)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        raise ConfigError(f"{weights_path}: keys do not match the config: missing {missing[:5]}"
                          f"{'...' if len(missing) > 5 else ''}, unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}")
    for key, value in expected.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise ConfigError(f"{weights_path}: '{key}' has shape {list(state[key].shape)}, the config needs {list(value.shape)}")
    model.load_state_dict(state, strict=True)
    return model.eval()


def eval_transform(size, mean=CLIP_MEAN, std=CLIP_STD):
    """The official eval processor: Resize((S,S), BICUBIC) -> ToTensor -> Normalize(CLIP mean/std).

    Without torchvision (Debian's python3-torch has none), the same steps as torchvision 0.14 writes
    them for a PIL image, in Pillow and torch (torch_eval_transform): the same floats.
    """
    try:
        from torchvision import transforms
        from torchvision.transforms.functional import InterpolationMode
    except ImportError:
        return torch_eval_transform(size, mean, std)

    return transforms.Compose([
        transforms.Resize((size, size), interpolation=InterpolationMode.BICUBIC),
        transforms.ToTensor(),
        transforms.Normalize(mean, std),
    ])


def torch_eval_transform(size, mean=CLIP_MEAN, std=CLIP_STD):
    """torchvision 0.14's Resize((size, size), BICUBIC) (Pillow's resize for a PIL image), ToTensor()
    (the uint8 HWC array as float CHW, divided by 255) and Normalize (subtract, divide per channel)."""
    import numpy as np
    from PIL import Image

    mean_t = torch.as_tensor(mean, dtype=torch.float32)[:, None, None]
    std_t = torch.as_tensor(std, dtype=torch.float32)[:, None, None]

    def transform(image):
        image = image.resize((size, size), Image.BICUBIC)
        tensor = torch.from_numpy(np.array(image, np.uint8, copy=True))
        tensor = tensor.view(image.size[1], image.size[0], len(image.getbands())).permute((2, 0, 1)).contiguous()
        return tensor.to(dtype=torch.float32).div(255).clone().sub_(mean_t).div_(std_t)

    transform.steps = f"torch {torch.__version__} (torchvision's steps)"
    return transform


def default_tokenizer():
    from clip_tokenizer import ClipTokenizer

    return ClipTokenizer()


def fixtures_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("IPIQA_FIXTURES", os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "fixtures")))
