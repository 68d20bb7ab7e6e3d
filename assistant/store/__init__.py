"""The index: chunks, embeddings and metadata in Chroma, with a Swedish BM25 index beside it."""
