"""Answers with verifiable citations: relevance gate, offline extractive answers, LLM chain and agent."""
