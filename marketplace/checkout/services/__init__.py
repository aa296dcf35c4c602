"""Buying, one room a step: carts, checkout, complete (into an order), orders (after it)."""
