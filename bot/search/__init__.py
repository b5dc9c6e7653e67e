"""The search engine every channel shares: vocabulary, index and ranking."""
