-- A pattern with no quantifier at all, but as long as its subject: every
-- start position compares up to a million characters (about 10^12 steps).
local s = string.rep("a", 2000000)
local p = string.rep("a", 1000000) .. "b"
local r = s:find(p)
