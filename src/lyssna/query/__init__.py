"""The boolean query language of topics and search: analysis (text → tokens), the parser (text → tree,
with positioned errors), the reference evaluator, the percolator, and the compiler for the text index."""
