"""The discussion kind (bot side): the backlog message, prompts, digests, topic commands."""
