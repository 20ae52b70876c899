"""The money views (spec section 5): one place computes each figure; every presenter
(CLI, dashboard, reports) calls these functions and never recomputes."""
