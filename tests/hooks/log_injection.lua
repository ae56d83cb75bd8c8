-- Text from a hook must not forge diagnostics or reach the terminal raw:
-- newlines and escape sequences in log lines and error messages are escaped.
print("line one\ntests/hooks/log_injection.lua:1:1: error: forged diagnostic [CHG0702]")
print("clear screen \27[2J\27[H done")
function on_portfolio(pf)
  error("failed\ntests/hooks/log_injection.lua:1:1: note: forged note")
end
