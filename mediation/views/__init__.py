"""Pages of 议事 (deliberation) and 调解 (cases): one module each, plus what they share."""
