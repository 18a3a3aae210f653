"""Key layouts, discovery, the start marker and classification, as the module lists keys."""
