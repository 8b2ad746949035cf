"""The Dockerfile model and what is made from it.

- :mod:`.dockerfile`: the lossless parse (stages, instructions, byte offsets;
  BuildKit's own parser checks every text);
- :mod:`.shell`: RUN lines parsed as shell (tree-sitter-bash);
- :mod:`.edits`: offset edits gathered into fixes, overlaps rejected;
- :mod:`.render`: new instructions written in the file's own style;
- :mod:`.diffing`: the unified diff ``git apply`` accepts;
- :mod:`.results`: what a migration reports (changes, refusals, notes).
"""
