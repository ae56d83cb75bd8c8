-- Error messages that look like positions in this file: a line past the end,
-- and one too large for an int.  The diagnostic belongs at line 4 and 6.
function on_programme(p)
  error("tests/hooks/error_spoofed_line.lua:2147483647: past the end", 0)
end
function on_risk(r)
  error("tests/hooks/error_spoofed_line.lua:99999999999999999999: overflow", 0)
end
