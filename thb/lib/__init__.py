"""Small pure helpers, each with its own test."""
