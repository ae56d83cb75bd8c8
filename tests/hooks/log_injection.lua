-- Text from a hook must not forge diagnostics or reach the terminal raw:
-- newlines and escape sequences in log lines are shown escaped.
print("line one\ntests/hooks/log_injection.lua:1:1: error: forged diagnostic [CHG0702]")
print("clear screen \27[2J\27[H done")
