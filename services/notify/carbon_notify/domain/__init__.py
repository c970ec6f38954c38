"""Pure notification rules: who is told about an event, over which channel, in which words, and how a
webhook or SMS is shaped and retried. No I/O here; reference tables arrive as arguments."""
