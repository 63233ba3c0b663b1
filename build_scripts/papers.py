"""The papers of the book, in their fixed order: the in-repository copy of the table of papers.

Slug, year and title per paper. The slug names the chapter file (``source/papers/<slug>.md``),
prefixes its equation labels and is its BibTeX key in ``bib/papers.bib``.
"""

from typing import NamedTuple


class Paper(NamedTuple):
    number: int
    slug: str
    year: int
    title: str


PAPERS: tuple[Paper, ...] = tuple(
    Paper(i, slug, year, title)
    for i, (slug, year, title) in enumerate(
        [
            ("optimal-margin", 1992, "A Training Algorithm for Optimal Margin Classifiers"),
            ("vae", 2013, "Auto-Encoding Variational Bayes"),
            ("adam", 2014, "Adam: A Method for Stochastic Optimization"),
            ("gan", 2014, "Generative Adversarial Nets"),
            ("batchnorm", 2015, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift"),
            ("resnet", 2015, "Deep Residual Learning for Image Recognition"),
            ("transformer", 2017, "Attention Is All You Need"),
            ("bert", 2018, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"),
            ("double-descent", 2018, "Reconciling modern machine-learning practice and the classical bias-variance trade-off"),
            ("ntk", 2018, "Neural Tangent Kernel: Convergence and Generalization in Neural Networks"),
            ("uniform-convergence", 2019, "Uniform Convergence May Be Unable to Explain Generalization in Deep Learning"),
            ("ddpm", 2020, "Denoising Diffusion Probabilistic Models"),
            ("scaling-laws", 2020, "Scaling Laws for Neural Language Models"),
            ("vit", 2020, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"),
            ("lora", 2021, "LoRA: Low-Rank Adaptation of Large Language Models"),
            ("chinchilla", 2022, "Training Compute-Optimal Large Language Models"),
            ("flashattention", 2022, "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"),
            ("instructgpt", 2022, "Training Language Models to Follow Instructions with Human Feedback"),
            ("dpo", 2023, "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
            ("mamba", 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"),
            ("qtip", 2024, "QTIP: Quantization with Trellises and Incoherence Processing"),
            ("kimi-k2", 2025, "Kimi K2: Open Agentic Intelligence"),
            ("sam3", 2025, "SAM 3: Segment Anything with Concepts"),
        ],
        start=1,
    )
)

SLUGS: tuple[str, ...] = tuple(p.slug for p in PAPERS)
