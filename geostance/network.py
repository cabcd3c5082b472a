"""The torch module: one shared encoder, mean pooling, one linear head per task."""

import torch
from torch import nn


class MultiTaskNetwork(nn.Module):
    """Encoder plus per-task heads; one forward pass gives every task's logits."""

    def __init__(self, encoder, head_sizes, dropout=0.1):
        super().__init__()
        self.encoder = encoder
        self.task_names = list(head_sizes)
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, size) for task, size in head_sizes.items()})

    def forward(self, input_ids, attention_mask):
        """Return a tuple of logits, one (batch, labels) tensor per task in `task_names` order."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        pooled = self.dropout(pooled)
        return tuple(self.heads[task](pooled) for task in self.task_names)
