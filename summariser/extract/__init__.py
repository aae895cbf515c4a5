"""Stage 2, the model reads: which sentences to ask about (candidates), the prompts, the
reply shapes (drafts) and the passes that call the endpoint. Only :mod:`.passes` talks to
the model; drafts and candidates are plain data and code, so later stages import them
without importing a client."""
