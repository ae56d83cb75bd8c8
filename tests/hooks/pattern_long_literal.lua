-- A pattern with no quantifier at all, but as long as its subject: every
-- start position compares up to half a million characters.
local s = string.rep("a", 1000000)
local p = string.rep("a", 500000) .. "b"
local r = s:find(p)
