-- An endless loop in a chunk made with load(): the chunk's own line 21 is
-- not a line of this file; the diagnostic belongs at the call, line 5.
local code = string.rep("\n", 20) .. "while true do end"
local f = load(code, "=generated")
f()
