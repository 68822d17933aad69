"""Risk grading (安全风险分级管控): risk methods as data (LEC, LS …), risk-point files, and each
point's score, level, colour and control level. May import workdays, model, files, dates and
errors — not audits or lists (its siblings), nor outputs or cli above it."""
