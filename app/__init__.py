"""The pipeline: sources → article text → quotes → people → pages."""
