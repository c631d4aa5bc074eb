"""CLIP byte-level BPE tokenizer: a minimal port of OpenAI CLIP's SimpleTokenizer + clip.tokenize.

Vocabulary, from bpe_simple_vocab_16e6.txt.gz: the 256 byte symbols, the same with "</w>", one
entry per merge (lines 1 .. 48894 of the file), then <|startoftext|> and <|endoftext|>.
Text is cleaned as the official code does: (ftfy is not used) HTML-unescaped twice, stripped,
whitespace runs collapsed to one space, lowercased.
"""

import gzip
import html
import os

import regex

DEFAULT_VOCAB = os.path.join(
    os.environ.get("IPIQA_FIXTURES", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures")),
    "clip-bpe", "bpe_simple_vocab_16e6.txt.gz")

_MERGE_COUNT = 49152 - 256 - 2
_PATTERN = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE)
_WHITESPACE = regex.compile(r"\s+")


def byte_symbols():
    """Maps each byte 0..255 to a printable unicode character (GPT-2 / CLIP byte encoder)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in chars)))


class ClipTokenizer:
    def __init__(self, vocab_path=DEFAULT_VOCAB):
        if not os.path.isfile(vocab_path):
            raise FileNotFoundError(f"CLIP BPE vocabulary not found: {vocab_path}")
        self.byte_encoder = byte_symbols()
        with gzip.open(vocab_path, "rt", encoding="utf-8") as f:
            lines = f.read().split("\n")
        merges = [tuple(line.split()) for line in lines[1:_MERGE_COUNT + 1]]
        if len(merges) != _MERGE_COUNT or any(len(m) != 2 for m in merges):
            raise ValueError(f"{vocab_path}: expected {_MERGE_COUNT} merge lines of two symbols each")
        symbols = list(self.byte_encoder.values())
        vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges]
        vocab += ["<|startoftext|>", "<|endoftext|>"]
        self.encoder = {s: i for i, s in enumerate(vocab)}
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.sot = self.encoder["<|startoftext|>"]
        self.eot = self.encoder["<|endoftext|>"]
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}

    def _bpe(self, token):
        cached = self.cache.get(token)
        if cached is not None:
            return cached
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            first, second = best
            merged = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        result = " ".join(word)
        self.cache[token] = result
        return result

    @staticmethod
    def clean(text):
        text = html.unescape(html.unescape(text)).strip()
        return _WHITESPACE.sub(" ", text).strip().lower()

    def encode(self, text):
        ids = []
        for token in _PATTERN.findall(self.clean(text)):
            symbols = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[piece] for piece in self._bpe(symbols).split(" "))
        return ids

    def tokenize(self, text, context_length=77):
        """clip.tokenize(text, context_length, truncate=True) for one text: (ids list, truncated)."""
        ids = [self.sot] + self.encode(text) + [self.eot]
        truncated = len(ids) > context_length
        if truncated:
            ids = ids[:context_length]
            ids[-1] = self.eot
        return ids + [0] * (context_length - len(ids)), truncated
