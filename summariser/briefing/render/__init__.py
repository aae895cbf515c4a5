"""Renderers of the briefing model: Markdown, one self-contained HTML page, CSV."""
