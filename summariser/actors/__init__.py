"""Stage 3a, who is who: the model's names resolved to one actor each, with type, ISO
country code, aliases and evidence found in the text; speakers the model missed."""
