"""Pure credit rules (环境信用): rating engine, credit repair and complaints. No I/O, standard library only.

Modules: `rules` (the rule-table types), `facts` (what a fact is, which events bring one), `rating`
(incremental `apply` and `replay`), `repair` (信用修复), `complaints` (投诉举报), `errors`.
"""
